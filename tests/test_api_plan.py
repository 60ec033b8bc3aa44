"""The plan and draft SoA routes (api/routes/plan.py) on a real service: JSON rows, an uploaded SoA, a profile."""

from pathlib import Path

import httpx
import pytest

from servers import xwalk_service

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def server():
    with xwalk_service() as base:
        yield base


def _in_order(tasks: list[dict]) -> bool:
    seen: set[str] = set()
    for task in tasks:
        if not set(task["depends_on"]) <= seen:
            return False
        seen.add(task["id"])
    return True


def test_plan_from_json_and_from_an_upload_agree(server):
    soa = (EXAMPLES / "soa-27001-full.csv").read_bytes()
    files = {"file": ("soa.csv", soa, "text/csv")}
    uploaded = httpx.post(f"{server}/api/plan/upload", files=files, data={"develops": "false"}, timeout=60)
    assert uploaded.status_code == 200, uploaded.text
    plan = uploaded.json()
    assert plan["schema"].endswith("/plan/1") and plan["profile"]["develops"] is False
    assert _in_order(plan["tasks"]) and {"provision", "effort", "depends_on", "phase"} <= set(plan["tasks"][0])
    assert "A.6.1.3" in {e["control"] for e in plan["excluded"]}
    assert {"done", "remaining", "saved"} <= set(plan["totals"])
    certified = httpx.post(f"{server}/api/plan", json={"certified": ["iso27001"], "develops": False}, timeout=60)
    assert certified.status_code == 200, certified.text
    assert certified.json()["totals"] == plan["totals"]  # a certificate implies every control implemented


def test_soa_draft_takes_the_profile(server):
    rows = httpx.post(f"{server}/api/soa-draft", json={"certified": ["iso27001"], "provides": False}, timeout=60).json()
    assert len(rows) == 38
    customers = next(r for r in rows if r["control"] == "A.10.4")
    assert customers["applicable"] == "no (suggested)" and customers["justification"].startswith("Excluded")


def test_a_bad_profile_value_is_refused_with_the_field_named(server):
    response = httpx.post(f"{server}/api/plan", json={"certified": ["iso27001"], "develops": "maybe"}, timeout=60)
    assert response.status_code == 422 and "develops" in response.text


def test_plan_takes_the_organisations_overrides_and_lists_them(server):
    override = {
        "target": "iso42001",
        "element": "5.2/e1",
        "action": "accept",
        "author": "Jane Doe",
        "date": "2026-12-01",
        "reason": "the board approved our AI policy",
    }
    plan = httpx.post(f"{server}/api/plan", json={"certified": ["iso27001"], "overrides": [override]}, timeout=60)
    assert plan.status_code == 200, plan.text
    data = plan.json()
    assert "5.2/e1" not in {t["id"] for t in data["tasks"]}
    assert data["overrides"]["applied"][0]["applied_to"] == ["5.2/e1"]
    bad = httpx.post(
        f"{server}/api/plan", json={"certified": ["iso27001"], "overrides": [{**override, "action": "maybe"}]}
    )
    assert bad.status_code == 400 and "row" in bad.json()["error"]


def test_a_plan_for_another_target_is_refused_as_the_cli_refuses_it(server):
    """/api/plan and `xwalk plan` ask the same service (services.assess.plan): another target is an error naming
    the one a plan is drawn for, not a plan of ISO/IEC 42001 under another name."""
    response = httpx.post(f"{server}/api/plan", json={"certified": ["iso27001"], "target": "iso23894"}, timeout=60)
    assert response.status_code == 400 and "a plan is drawn for iso42001" in response.json()["error"]
