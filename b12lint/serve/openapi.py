"""The OpenAPI 3.1 document of the service (served at ``/openapi.json``)."""

from __future__ import annotations

import json
from typing import Any

from b12lint import __version__
from b12lint.resources import schema_path

_PROBLEM = {"$ref": "#/components/responses/Problem"}
_INPUTS = [
    "application/json",
    "application/x-ndjson",
    "application/fhir+json",
    "application/yaml",
    "application/edi-x12",
    "text/csv",
]


def _report_schema() -> dict[str, Any]:
    """The JSON report's schema (FORMATS.md section 2), embedded: nothing is fetched."""
    schema: dict[str, Any] = json.loads(schema_path("report").read_text(encoding="utf-8"))
    schema.pop("$schema", None)
    schema.pop("$id", None)
    defs = schema.pop("$defs", None)
    if defs:  # local references stay resolvable inside components
        text = json.dumps(schema).replace('"#/$defs/', '"#/components/schemas/Report/$defs/')
        schema = json.loads(text)
        schema["$defs"] = json.loads(
            json.dumps(defs).replace('"#/$defs/', '"#/components/schemas/Report/$defs/')
        )
    return schema


def document() -> dict[str, Any]:
    """The OpenAPI document: every route the app serves (a test keeps them in step)."""
    body = {media: {"schema": {"type": "string"}} for media in _INPUTS}
    reports = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
        "application/sarif+json": {"schema": {"type": "object"}},
        "application/xml": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/plain": {"schema": {"type": "string"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "b12lint",
            "version": __version__,
            "description": "Checks that vitamin B12 injection claims match the documented "
            "clinical intent: a check API, a CDS Hooks 2.0 service and a page for coders.",
        },
        "paths": {
            "/v1/check": {
                "post": {
                    "summary": "Check a batch: native records, X12 837P/837I, FHIR, CSV",
                    "operationId": "check",
                    "security": [{"bearer": []}],
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "required": False,
                            "description": "force the input format (else the content type)",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "record",
                            "in": "query",
                            "required": False,
                            "description": "record the checked encounters in the history store "
                            "(default false: a check only reads the history)",
                            "schema": {"type": "boolean", "default": False},
                        },
                    ],
                    "requestBody": {"required": True, "content": body},
                    "responses": {
                        "200": {
                            "description": "the report (JSON by default; by Accept)",
                            "content": reports,
                        },
                        "400": _PROBLEM,
                        "401": _PROBLEM,
                        "406": _PROBLEM,
                        "409": _PROBLEM,
                        "413": _PROBLEM,
                        "415": _PROBLEM,
                        "503": _PROBLEM,
                    },
                }
            },
            "/v1/rules": {
                "get": {
                    "summary": "The active rules: summary, rationale, references",
                    "operationId": "rules",
                    "security": [{"bearer": []}],
                    "responses": {"200": {"description": "rules"}, "401": _PROBLEM},
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness",
                    "operationId": "health",
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/version": {
                "get": {
                    "summary": "The b12lint version and the packs loaded",
                    "operationId": "version",
                    "responses": {"200": {"description": "version and rulesets"}},
                }
            },
            "/cds-services": {
                "get": {
                    "summary": "CDS Hooks discovery",
                    "operationId": "cdsDiscovery",
                    "responses": {"200": {"description": "the services"}},
                }
            },
            "/cds-services/{id}": {
                "post": {
                    "summary": "CDS Hooks call (order-sign, order-select)",
                    "operationId": "cdsCall",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "responses": {
                        "200": {"description": "cards"},
                        "400": _PROBLEM,
                        "401": _PROBLEM,
                        "404": _PROBLEM,
                    },
                }
            },
            "/": {
                "get": {
                    "summary": "The page for coders",
                    "operationId": "page",
                    "responses": {"200": {"description": "HTML"}},
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3.1"}},
                }
            },
        },
        "components": {
            "schemas": {"Report": _report_schema()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Problem": {
                    "description": "RFC 9457 problem details",
                    "content": {
                        "application/problem+json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "type": {"type": "string"},
                                    "title": {"type": "string"},
                                    "status": {"type": "integer"},
                                    "detail": {"type": "string"},
                                },
                                "required": ["title", "status"],
                            }
                        }
                    },
                }
            },
        },
    }
