"""`xwalk coverage`, `gaps` and `soa-draft` as a user runs them: every format, files written whole, bad input."""

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from test_cli import assert_clean_error, xwalk

FULL = str(Path(__file__).parents[1] / "examples" / "soa-27001-full.csv")


def test_table_shows_the_summary_with_bounds():
    result = xwalk("coverage", "--baseline", FULL, "--target", "iso42001")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "ISO/IEC 42001:2023: estimate 37% covered (lower bound 27%, upper bound 46%) over 70 provisions"
    )


def test_json_follows_the_documented_schema():
    data = json.loads(xwalk("coverage", "--baseline", FULL, "--target", "iso42001", "--format", "json").stdout)
    assert data["schema"] == "https://w3id.org/xwalk/schema/coverage/2"
    assert {"lower", "estimate", "upper"} <= set(data["summary"])
    record = next(p for p in data["provisions"] if p["id"] == "7.2")
    assert record["verdict"] == "extend" and record["lower"] < record["score"] < record["upper"] < 1  # reuse, extend
    assert record["basis"] == "elements" and record["elements"] == ["7.2/e1", "7.2/e2", "7.2/e3"]
    element = next(e for e in data["elements"] if e["provision_id"] == "7.2")
    assert element["mode"] == "extend" and element["reused"][0]["held_id"] == "7.2" and element["extension"]
    assert record["evidence"][0]["held_id"] == "7.2" and record["evidence"][0]["rationale"]


def test_csv_has_a_row_per_provision():
    result = xwalk("coverage", "--baseline", FULL, "--target", "iso42001", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 70 and rows[0]["id"] == "4.1"


def test_xlsx_and_html_are_written_whole_to_the_output(tmp_path):
    xlsx, html = tmp_path / "report.xlsx", tmp_path / "report.html"
    assert (
        xwalk(
            "coverage", "--baseline", FULL, "--target", "iso42001", "--format", "xlsx", "--output", str(xlsx)
        ).returncode
        == 0
    )
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Summary", "Provisions"]
    assert book["Provisions"].max_row == 71
    assert (
        xwalk(
            "coverage", "--baseline", FULL, "--target", "iso42001", "--format", "html", "--output", str(html)
        ).returncode
        == 0
    )
    page = html.read_text()
    assert "<svg" in page and 'data-testid="estimate"' in page and "37%" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]


def test_xlsx_without_output_is_refused():
    assert_clean_error(
        xwalk("coverage", "--certified", "iso27001", "--target", "iso42001", "--format", "xlsx"), "give --output FILE"
    )


def test_markdown_report():
    result = xwalk("coverage", "--certified", "iso27001", "--target", "iso42001", "--format", "md")
    assert result.stdout.startswith("# Coverage: ISO/IEC 42001:2023")


def test_ai_act_report_says_which_timeline_it_used():
    result = xwalk(
        "coverage",
        "--certified",
        "iso27001",
        "--target",
        "eu-ai-act",
        "--role",
        "deployer",
        "--tier",
        "high-risk",
        "--on",
        "2028-01-01",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "timeline: Regulation as amended by Regulation (EU) 2026/1744 (Digital Omnibus on AI) (the default)"
        in result.stdout
    )
    assert "Article 26(6)" in result.stdout


def test_spreadsheet_exports_are_safe_against_formula_injection(tmp_path):
    soa = tmp_path / "soa.csv"
    soa.write_text('Control,Applicable,Justification,Status\nA.5.1,no,=HYPERLINK("http://x"),excluded\n')
    result = xwalk("soa-draft", "--baseline", str(soa), "--format", "csv")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "draft.xlsx"
    assert xwalk("soa-draft", "--baseline", str(soa), "--format", "xlsx", "--output", str(out)).returncode == 0
    cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_soa_draft_lists_all_38_controls_with_reuse_and_reasoning():
    rows = json.loads(xwalk("soa-draft", "--baseline", FULL, "--format", "json").stdout)
    assert len(rows) == 38 and rows[0]["control"] == "A.2.2"
    logs = next(r for r in rows if r["control"] == "A.6.2.8")
    assert "iso27001 A.8.15" in logs["reused"] and "A.8.15" in logs["reasoning"]


def test_gaps_list_worst_first_with_what_partly_helps():
    document = json.loads(xwalk("gaps", "--baseline", FULL, "--target", "iso42001", "--format", "json").stdout)
    assert set(document) == {"target", "headline", "gaps"}
    rows = document["gaps"]
    assert rows[0]["verdict"] == "new" and "A.7.4" in {r["id"] for r in rows if r["verdict"] == "new"}
    assert not [k for r in rows for k in (*r, *(k for e in r["evidence"] for k in e)) if " " in k]
    impact = next(r for r in rows if r["id"] == "6.1.4")
    helps = next(e for e in impact["evidence"] if (e["held_standard"], e["held_id"]) == ("iso27001", "6.1.2"))
    assert helps["relation"] == "xw:intersects_with" and len(helps["rationale"]) > 40
    table = xwalk("gaps", "--baseline", FULL, "--target", "iso42001").stdout
    assert "iso27001 6.1.2" in table and "xw:intersects_with" in table


def test_bad_soa_exits_2_naming_the_rows_and_writes_nothing(tmp_path):
    soa = tmp_path / "soa.csv"
    soa.write_text("Control,Status\nA.5.1,implemented\n5.38,implemented\nA.5.1,implemented\n")
    out = tmp_path / "report.json"
    result = xwalk("coverage", "--baseline", str(soa), "--target", "iso42001", "--format", "json", "--output", str(out))
    assert_clean_error(result, "row 3: '5.38' is not a provision", "row 4: A.5.1 repeats row 2")
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["soa.csv"]


def test_output_into_a_missing_folder_is_a_clean_error(tmp_path):
    result = xwalk(
        "coverage", "--certified", "iso27001", "--target", "iso42001", "--output", str(tmp_path / "no" / "r.txt")
    )
    assert_clean_error(result, "does not exist")
