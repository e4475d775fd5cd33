"""The check API over real HTTP: formats in and out, problems, limits, auth, OpenAPI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import jsonschema
import pytest
from serve_support import CLEAN, Running

REPO = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads((REPO / "schemas" / "report.schema.json").read_text())


def post(service: Running, body: bytes | str, **headers: str) -> httpx.Response:
    return httpx.post(f"{service.url}/v1/check", content=body, headers=headers, timeout=30)


def test_health_version_and_security_headers(service: Running) -> None:
    r = httpx.get(f"{service.url}/healthz")
    assert r.json() == {"status": "ok"}
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    version = httpx.get(f"{service.url}/version").json()
    assert version["name"] == "b12lint" and version["rulesets"][0]["name"] == "b12-core"


def test_a_clean_encounter_gives_a_json_report_with_no_error(service: Running) -> None:
    r = post(service, json.dumps(CLEAN), **{"content-type": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    report = r.json()
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["summary"]["encounters"] == 1
    assert report["summary"]["by_severity"]["error"] == 0


def test_a_units_defect_is_found_and_reports_come_as_sarif_and_junit(service: Running) -> None:
    wrong = json.loads(json.dumps(CLEAN))
    wrong["lines"][0]["units"] = 2
    body = json.dumps(wrong)
    r = post(service, body, **{"content-type": "application/json"})
    assert "B12-UNITS-001" in {f["rule_id"] for f in r.json()["findings"]}
    sarif = post(service, body, accept="application/sarif+json").json()
    assert sarif["version"] == "2.1.0"
    junit = post(service, body, accept="application/xml")
    assert ET.fromstring(junit.text).tag in ("testsuites", "testsuite")


def test_x12_and_jsonl_bodies_are_read_by_content_or_by_format(service: Running) -> None:
    x12 = (REPO / "sample_claims" / "clinic-e-2026-06.837").read_bytes()
    report = post(service, x12, **{"content-type": "application/edi-x12"}).json()
    assert report["summary"]["encounters"] == 4
    lines = "\n".join(json.dumps(CLEAN | {"encounter_id": f"S-{i}"}) for i in range(3))
    report = httpx.post(f"{service.url}/v1/check?format=jsonl", content=lines, timeout=30).json()
    assert report["summary"]["encounters"] == 3


def test_bad_records_are_input_findings_not_server_errors(service: Running) -> None:
    body = json.dumps(CLEAN) + "\n{not json\n"
    r = post(service, body, **{"content-type": "application/x-ndjson"})
    assert r.status_code == 200
    summary = r.json()["summary"]
    assert (summary["encounters"], summary["input_errors"]) == (1, 1)


@pytest.mark.parametrize(
    ("headers", "body", "status", "title"),
    [
        ({"content-type": "image/png"}, b"x", 415, "Unsupported media type"),
        ({"accept": "image/png"}, b"{}", 406, "Not acceptable"),
        ({"content-type": "application/json"}, b"  ", 400, "Empty body"),
    ],
)
def test_problems_are_problem_json(
    service: Running, headers: dict[str, str], body: bytes, status: int, title: str
) -> None:
    r = post(service, body, **headers)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == title and r.json()["status"] == status


def test_unknown_format_parameter_is_415(service: Running) -> None:
    r = httpx.post(f"{service.url}/v1/check?format=docx", content=b"x")
    assert r.status_code == 415 and "docx" in r.json()["detail"]


def test_token_and_body_limit(guarded: Running) -> None:
    body = json.dumps(CLEAN)
    assert post(guarded, body).status_code == 401
    assert post(guarded, body, authorization="Bearer wrong").status_code == 401
    ok = post(guarded, body, authorization="Bearer s3cret-token-0123456789")
    assert ok.status_code == 200
    big = post(guarded, "x" * 5000, authorization="Bearer s3cret-token-0123456789")
    assert big.status_code == 413
    assert httpx.get(f"{guarded.url}/healthz").status_code == 200  # no token for liveness


def test_the_openapi_document_is_valid_and_lists_every_route(service: Running) -> None:
    doc = httpx.get(f"{service.url}/openapi.json").json()
    validator = pytest.importorskip(
        "openapi_spec_validator", reason="openapi-spec-validator is in the test extra"
    )
    validator.validate(doc)
    from starlette.routing import Route

    # the app's routes are exactly the documented paths
    served = set(doc["paths"])
    assert {"/v1/check", "/healthz", "/version", "/cds-services", "/cds-services/{id}"} <= served
    routes = {r.path.replace("{service}", "{id}") for r in _app_routes() if isinstance(r, Route)}
    assert routes == served


def _app_routes() -> list[object]:
    from b12lint.engine import build_router, load_packs
    from b12lint.serve import ServeSettings, create_app
    from b12lint.serve.checker import Checker

    return list(create_app(Checker(build_router(load_packs(), {})), ServeSettings()).routes)


def test_the_page_loads_nothing_from_elsewhere(service: Running) -> None:
    html = httpx.get(f"{service.url}/").text
    assert "<textarea" in html and "/v1/check" in html
    assert "http://" not in html and "https://" not in html


def test_settings_refuse_open_binding_without_token_or_tls() -> None:
    from b12lint.serve import ServeSettings

    problems = ServeSettings(host="0.0.0.0").problems()
    assert any("bearer token" in p for p in problems) and any("TLS" in p for p in problems)
    assert ServeSettings(host="0.0.0.0", token="t", allow_insecure_http=True).problems() == []
    assert ServeSettings(host="::1").problems() == []


def test_the_cli_refuses_an_open_binding(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from b12lint.cli import cli

    monkeypatch.delenv("B12LINT_SERVE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "bearer token" in result.output


def test_concurrent_checks_answer_what_one_check_at_a_time_answers(service: Running) -> None:
    """The worker threads share the loaded rules: no request's findings leak into another's."""
    import threading

    names = ["clinic-a-2026q1.jsonl", "clinic-d-2026-06.jsonl", "clinic-h-2026-07.jsonl"]
    bodies = [(REPO / "sample_claims" / name).read_bytes() for name in names]
    kind = {"content-type": "application/x-ndjson"}
    alone = [post(service, body, **kind).json()["findings"] for body in bodies]
    answers: dict[int, list[object]] = {}

    def client(n: int) -> None:
        answers[n] = [post(service, bodies[(n + i) % 3], **kind).json()["findings"] for i in (0, 1)]

    threads = [threading.Thread(target=client, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 12 and all(alone)
    for n, got in answers.items():
        assert got == [alone[n % 3], alone[(n + 1) % 3]]


def test_bodies_in_windows_and_old_mac_encodings_read_as_utf8(service: Running) -> None:
    lines = "\n".join(json.dumps(CLEAN | {"encounter_id": f"U-{i}"}) for i in range(3)) + "\n"
    bodies = {
        "bom": b"\xef\xbb\xbf" + lines.encode(),
        "utf16-le": b"\xff\xfe" + lines.encode("utf-16-le"),
        "utf16-be": b"\xfe\xff" + lines.encode("utf-16-be"),
        "cr-only": lines.replace("\n", "\r").encode(),
    }
    for name, body in bodies.items():
        for headers in ({"content-type": "application/x-ndjson"}, {}):
            report = post(service, body, **headers).json()
            assert report["summary"]["encounters"] == 3, (name, headers)
            assert report["summary"]["input_errors"] == 0, (name, headers)


def test_a_body_that_is_no_claims_is_an_input_error_or_refused(service: Running) -> None:
    html = b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"
    report = post(service, html, **{"content-type": "application/json"}).json()
    assert report["summary"]["input_errors"] == 1
    assert "HTML page" in report["findings"][0]["message"]
    import gzip

    r = post(service, gzip.compress(json.dumps(CLEAN).encode()), **{"content-encoding": "gzip"})
    assert r.status_code == 415 and "uncompressed" in r.json()["detail"]
    r = post(service, b" \r\n\t ", **{"content-type": "application/json"})
    assert r.status_code == 400
