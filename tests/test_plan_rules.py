"""Planning tables (load.plan_rules): task dependencies with reasons, the PDCA phase of each provision, the
applicability rules of the Annex A controls, and the organisation profile (services.profile)."""

import shutil

import pytest

from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.load import elements, plan_rules
from xwalk.services import profile, validate


@pytest.fixture(scope="module")
def shipped():
    found = elements.read_elements()
    return found, plan_rules.plan_data(found)


def _controls(found):
    return sorted({e.provision for e in found if e.provision.startswith("A.")})


@pytest.fixture
def tables(tmp_path):
    for name in (plan_rules.DEPENDENCIES_FILE, plan_rules.PHASES_FILE, plan_rules.APPLICABILITY_FILE):
        shutil.copy(paths.ELEMENTS_SOURCE_DIR / name, tmp_path / name)
    return tmp_path


def _append(directory, name, line):
    with (directory / name).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_the_shipped_tables_pass_the_named_check(shipped):
    found, data = shipped
    assert plan_rules.problems(found, data.dependencies, data.phases) == []
    assert [f for f in validate.planning() if f.check == plan_rules.CHECK] == []


def test_the_dependencies_named_in_the_issue_hold_for_every_element(shipped):
    found, data = shipped
    of = {p: {e.id for e in found if e.provision == p} for p in {e.provision for e in found}}
    for task, before in (("A.5.2", "6.1.4"), ("A.5.4", "6.1.4"), ("8.2", "6.1.2"), ("A.2.2", "5.2")):
        for element in of[task]:
            assert of[before] <= data.graph[element], (task, before)
    assert all(d.reason and d.provenance for d in data.dependencies)


def test_a_cycle_is_found_and_named(shipped, tables):
    found, _ = shipped
    _append(tables, plan_rules.DEPENDENCIES_FILE, "4.1,10.1,loop for the test,test")
    dependencies = plan_rules.read_dependencies(found, tables)
    messages = plan_rules.problems(found, dependencies, plan_rules.read_phases(found, tables))
    assert len(messages) == 1 and "cycle" in messages[0] and "4.1/e1" in messages[0]


def test_a_dependency_on_a_later_phase_is_found(shipped, tables):
    found, _ = shipped
    _append(tables, plan_rules.DEPENDENCIES_FILE, "4.1,10.2,context after corrective action (wrong),test")
    dependencies = plan_rules.read_dependencies(found, tables)
    messages = plan_rules.problems(found, dependencies, plan_rules.read_phases(found, tables))
    assert messages and all("planned later (act)" in m for m in messages)
    assert any(m.startswith("4.1/e1 (plan) depends on 10.2/e1") for m in messages)


def test_an_unknown_reference_is_refused_with_its_line(shipped, tables):
    _append(tables, plan_rules.DEPENDENCIES_FILE, "A.5.2,6.1.9,no such clause,test")
    with pytest.raises(XwalkError, match=r"iso42001_dependencies.csv line 29: depends_on '6.1.9'"):
        plan_rules.read_dependencies(shipped[0], tables)


def test_a_provision_without_phase_is_refused(shipped, tables):
    text = (tables / plan_rules.PHASES_FILE).read_text("utf-8")
    (tables / plan_rules.PHASES_FILE).write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("9.1,")) + "\n", "utf-8"
    )
    with pytest.raises(XwalkError, match="no phase for 9.1"):
        plan_rules.read_phases(shipped[0], tables)


def test_phases_follow_the_clause_rule_and_exceptions_say_why(shipped):
    _, data = shipped
    rule = {"4": "plan", "5": "plan", "6": "plan", "7": "do", "8": "do", "9": "check", "10": "act"}
    for provision, phase in data.phases.items():
        expected = "do" if provision.startswith("A.") else rule[provision.split(".")[0]]
        if phase.phase != expected:
            assert phase.reason.startswith("exception: "), provision
    exceptions = [p for p, phase in data.phases.items() if phase.reason.startswith("exception")]
    assert 0 < len(exceptions) <= 8


def test_the_order_puts_nothing_before_what_it_depends_on(shipped):
    found, data = shipped
    rank = {e.id: (plan_rules.PHASE_ORDER[data.phases[e.provision].phase], i) for i, e in enumerate(found)}
    ordered = plan_rules.order(data.graph, rank)
    assert sorted(ordered) == sorted(e.id for e in found)
    position = {task: index for index, task in enumerate(ordered)}
    assert all(position[b] < position[a] for a, before in data.graph.items() for b in before)
    phases = [rank[t][0] for t in ordered]
    assert phases == sorted(phases)  # grouped by phase


def test_every_control_has_a_rule_with_its_own_reasons(shipped):
    controls = _controls(shipped[0])
    rules = plan_rules.read_applicability(controls)
    assert sorted(rules) == controls and len(controls) == 38
    reasons = [r.reason_applicable for r in rules.values()]
    reasons += [r.reason_not_applicable for r in rules.values() if r.applies_if]
    assert len(reasons) == len(set(reasons)), "a reason is shared by several controls"
    assert {f for r in rules.values() for f in r.applies_if} == set(plan_rules.PROFILE_FLAGS)


def test_a_rule_with_an_unknown_flag_is_refused(shipped, tables):
    text = (tables / plan_rules.APPLICABILITY_FILE).read_text("utf-8").replace("A.10.4,provides,", "A.10.4,sells,")
    (tables / plan_rules.APPLICABILITY_FILE).write_text(text, "utf-8")
    with pytest.raises(XwalkError, match=r"line 39: applies_if 'sells'"):
        plan_rules.read_applicability(_controls(shipped[0]), tables)


def test_a_profile_decides_applicability_with_the_control_reason(shipped):
    rules = plan_rules.read_applicability(_controls(shipped[0]))
    user = profile.parse("develops: no\nprovides: no\nuses_third_party: yes\npersonal_data: no\n", "p.yaml")
    assert not profile.applicability(user, rules["A.6.1.3"]).applicable
    assert profile.applicability(user, rules["A.6.1.3"]).reason == rules["A.6.1.3"].reason_not_applicable
    assert profile.applicability(user, rules["A.10.3"]).applicable
    unknown = profile.applicability(profile.Profile(), rules["A.6.1.3"])
    assert unknown.applicable and not unknown.confirmed_by_profile
    assert profile.applicability(user, rules["A.2.2"]).applicable  # always


def test_a_profile_reads_from_csv_and_refuses_bad_rows_by_name():
    assert profile.parse("flag,value\ndevelops,yes\npersonal_data,false\n", "p.csv") == profile.Profile(
        develops=True, personal_data=False
    )
    with pytest.raises(XwalkError, match=r"p.csv row 3: 'perhaps' is not yes or no"):
        profile.parse("flag,value\ndevelops,yes\nprovides,perhaps\n", "p.csv")
    with pytest.raises(XwalkError, match=r"p.yaml key sells: unknown flag"):
        profile.parse("sells: yes\n", "p.yaml")
    with pytest.raises(XwalkError, match="aliases"):
        profile.parse("a: &x yes\ndevelops: *x\n", "p.yaml")


def test_the_phase_order_names_the_phases_of_the_element_tables():
    from xwalk.load.elements import PHASES

    assert list(plan_rules.PHASE_ORDER) == list(PHASES)  # the same four, in the same order (plan_rules avoids rdflib)
