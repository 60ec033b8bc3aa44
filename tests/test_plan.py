"""The work plan (services.plan, present.plan_reports) and the draft Statement of Applicability v2 (services.soa,
present.soa_reports) on the shipped example SoAs."""

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xwalk.core import paths
from xwalk.present import plan_reports, soa_reports
from xwalk.services import baseline, coverage, plan, soa
from xwalk.services.profile import Profile

FULL = paths.ROOT / "examples" / "soa-27001-full.csv"
PARTIAL = paths.ROOT / "examples" / "soa-27001-partial.csv"
USER_ONLY = Profile(develops=False, provides=False, uses_third_party=True, personal_data=True)


def _plan(catalog, soa_file: Path, profile: Profile | None = None) -> plan.Plan:
    return plan.build(catalog, baseline.build(catalog, soa=soa_file), "iso42001", profile)


@pytest.fixture(scope="module")
def full(catalog):
    return _plan(catalog, FULL)


@pytest.fixture(scope="module")
def partial(catalog):
    return _plan(catalog, PARTIAL)


def _in_order(tasks: list[dict]) -> bool:
    seen: set[str] = set()
    for task in tasks:
        if not set(task["depends_on"]) <= seen:
            return False
        seen.add(task["id"])
    return True


def test_every_task_has_what_the_tracker_needs_and_comes_after_its_dependencies(full):
    data = json.loads(plan_reports.render(full, "json"))
    tasks = data["tasks"]
    assert tasks and all({"provision", "effort", "depends_on", "phase", "what", "reuse"} <= set(t) for t in tasks)
    assert _in_order(tasks)
    phases = [t["phase"] for t in tasks]
    assert phases == sorted(phases, key=["plan", "do", "check", "act"].index)
    ids = {t["id"] for t in tasks}
    assert all(set(t["depends_on"]) <= ids for t in tasks)
    for t in tasks:
        e = t["effort"]
        assert 0 <= e["lower"] <= e["remaining"] <= e["upper"] <= e["full"]


def test_totals_add_up_with_bounds_and_test_the_claim(full):
    t = full.totals
    assert t["done"] <= t["saved"]["lower"] <= t["saved"]["estimate"] <= t["saved"]["upper"] <= t["effort"]
    for bound, other in (("lower", "upper"), ("estimate", "estimate"), ("upper", "lower")):
        assert t["remaining"][bound] + t["saved"][other] == pytest.approx(t["effort"], abs=0.05)
    share = t["share_saved"]
    assert share["estimate"] == pytest.approx(t["saved"]["estimate"] / t["effort"], abs=1e-3)
    assert t["claim"]["within_bounds"] == (share["lower"] <= 0.40 <= share["upper"])
    assert "claim 'up to 40% faster'" in plan_reports.claim_line(full)
    assert sum(p["tasks"] for p in full.phases) == len(full.tasks)


def test_a_smaller_baseline_never_leaves_less_to_do(full, partial):
    for bound in ("lower", "estimate", "upper"):
        assert partial.totals["remaining"][bound] >= full.totals["remaining"][bound]
    remaining = {t.id: t.effort["remaining"] for t in full.tasks}
    assert all(t.effort["remaining"] >= remaining.get(t.id, 0) for t in partial.tasks)


def test_what_to_implement_next_ranks_unfinished_controls_by_the_effort_they_save(catalog, partial, full):
    assert full.next == []  # every control of the full SoA is implemented
    gains = [s.gain["estimate"] for s in partial.next]
    assert gains and gains == sorted(gains, reverse=True) and gains[-1] > 0
    first = partial.next[0]
    assert first.status in ("planned", "partially implemented", "excluded", "not implemented") and first.elements
    held = baseline.build(catalog, soa=PARTIAL)
    entry = next(e for e in held.entries.values() if e.notation == first.held_id and e.standard == "iso27001")
    held.entries[entry.provision] = baseline.Entry(**{**vars(entry), "status": "implemented"})
    after = plan.build(catalog, held, "iso42001")
    saved = partial.totals["remaining"]["estimate"] - after.totals["remaining"]["estimate"]
    assert saved == pytest.approx(first.gain["estimate"], abs=0.05)


def test_a_profile_drops_the_controls_it_makes_not_applicable(catalog, full):
    mine = _plan(catalog, FULL, USER_ONLY)
    dropped = {e["control"] for e in mine.excluded}
    assert {"A.6.1.3", "A.6.2.4", "A.10.4"} <= dropped and "A.10.3" not in dropped
    assert not any(t.provision in dropped for t in mine.tasks)
    assert all(e["reason"] and e["effort"] > 0 for e in mine.excluded)
    assert mine.totals["effort"] == pytest.approx(full.totals["effort"] - sum(e["effort"] for e in mine.excluded))
    assert _in_order([{"id": t.id, "depends_on": t.depends_on} for t in mine.tasks])


def test_the_tracker_csv_reads_back_with_its_columns(full):
    rows = list(csv.DictReader(io.StringIO(plan_reports.render(full, "csv"))))
    assert list(rows[0]) == plan_reports.TRACKER_COLUMNS
    assert {"summary", "description", "estimate", "labels", "depends_on"} <= set(rows[0])
    assert [r["id"] for r in rows] == [t.id for t in full.tasks]
    assert all(float(r["estimate"]) >= 0 and r["phase"] in r["labels"] for r in rows)
    assert _in_order([{"id": r["id"], "depends_on": r["depends_on"].split()} for r in rows])


def test_the_plan_workbook_has_frozen_panes_filters_and_percentages(full):
    book = load_workbook(io.BytesIO(plan_reports.render(full, "xlsx")))
    tasks = book["Tasks"]
    header = next(r for r in range(1, 6) if tasks.cell(row=r, column=1).value == "id")
    assert tasks.freeze_panes == f"A{header + 1}" and tasks.auto_filter.ref.startswith(f"A{header}:")
    assert tasks.max_row == header + len(full.tasks)
    share = book["Share saved"]
    assert share.freeze_panes == "A2" and share.auto_filter.ref
    assert share["B3"].number_format == "0%" and share["B3"].value == full.totals["share_saved"]["estimate"]


def test_html_and_markdown_show_every_task_and_the_phase_chart(full):
    html = plan_reports.render(full, "html")
    assert "<svg" in html and "remaining person-days by phase" in html
    assert all(f'id="task-{t.id}"' in html for t in full.tasks)
    md = plan_reports.render(full, "md")
    assert "## Plan" in md and "## What to implement next" in md and full.tasks[0].id in md
    assert plan_reports.headline(full) in plan_reports.render(full, "table")


@pytest.fixture(scope="module")
def draft(catalog):
    held = baseline.build(catalog, soa=FULL)
    report = coverage.compute(catalog, held, "iso42001")
    return soa.draft(report, USER_ONLY)


def test_the_draft_soa_has_a_justification_of_its_own_for_every_control(draft):
    assert len(draft) == 38
    assert len({r.justification for r in draft}) == 38, "a justification is shared by several controls"
    assert len({r.applicability_reason for r in draft}) == 38
    assert {r.status for r in draft} <= {"done", "extend", "new"}
    by_id = {r.control: r for r in draft}
    assert by_id["A.6.1.3"].applicable == "no (suggested)" and by_id["A.6.1.3"].justification.startswith("Excluded")
    assert by_id["A.10.3"].applicable == "yes (suggested)"
    logs = by_id["A.6.2.8"]
    assert "iso27001 A.8.15" in logs.reused and "A.8.15" in logs.reasoning and logs.to_add
    assert all(0 <= r.saved_share <= 1 and r.remaining <= r.effort for r in draft)


def test_without_a_profile_every_control_is_applicable_to_confirm(catalog):
    held = baseline.build(catalog, certified=["iso27001"])
    rows = soa.draft(coverage.compute(catalog, held, "iso42001"))
    assert all(r.applicable.startswith("yes") for r in rows)
    assert {r.applicable for r in rows} == {"yes (suggested)", "yes (confirm)"}


def test_the_draft_workbook_is_styled_with_percentages(draft):
    sheet = load_workbook(io.BytesIO(soa_reports.draft_file(draft, "xlsx")))["Draft SoA"]
    header = next(r for r in range(1, 6) if sheet.cell(row=r, column=1).value == "control")
    assert sheet.freeze_panes == f"A{header + 1}" and sheet.auto_filter.ref.startswith(f"A{header}:")
    column = soa.DRAFT_COLUMNS.index("saved_share") + 1
    assert sheet.cell(row=header + 1, column=column).number_format == "0%"
    assert sheet.cell(row=header, column=1).font.bold
    text = soa_reports.draft_file(draft, "csv").decode("utf-8")
    assert next(csv.reader(io.StringIO(text))) == soa.DRAFT_COLUMNS


def test_an_override_takes_an_element_out_of_the_plan_and_is_listed(catalog, full, tmp_path):
    from xwalk.services import overrides

    path = tmp_path / "ours.csv"
    path.write_text(
        "target,element,held,action,remaining,author,date,reason\n"
        "iso42001,5.2/e1,,accept,,Jane Doe,2026-12-01,our AI policy was approved by the board in November\n",
        "utf-8",
    )
    mine = plan.build(catalog, baseline.build(catalog, soa=FULL), "iso42001", None, overrides.read(catalog, path))
    assert "5.2/e1" in {t.id for t in full.tasks} and "5.2/e1" not in {t.id for t in mine.tasks}
    assert mine.overrides["applied"][0]["applied_to"] == ["5.2/e1"]
    assert not any("5.2/e1" in t.depends_on for t in mine.tasks)
    assert "Jane Doe" in plan_reports.render(mine, "md") and "Jane Doe" in plan_reports.render(mine, "table")
    assert mine.totals["remaining"]["estimate"] < full.totals["remaining"]["estimate"]


# ---------------------------------------------------------------- properties on the real graph

CONTROLS_27001 = [
    f"https://w3id.org/xwalk/id/iso-iec-27001-2022/A.{t}.{n}"
    for t, k in ((5, 37), (6, 8), (7, 14), (8, 34))
    for n in range(1, k + 1)
]
FEW = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
STATUSES = st.sampled_from(["implemented", "partially implemented"])
CONTROLS = st.sampled_from(CONTROLS_27001)


def _held(catalog, controls: dict[str, str]) -> baseline.Baseline:
    held = baseline.build(catalog, certified=["iso27001"])  # clauses and controls; the controls are then replaced
    entries = {iri: e for iri, e in held.entries.items() if iri not in CONTROLS_27001}
    for iri, status in controls.items():
        entries[iri] = baseline.Entry(iri, iri.rsplit("/", 1)[1], "iso27001", status, "", "test")
    return baseline.Baseline(entries=entries, standards=["iso27001"])


@FEW
@given(controls=st.dictionaries(CONTROLS, STATUSES, max_size=8), extra=CONTROLS)
def test_a_larger_baseline_never_leaves_more_to_do_and_the_order_always_holds(catalog, controls, extra):
    smaller = plan.build(catalog, _held(catalog, controls), "iso42001")
    larger = plan.build(catalog, _held(catalog, {**controls, extra: "implemented"}), "iso42001")
    for bound in ("lower", "estimate", "upper"):
        assert larger.totals["remaining"][bound] <= smaller.totals["remaining"][bound] + 1e-9
    assert {t.id for t in larger.tasks} <= {t.id for t in smaller.tasks}
    for drawn in (smaller, larger):
        assert _in_order([{"id": t.id, "depends_on": t.depends_on} for t in drawn.tasks])
        s = drawn.totals["saved"]
        assert drawn.totals["done"] <= s["lower"] <= s["estimate"] <= s["upper"] <= drawn.totals["effort"]
    if controls.get(extra) == "partially implemented":  # raising it is what `next` measured
        gain = next((s.gain["estimate"] for s in smaller.next if s.held_id == extra.rsplit("/", 1)[1]), 0.0)
        gained = smaller.totals["remaining"]["estimate"] - larger.totals["remaining"]["estimate"]
        assert gained == pytest.approx(gain, abs=0.05)


def _next_steps_folding_every_element(catalog, held, key, judged, results) -> list:
    """What to implement next as plan.next_steps computed it before it folded only the elements a candidate
    touches: every element folded again for every candidate."""
    from dataclasses import replace

    from xwalk.services import reuse

    before = {r.id: r for r in results if r.basis == "elements"}
    found = []
    for entry in held.entries.values():
        units = {u.iri: u for u in catalog.units(entry.standard)}
        if entry.weight >= 1 or units[entry.provision].normativity != "SelectableControl":
            continue
        raised = baseline.Baseline(
            entries={**held.entries, entry.provision: replace(entry, status="implemented")},
            standards=list(held.standards),
        )
        after = {r.id: r for r in reuse.results(catalog, raised, key, judged) if r.id in before}
        names = ("saved_lower", "saved", "saved_upper")
        gains = [sum(before[i].effort * (getattr(after[i], n) - getattr(before[i], n)) for i in after) for n in names]
        if gains[1] > 0:
            held_name = f"{catalog.standard(entry.standard).identifier} {entry.notation}"
            ids = sorted(i for i in after if after[i].saved > before[i].saved)
            found.append((held_name, [round(g, 2) for g in gains], ids))
    return sorted(found, key=lambda s: (-s[1][1], s[0]))


@pytest.mark.parametrize("with_overrides", [False, True])
def test_what_to_implement_next_is_the_same_as_folding_every_element_again(catalog, with_overrides):
    from xwalk.services import overrides

    judged = overrides.read(catalog, paths.ROOT / "examples" / "overrides.csv") if with_overrides else overrides.NONE
    held = baseline.build(catalog, soa=PARTIAL)
    drawn = plan.build(catalog, held, "iso42001", None, judged)  # no profile: every control in scope
    report = coverage.compute(catalog, held, "iso42001", overrides=judged)
    expected = _next_steps_folding_every_element(catalog, held, "iso42001", judged, report.elements)
    assert expected  # the partial SoA leaves controls whose implementation would save target effort
    got = [(s.held, [s.gain["lower"], s.gain["estimate"], s.gain["upper"]], s.elements) for s in drawn.next]
    assert got == expected


@pytest.mark.parametrize("soa_file", [FULL, PARTIAL, paths.ROOT / "examples" / "soa-27001-27701.csv"])
@pytest.mark.parametrize("with_overrides", [False, True])
def test_a_plan_drawn_from_the_elements_alone_is_the_plan_read_off_the_report(catalog, soa_file, with_overrides):
    from xwalk.services import overrides

    judged = overrides.read(catalog, paths.ROOT / "examples" / "overrides.csv") if with_overrides else overrides.NONE
    held = baseline.build(catalog, soa=soa_file)
    assert coverage.element_results(catalog, held, "iso42001", judged) is not None  # 27001 is judged element-wise
    report = coverage.compute(catalog, held, "iso42001", overrides=judged)
    drawn = plan.build(catalog, held, "iso42001", USER_ONLY, judged)
    assert drawn == plan.from_report(catalog, held, report, USER_ONLY, judged)
    assert json.dumps(drawn.to_dict()) == json.dumps(
        plan.from_report(catalog, held, report, USER_ONLY, judged).to_dict()
    )


def test_without_a_standard_judged_element_by_element_the_plan_is_read_off_the_report(catalog):
    from xwalk.services import overrides
    from xwalk.services.held import Baseline, Entry

    held = Baseline()  # the guidance of ISO/IEC 23894 in place: mapped to 42001, but not element by element
    for unit in catalog.units("iso23894"):
        held.add(Entry(unit.iri, unit.notation, "iso23894", "implemented", "", "test"))
    assert coverage.element_results(catalog, held, "iso42001") is None  # the elements take their provisions' shares
    drawn = plan.build(catalog, held, "iso42001")
    report = coverage.compute(catalog, held, "iso42001")
    assert drawn == plan.from_report(catalog, held, report, Profile(), overrides.NONE)
    assert {t.id for t in drawn.tasks} == {e.id for e in report.elements if e.mode != "done"}


def test_a_plan_read_off_the_report_counts_derived_mappings_when_the_question_asks(catalog):
    from dataclasses import replace

    from xwalk.services import assess, overrides
    from xwalk.services.held import Baseline, Entry
    from xwalk.services.question import CoverageQuestion

    # the provisions of ISO/IEC 27701:2019 held, but not its standard, so nothing is judged element by element: the
    # elements take their provisions' shares, where derived mappings count
    held = Baseline()
    for unit in catalog.units("iso27701-2019"):
        held.add(Entry(unit.iri, unit.notation, "iso27701-2019", "implemented", "", "test"))
    held.standards = []
    assert coverage.element_results(catalog, held, "iso42001") is None
    question = CoverageQuestion(target="iso42001", with_derived=True)
    drawn = assess.plan(catalog, question, held)
    report = coverage.compute(catalog, held, "iso42001", with_derived=True)
    assert drawn == plan.from_report(catalog, held, report, Profile(), overrides.NONE)
    assert drawn != assess.plan(catalog, replace(question, with_derived=False), held)  # the derived ones changed it
