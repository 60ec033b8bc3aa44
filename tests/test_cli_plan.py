"""`xwalk plan` and `xwalk soa-draft` (v2) as a user runs them: the issue's MUST SHOW, every format, the profile,
overrides, and bad input refused with the row or flag named."""

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from test_cli import assert_clean_error, xwalk

EXAMPLES = Path(__file__).parents[1] / "examples"
FULL = str(EXAMPLES / "soa-27001-full.csv")
PLAN = ("plan", "--baseline", FULL, "--target", "iso42001")


def _in_order(tasks) -> bool:
    seen: set[str] = set()
    for task_id, depends_on in tasks:
        if not set(depends_on) <= seen:
            return False
        seen.add(task_id)
    return True


def test_plan_json_has_tasks_in_dependency_order_and_totals_with_bounds():
    result = xwalk(*PLAN, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    tasks = data["tasks"]
    assert tasks and all({"provision", "effort", "depends_on", "phase"} <= set(t) for t in tasks)
    assert _in_order((t["id"], t["depends_on"]) for t in tasks)
    for key in ("saved", "remaining"):
        bounds = data["totals"][key]
        assert bounds["lower"] <= bounds["estimate"] <= bounds["upper"]
    assert 0 < data["totals"]["done"] <= data["totals"]["saved"]["lower"]
    assert "next" in data and "share_saved" in data["totals"]


def test_plan_csv_imports_into_a_spreadsheet_with_the_tracker_columns():
    result = xwalk(*PLAN, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"summary", "description", "estimate", "labels", "depends_on"} <= set(rows[0])
    assert all(float(r["estimate"]) >= 0 for r in rows)
    assert _in_order((r["id"], r["depends_on"].split()) for r in rows)


def test_plan_xlsx_and_html_are_written_whole(tmp_path):
    out = tmp_path / "plan.xlsx"
    assert xwalk(*PLAN, "--format", "xlsx", "--output", str(out)).returncode == 0
    book = load_workbook(out)
    assert book["Tasks"].freeze_panes and book["Tasks"].auto_filter.ref
    assert book["Share saved"]["B2"].number_format == "0%"
    html = xwalk(*PLAN, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html


def test_a_profile_from_a_file_and_flags_drops_controls(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("develops: no\nprovides: yes\n", "utf-8")
    data = json.loads(xwalk(*PLAN, "--profile", str(profile), "--provides", "no", "--format", "json").stdout)
    assert data["profile"] == {"develops": False, "provides": False, "uses_third_party": None, "personal_data": None}
    assert {"A.6.1.3", "A.10.4"} <= {e["control"] for e in data["excluded"]}
    assert not any(t["provision"] == "A.6.1.3" for t in data["tasks"])


def test_a_bad_profile_or_overrides_file_is_refused_naming_the_row(tmp_path):
    profile = tmp_path / "profile.csv"
    profile.write_text("flag,value\ndevelops,yes\nsells,yes\n", "utf-8")
    assert_clean_error(xwalk(*PLAN, "--profile", str(profile)), "profile.csv row 3", "unknown flag 'sells'")
    bad = tmp_path / "ours.csv"
    bad.write_text("target,element,held,action,remaining,author,date,reason\niso42001,5.2/e1,,maybe,,a,2026-12-01,r\n")
    result = xwalk(*PLAN, "--overrides", str(bad))
    assert_clean_error(result, "ours.csv")
    assert "row" in result.stderr


def test_plan_for_another_target_is_refused_clearly():
    assert_clean_error(xwalk("plan", "--baseline", FULL, "--target", "iso23894"), "a plan is drawn for iso42001")


def test_soa_draft_v2_takes_the_profile_and_justifies_each_control(tmp_path):
    rows = json.loads(xwalk("soa-draft", "--baseline", FULL, "--develops", "no", "--format", "json").stdout)
    assert len(rows) == 38 and len({r["justification"] for r in rows}) == 38
    design = next(r for r in rows if r["control"] == "A.6.2.3")
    assert design["applicable"] == "no (suggested)" and design["justification"].startswith("Excluded")
    out = tmp_path / "draft.xlsx"
    assert xwalk("soa-draft", "--baseline", FULL, "--format", "xlsx", "--output", str(out)).returncode == 0
    sheet = load_workbook(out)["Draft SoA"]
    assert sheet.freeze_panes and sheet.auto_filter.ref
    assert any(c.number_format == "0%" for row in sheet.iter_rows() for c in row)
