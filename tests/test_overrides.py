"""Organisation overrides (issue 14, point 7): read through the bounded readers, applied by coverage (and so by
everything that reads its report), listed in every report, a bad file refused with the file and the row named, and
the shipped crosswalk never changed."""

import csv
import hashlib
import io
import json
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from servers import xwalk_service
from test_cli import assert_clean_error, xwalk
from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.present import reports
from xwalk.services import baseline, coverage, overrides

EXAMPLES = Path(__file__).parents[1] / "examples"
FULL = EXAMPLES / "soa-27001-full.csv"
EXAMPLE = EXAMPLES / "overrides.csv"
HEADER = "target,element,held,action,remaining,author,date,reason\n"


@pytest.fixture(scope="module")
def held(catalog):
    return baseline.build(catalog, FULL)


def _elements(report) -> dict:
    return {e.id: e for e in report.elements}


def test_the_example_file_applies_every_override_and_says_what_each_changed(catalog, held):
    judged = overrides.read(catalog, EXAMPLE)
    assert [o.row for o in judged.items] == [2, 3, 4, 5]
    plain = coverage.compute(catalog, held, "iso42001")
    report = coverage.compute(catalog, held, "iso42001", overrides=judged)
    before, after = _elements(plain), _elements(report)
    # remaining 0.5 from 27001 5.2: the reviewers' 0.6-0.8 band becomes the organisation's 0.5, certain for it
    assert (after["5.2/e1"].saved_lower, after["5.2/e1"].saved, after["5.2/e1"].saved_upper) == (0.5, 0.5, 0.5)
    assert before["5.2/e1"].saved < 0.5
    # accept A.8.15's share and reject A.8.17: the band collapses to A.8.15's stated share
    logs = after["A.6.2.8/e2"]
    assert [r.held_id for r in logs.reused] == ["A.8.15"] and logs.saved_lower == logs.saved_upper == 0.6
    assert logs.applied == (3, 4)
    # the whole element: a quarter remains, whatever the baseline
    assert (after["A.7.4/e1"].mode, after["A.7.4/e1"].remaining) == ("extend", 0.5)
    assert before["A.7.4/e1"].mode == "new"
    applied = {i["row"]: i["applied_to"] for i in report.overrides["applied"]}
    assert applied == {2: ["5.2/e1"], 3: ["A.6.2.8/e2"], 4: ["A.6.2.8/e2"], 5: ["A.7.4/e1"]}
    assert report.overrides["not_applied"] == [] and report.overrides["source"].endswith("overrides.csv")


def test_an_override_that_changes_nothing_is_listed_as_not_applied(catalog, tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(HEADER + "iso42001,5.2/e1,iso27001:5.2,reject,,me,2026-12-01,our ISMS policy is not in scope\n")
    judged = overrides.read(catalog, path)
    certified_42001_only = baseline.build(catalog, certified=["iso42001"])  # holds no 27001 5.2
    report = coverage.compute(catalog, certified_42001_only, "iso42001", overrides=judged)
    assert report.overrides["applied"] == [] and report.overrides["not_applied"][0]["row"] == 2


def test_an_override_on_a_provision_scored_on_mappings_acts_on_its_evidence(catalog, tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text(
        "overrides:\n"
        "  - {target: iso27701-2025, element: '6.1.1', held: 'iso27701-2019:5.4.1', action: reject, author: me,"
        " date: 2026-12-01, reason: not ours}\n"
        "  - {target: iso27701-2025, element: '6.1.2', action: remaining, remaining: 0.1, author: me,"
        " date: 2026-12-01, reason: our privacy risk method is done}\n"
    )
    judged = overrides.read(catalog, path)
    held = baseline.build(catalog, EXAMPLES / "soa-27001-27701.csv")
    plain = {v.id: v for v in coverage.compute(catalog, held, "iso27701-2025").provisions}
    report = coverage.compute(catalog, held, "iso27701-2025", overrides=judged)
    after = {v.id: v for v in report.provisions}
    assert plain["6.1.1"].verdict == "done" and after["6.1.1"].verdict == "new" and after["6.1.1"].overrides == [1]
    assert not any(e.held_id == "5.4.1" for e in after["6.1.1"].evidence)
    assert (after["6.1.2"].lower, after["6.1.2"].score, after["6.1.2"].upper) == (0.9, 0.9, 0.9)
    assert after["6.1.2"].overrides == [2] and plain["6.1.2"].score == 0.7


BAD = [
    ("element,action,author,date,reason\n5.2/e9,accept,me,2026-12-01,x\n", "row 2", "not a requirement element"),
    (HEADER + "iso42001,5.2/e1,,approve,,me,2026-12-01,x\n", "row 2", "action 'approve' is not one of"),
    (HEADER + "iso42001,5.2/e1,,remaining,1.5,me,2026-12-01,x\n", "row 2", "not a share between 0 and 1"),
    (HEADER + "iso42001,5.2/e1,,remaining,,me,2026-12-01,x\n", "row 2", "not a share between 0 and 1"),
    (HEADER + "iso42001,5.2/e1,,accept,0.5,me,2026-12-01,x\n", "row 2", "only with the action remaining"),
    (HEADER + "iso42001,5.2/e1,,accept,,,2026-12-01,x\n", "row 2", "the author is empty"),
    (HEADER + "iso42001,5.2/e1,,accept,,me,yesterday,x\n", "row 2", "date 'yesterday' is not a date"),
    (HEADER + "iso42001,5.2/e1,,accept,,me,2026-12-01,\n", "row 2", "the reason is empty"),
    (HEADER + "iso42001,5.2/e1,iso27001:Z.9,accept,,me,2026-12-01,x\n", "row 2", "held 'iso27001:Z.9'"),
    (HEADER + "iso42001,99.9,,accept,,me,2026-12-01,x\n", "row 2", "'99.9' is not a provision of iso42001"),
    (
        HEADER + "iso42001,5.2/e1,,accept,,me,2026-12-01,x\niso42001,5.2/e1,,reject,,me,2026-12-01,y\n",
        "row 3",
        "the same element and held provision as row 2",
    ),
    ("target,element,verdict\niso42001,5.2/e1,ok\n", "row 1", "unknown column(s) verdict"),
    (HEADER + "iso9999,5.2/e1,,accept,,me,2026-12-01,x\n", "row 2", "unknown standard 'iso9999'"),
]


@pytest.mark.parametrize(("text", "row", "expected"), BAD)
def test_a_bad_file_is_refused_naming_the_file_and_the_row(catalog, tmp_path, text, row, expected):
    path = tmp_path / "ours.csv"
    path.write_text(text)
    with pytest.raises(XwalkError) as error:
        overrides.read(catalog, path)
    assert f"ours.csv {row}" in str(error.value) and expected in str(error.value), str(error.value)


def test_a_yaml_alias_and_a_non_list_are_refused(catalog, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text("a: &x {element: 5.2/e1}\noverrides: [*x]\n")
    with pytest.raises(XwalkError, match="aliases"):
        overrides.read(catalog, path)
    path.write_text("element: 5.2/e1\n")
    with pytest.raises(XwalkError, match="expected a list of overrides"):
        overrides.read(catalog, path)


def test_the_cli_refuses_a_bad_file_with_its_row_and_writes_nothing(tmp_path):
    bad = tmp_path / "ours.csv"
    bad.write_text(HEADER + "iso42001,5.2/e1,,approve,,me,2026-12-01,x\n")
    out = tmp_path / "report.json"
    args = ("coverage", "--baseline", str(FULL), "--target", "iso42001", "--overrides", str(bad))
    assert_clean_error(xwalk(*args, "--format", "json", "--output", str(out)), "ours.csv row 2", "approve")
    assert not out.exists()


def _digests() -> dict[str, str]:
    folders = (paths.ELEMENTS_DIR, paths.ROOT / "mappings")
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for f in folders for p in sorted(f.rglob("*")) if p.is_file()
    }


def test_every_format_lists_the_overrides_and_the_shipped_crosswalk_never_changes(catalog, held, tmp_path):
    before = _digests()
    report = coverage.compute(catalog, held, "iso42001", overrides=overrides.read(catalog, EXAMPLE))
    for fmt in ("table", "md", "html"):
        text = reports.render(report, fmt)
        assert "override row 4" in text and "J. Doe (AIMS lead)" in text and "A.8.17" in text, fmt
    rows = list(csv.DictReader(io.StringIO(reports.render(report, "csv"))))
    assert next(r for r in rows if r["id"] == "A.6.2.8")["overrides"] == "row 3, row 4"
    book = load_workbook(io.BytesIO(reports.render(report, "xlsx")))
    assert any("override row 5" in str(c.value) for row in book["Summary"].iter_rows() for c in row)
    data = json.loads(reports.render(report, "json"))
    assert [i["row"] for i in data["overrides"]["applied"]] == [2, 3, 4, 5]
    assert _digests() == before
    again = coverage.compute(catalog, held, "iso42001")  # the catalog's cached answers are not changed either
    assert again.to_dict() == coverage.compute(catalog, baseline.build(catalog, FULL), "iso42001").to_dict()
    assert again.overrides == {"source": "", "applied": [], "not_applied": []}


def test_the_api_applies_overrides_given_as_json_or_uploaded_and_names_a_bad_row():
    rows = [
        {
            "element": "5.2/e1",
            "held": "iso27001:5.2",
            "action": "remaining",
            "remaining": 0.5,
            "author": "me",
            "date": "2026-12-01",
            "reason": "half drafted",
        },
    ]
    with xwalk_service() as server:
        body = {"certified": ["iso27001"], "target": "iso42001", "overrides": rows}
        answer = httpx.post(f"{server}/api/coverage", json=body, timeout=60).json()
        assert answer["overrides"]["applied"][0]["applied_to"] == ["5.2/e1"]
        uploaded = httpx.post(
            f"{server}/api/coverage/upload",
            data={"target": "iso42001"},
            files={"file": ("soa.csv", FULL.read_bytes(), "text/csv"), "overrides": ("ours.csv", EXAMPLE.read_bytes())},
            timeout=60,
        )
        assert uploaded.status_code == 200, uploaded.text
        assert len(uploaded.json()["overrides"]["applied"]) == 4
        bad = httpx.post(
            f"{server}/api/coverage", json={**body, "overrides": [{**rows[0], "action": "approve"}]}, timeout=60
        )
        assert bad.status_code == 400 and "overrides row 1" in bad.json()["error"], bad.text
