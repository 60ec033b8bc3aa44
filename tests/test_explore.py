"""The browsing services behind the explorer (xwalk.explore), on the shipped graph."""

import csv
import io

import pytest
from openpyxl import load_workbook

from xwalk.core.errors import XwalkError
from xwalk.present import soa_reports
from xwalk.services import baseline, coverage, explore, soa

ID = "https://w3id.org/xwalk/id/"
A_5_15 = f"{ID}iso-iec-27001-2022/A.5.15"
ART_4 = f"{ID}eu-ai-act-2024-1689/art-4"
EVENT_LOGS = f"{ID}iso-iec-42001-2023/A.6.2.8"


def test_mappings_read_from_the_provisions_side_in_both_directions(catalog):
    for m in explore.mappings(catalog, A_5_15):
        back = next(b for b in explore.mappings(catalog, m.other) if b.mapping == m.mapping)
        assert {m.direction, back.direction} == {"in", "out"}
        assert back.stored == m.stored
        if m.direction == "out":
            assert m.relation == m.stored
        inverse = {"subset_of": "superset_of", "superset_of": "subset_of"}
        assert back.relation == inverse.get(m.relation, m.relation)


def test_derived_mappings_carry_their_chain_and_can_be_left_out(catalog):
    every = explore.mappings(catalog, ART_4)
    derived = [m for m in every if m.derived]
    assert derived and all(len(m.chain) == 2 and m.justification == "MappingChaining" for m in derived)
    assert all(not m.derived for m in explore.mappings(catalog, ART_4, with_derived=False))
    assert len(explore.mappings(catalog, ART_4, with_derived=False)) == len(every) - len(derived)


def test_neighbourhood_marks_derived_links_and_parents(catalog):
    graph = explore.neighbourhood(catalog, ART_4)
    roles = {n.iri: n.role for n in graph.nodes}
    assert roles[ART_4] == "focus"
    assert {m.other for m in explore.mappings(catalog, ART_4)} <= set(roles)
    assert any(e.derived for e in graph.edges)
    assert {e.target for e in graph.edges if e.kind == "broader" and e.source == ART_4} == {
        a.iri for a in catalog.ancestors(ART_4)[:1]
    }
    assert all(e.source in roles and e.target in roles for e in graph.edges)
    lean = explore.neighbourhood(catalog, ART_4, with_derived=False, with_parents=False)
    assert not any(e.derived or e.kind == "broader" for e in lean.edges)
    assert len(explore.neighbourhood(catalog, EVENT_LOGS, depth=2).nodes) > len(
        explore.neighbourhood(catalog, EVENT_LOGS).nodes
    )


def test_pair_mappings_are_the_rows_behind_the_matrix(catalog):
    rows = explore.pair_mappings(catalog, "iso42001", "iso27001")
    counted = {
        (r["relation"], r["derived"]): r["count"]
        for r in catalog.store.select("mapping_counts")
        if (r["subject_key"], r["object_key"]) == ("iso42001", "iso27001")
    }
    assert len(rows) == sum(counted.values())


def test_obligation_schedule_lists_every_role_tier_and_date(catalog):
    schedule = explore.obligation_schedule(catalog, "published-2024")
    assert {"provider", "deployer"} <= {o.role for o in schedule}
    assert [o.applies for o in schedule] == sorted(o.applies for o in schedule)
    with pytest.raises(XwalkError, match="unknown timeline 'someday'"):
        explore.obligation_schedule(catalog, "someday")


def test_an_upload_is_read_like_the_file_and_named_in_messages(catalog, tmp_path):
    path = tmp_path / "soa.csv"
    path.write_text("Control,Applicable,Justification,Status\nA.5.1,No,,Excluded\nA.5.2,Yes,,Implemented\n")
    held = baseline.from_upload(catalog, "our soa.csv", path.read_bytes())
    on_disk = baseline.build(catalog, path)
    assert {k: e.status for k, e in held.entries.items()} == {k: e.status for k, e in on_disk.entries.items()}
    assert coverage.compute(catalog, held, "iso42001").summary == coverage.compute(catalog, on_disk, "iso42001").summary
    assert any("our soa.csv" in line for line in held.description + held.warnings)
    assert not any("xwalk-upload-" in line for line in held.description + held.warnings)
    with pytest.raises(XwalkError) as error:
        baseline.from_upload(catalog, "../../bad.csv", b"Control,Status\nA.5.1,Implemented\nA.99.9,yes\n")
    assert str(error.value).startswith("bad.csv: 1 row(s)") and "row 3" in str(error.value)
    with pytest.raises(XwalkError, match=r"^soa\.exe: unknown file type '\.exe'"):
        baseline.from_upload(catalog, "soa.exe", b"MZ")


def test_draft_files_hold_every_control_with_formulas_guarded(catalog, tmp_path):
    report = coverage.compute(catalog, baseline.build(catalog, certified=["iso27001"]), "iso42001")
    rows = soa.draft(report)
    text = soa_reports.draft_file(rows, "csv").decode("utf-8")
    assert text.splitlines()[0] == ",".join(soa.DRAFT_COLUMNS)
    assert len(list(csv.reader(io.StringIO(text)))) == len(rows) + 1
    sheet = load_workbook(io.BytesIO(soa_reports.draft_file(rows, "xlsx"))).active
    header = next(r for r in range(1, 6) if sheet.cell(row=r, column=1).value == "control")
    assert sheet.max_row == header + len(rows)
    assert sheet.cell(row=header + 1, column=1).value == rows[0].control
    with pytest.raises(XwalkError):
        soa_reports.draft_file(rows, "pdf")


def test_examples_are_titled_by_their_first_comment():
    found = explore.examples()
    assert found and all(e.title and not e.title.startswith("#") and "SELECT" in e.text.upper() for e in found)
