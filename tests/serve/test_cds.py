"""The CDS Hooks service over real HTTP: discovery, signed calls, refused tokens, the cards."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from serve_support import Running, sign

SERVICE = "b12lint-b12-injection"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"


def order(
    dose: float = 1000,
    unit: str = "ug",
    route: str = "78421000",
    note: str = "monthly maintenance",
    reason: str | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": "draft-1",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "authoredOn": "2026-03-02",
        "medicationCodeableConcept": {"text": "Cyanocobalamin 1,000 mcg/mL injection"},
        "note": [{"text": note}],
        "dosageInstruction": [
            {
                "route": {"coding": [{"system": SNOMED, "code": route}]},
                "doseAndRate": [{"doseQuantity": {"value": dose, "unit": unit, "code": unit}}],
            }
        ],
    }
    if reason:
        request["reasonCode"] = [{"coding": [{"system": ICD, "code": reason}]}]
    return request


def condition(code: str) -> dict[str, Any]:
    return {"resourceType": "Condition", "code": {"coding": [{"system": ICD, "code": code}]}}


def coverage(sopt: str) -> dict[str, Any]:
    return {
        "resourceType": "Coverage",
        "status": "active",
        "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": sopt}]},
    }


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }


def hook(
    *, conditions: list[str], sopt: str = "121", given: list[str] = (), **order_args: Any
) -> dict[str, Any]:  # type: ignore[assignment]
    administrations = [
        {
            "resourceType": "MedicationAdministration",
            "status": "completed",
            "medicationCodeableConcept": {"text": "cyanocobalamin"},
            "effectiveDateTime": f"{day}T10:00:00Z",
            "dosage": {
                "route": {"coding": [{"system": SNOMED, "code": "78421000"}]},
                "dose": {"value": 1000, "unit": "ug"},
            },
        }
        for day in given
    ]
    return {
        "hook": "order-sign",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {
            "userId": "Practitioner/1",
            "patientId": "p1",
            "draftOrders": bundle(order(**order_args)),
        },
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "p1"},
            "conditions": bundle(*[condition(c) for c in conditions]),
            "administrations": bundle(*administrations),
            "coverage": bundle(coverage(sopt)),
        },
    }


def call(
    service: Running, payload: dict[str, Any], token: str | None = "sign", path: str = SERVICE
) -> httpx.Response:
    url = f"{service.url}/cds-services/{path}"
    headers = {}
    if token == "sign":
        token = sign(service.private_key, url)
    if token:
        headers["authorization"] = f"Bearer {token}"
    return httpx.post(url, json=payload, headers=headers, timeout=30)


def test_discovery_lists_the_order_hooks_with_prefetch(service: Running) -> None:
    doc = httpx.get(f"{service.url}/cds-services").json()
    hooks = {s["hook"]: s for s in doc["services"]}
    assert set(hooks) == {"order-sign", "order-select"}
    assert set(hooks["order-sign"]["prefetch"]) == {
        "patient",
        "conditions",
        "administrations",
        "coverage",
    }


def test_a_covered_monthly_im_order_gets_no_warning(service: Running) -> None:
    r = call(service, hook(conditions=["D51.0"], reason="D51.0"))
    assert r.status_code == 200, r.text
    assert [c for c in r.json()["cards"] if c["indicator"] != "info"] == []


def test_fatigue_only_for_original_medicare_gets_indication_and_abn_cards(service: Running) -> None:
    r = call(service, hook(conditions=["R53.83"], reason="R53.83", note="for energy"))
    cards = r.json()["cards"]
    sources = [c["source"]["label"] for c in cards]
    assert any(s.startswith("b12lint B12-IND") for s in sources)
    abn = [c for c in cards if "ABN" in c["summary"]]
    assert len(abn) == 1 and abn[0]["indicator"] == "warning"
    for card in cards:
        assert len(card["summary"]) <= 140 and card["indicator"] in {"info", "warning", "critical"}
        # cards ask for documentation; none proposes a diagnosis code to add
        assert "add D51" not in card["detail"] and "code E53.8" not in card["detail"]


def test_no_abn_card_for_medicare_advantage(service: Running) -> None:
    r = call(service, hook(conditions=["R53.83"], sopt="111", note="for energy"))
    assert not [c for c in r.json()["cards"] if "ABN" in c["summary"]]


def test_a_maintenance_injection_a_week_after_the_last_gets_a_frequency_card(
    service: Running,
) -> None:
    r = call(service, hook(conditions=["D51.0"], reason="D51.0", given=["2026-02-23"]))
    cards = r.json()["cards"]
    assert any("B12-FREQ" in c["source"]["label"] for c in cards), cards


def test_an_oral_order_or_no_b12_order(service: Running) -> None:
    oral = call(service, hook(conditions=["D51.0"], reason="D51.0", route="26643006"))
    assert any("ROUTE" in c["source"]["label"] for c in oral.json()["cards"])
    payload = hook(conditions=["D51.0"])
    payload["context"]["draftOrders"]["entry"][0]["resource"]["medicationCodeableConcept"] = {
        "text": "amoxicillin"
    }
    assert call(service, payload).json() == {"cards": []}


def test_missing_prefetch_says_what_was_not_checked(service: Running) -> None:
    payload = hook(conditions=["D51.0"], reason="D51.0")
    del payload["prefetch"]["coverage"]
    cards = call(service, payload).json()["cards"]
    assert any("prefetch" in c["summary"] and "coverage" in c["detail"] for c in cards)


@pytest.mark.parametrize(
    "token",
    [None, "not-a-jwt"],
)
def test_missing_or_garbage_tokens_are_refused(service: Running, token: str | None) -> None:
    r = call(service, hook(conditions=["D51.0"]), token=token)
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"


def test_wrong_audience_expired_unknown_issuer_hmac_and_replay_are_refused(
    service: Running,
) -> None:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    url = f"{service.url}/cds-services/{SERVICE}"
    payload = hook(conditions=["D51.0"])
    key = service.private_key
    refused = {
        "aud": sign(key, "https://elsewhere.example/cds-services/x"),
        "expired": sign(key, url, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
        "issuer": sign(key, url, iss="https://rogue.example"),
        "key": sign(ec.generate_private_key(ec.SECP384R1()), url),
        "hs256": jwt.encode(
            {
                "iss": "https://ehr.example.org",
                "aud": url,
                "exp": int(time.time()) + 60,
                "iat": int(time.time()),
                "jti": "h",
            },
            "secret-secret-secret-secret-32b!",
            algorithm="HS256",
        ),
        "no-jti": sign(key, url, jti=None),
    }
    for why, token in refused.items():
        r = call(service, payload, token=token)
        assert r.status_code == 401, why
    once = sign(key, url)
    assert call(service, payload, token=once).status_code == 200
    assert call(service, payload, token=once).status_code == 401  # replayed jti


def test_unknown_service_and_wrong_hook(service: Running) -> None:
    assert call(service, hook(conditions=[]), path="nope").status_code == 404
    payload = hook(conditions=["D51.0"])
    payload["hook"] = "patient-view"
    assert call(service, payload).status_code == 400
