"""The explorer's pages driven through Streamlit's AppTest: each page's widgets set, and what it shows compared with
the engine's own answer for the same question."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from xwalk.services import ai_act, baseline, browse, coverage, explore, plan, search, soa, stats

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "app.py"
EXAMPLES = ROOT / "examples"
ID = "https://w3id.org/xwalk/id/"
A_5_15 = f"{ID}iso-iec-27001-2022/A.5.15"
EVENT_LOGS = f"{ID}iso-iec-42001-2023/A.6.2.8"


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    app.switch_page(f"views/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def table(app: AppTest, *columns: str):
    """The first dataframe on the page with these columns."""
    return next(d.value for d in app.dataframe if set(columns) <= set(d.value.columns))


def figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def unescaped(markdown: str) -> str:
    return markdown.replace("\\", "")


def test_overview_counts_and_drills_down_to_the_mappings_of_a_cell(catalog):
    app = open_page("overview")
    counts = stats.mapping_counts(catalog)
    assert metric(app, "Standards") == str(len(catalog.standards()))
    assert metric(app, "Provisions") == str(sum(s.provisions for s in catalog.standards()))
    assert metric(app, "Curated mappings") == str(sum(r["count"] for r in counts if not r["derived"]))
    heatmap = next(f for f in figures(app) if f["data"][0]["type"] == "heatmap")["data"][0]
    assert sum(map(sum, heatmap["z"])) == sum(r["count"] for r in counts if not r["derived"])

    app.selectbox(key="overview_pair").set_value(("iso42001", "iso27001"))
    app.selectbox(key="overview_relation").set_value("intersects_with")
    run(app)
    rows = table(app, "subject", "relation", "object")
    expected = next(
        r["count"]
        for r in counts
        if (r["subject_key"], r["object_key"], r["relation"], r["derived"])
        == ("iso42001", "iso27001", "intersects_with", False)
    )
    assert len(rows) == expected and set(rows["relation"]) == {"xw:intersects_with"}

    select_row(app, "cell_table", 0)
    first = explore.pair_mappings(catalog, "iso42001", "iso27001")
    first = next(m for m in first if m["relation"] == "intersects_with" and not m["derived"])
    assert first["rationale"] in [t.value for t in app.text]  # the detail panel, with the rationale in full

    app.toggle(key="overview_derived").set_value(True)
    run(app)
    heatmap = next(f for f in figures(app) if f["data"][0]["type"] == "heatmap")["data"][0]
    assert sum(map(sum, heatmap["z"])) == sum(r["count"] for r in counts)


def test_overview_heatmap_colours_each_pair_of_controls_by_its_strongest_relation(catalog):
    app = open_page("overview")
    controls = next(f for f in figures(app) if "strongest relation" in json.dumps(f["data"][0].get("colorbar", {})))
    cells, clicks = controls["data"]
    curated = [
        m
        for m in explore.pair_mappings(catalog, "iso42001", "iso27001")
        if not m["derived"] and catalog.provision(m["subject"]).kind == "control" == catalog.provision(m["object"]).kind
    ]
    assert set(cells["y"]) == {m["subject_id"] for m in curated}
    assert len(clicks["customdata"]) == len({(m["subject_id"], m["object_id"]) for m in curated})
    logs = cells["y"].index("A.6.2.8"), cells["x"].index("A.8.15")
    assert cells["z"][logs[0]][logs[1]] == 2  # intersects_with, the strongest relation of that pair


def select_row(app: AppTest, key: str, row: int) -> AppTest:
    """Select a row of the dataframe with this key, as a click on it does (a table of provisions is keyed
    KEY@DIGEST-OF-ITS-ROWS, so that a selection never outlives its rows)."""
    drawn = next(d.key for d in app.dataframe if d.key and d.key.split("@")[0] == key)
    app.session_state[drawn] = {"selection": {"rows": [row], "columns": []}}
    return run(app)


def test_browse_finds_a_provision_and_follows_a_mapping_to_the_other_side(catalog):
    app = open_page("browse")
    app.text_input(key="browse_query").set_value("Annex A 5.15")
    run(app)
    hits = table(app, "standard", "id", "found in")
    assert (hits["standard"][0], hits["id"][0], hits["found in"][0]) == ("ISO/IEC 27001:2022", "A.5.15", "its id")
    select_row(app, "browse_results", 0)
    assert "A.5.15 — Access control" in unescaped(app.subheader[0].value)
    shown = table(app, "direction", "relation", "other")
    record = browse.provision_record(catalog, catalog.provision(A_5_15), with_derived=True)  # as `xwalk show`
    engine = record.mappings
    assert shown["other"].tolist() == [m.other_id for m in engine]
    assert set(shown["relation"]) <= {f"xw:{r}" for r in stats.RELATION_ORDER}

    incoming = next(m for m in engine if m.direction == "in" and m.relation != m.stored)
    select_row(app, "browse_mappings", next(i for i, m in enumerate(engine) if m.mapping == incoming.mapping))
    assert incoming.rationale in [t.value for t in app.text]  # the full rationale, not a truncated cell
    assert any("curated by hand" in unescaped(c.value) for c in app.caption)
    app.button(key="browse_open").click()
    run(app)
    assert app.session_state["focus"] == incoming.other
    back = table(app, "direction", "relation", "other")
    row = back[back["other"] == "A.5.15"].iloc[0]
    assert (row["direction"], row["relation"]) == ("→ out", f"xw:{incoming.stored}")  # the same mapping, as stored


def test_the_detail_panel_shows_the_provision_record_with_and_without_derived_mappings(catalog):
    app = open_page("browse")  # the default focus, Article 4 of the AI Act, has curated and derived mappings
    focus = catalog.provision(app.session_state["focus"])
    for with_derived in (True, False):  # the toggle starts on
        app.toggle(key="browse_derived").set_value(with_derived)
        run(app)
        record = browse.provision_record(catalog, focus, with_derived)  # as `xwalk show` and the API answer it
        shown = table(app, "direction", "relation", "other")
        assert shown["other"].tolist() == [m.other_id for m in record.mappings]
        assert shown["derived"].tolist() == [m.derived for m in record.mappings]
        assert any(m.derived for m in record.mappings) == with_derived


def test_browse_search_by_words_ranks_and_an_unknown_id(catalog):
    app = open_page("browse")
    app.text_input(key="browse_query").set_value("logging")
    run(app)
    assert table(app, "standard", "id", "found in")["id"].tolist() == [h.id for h in search.search(catalog, "logging")]
    app.text_input(key="browse_query").set_value("Z.99.99 nothing like it")
    run(app)
    assert any("No provision matches" in unescaped(i.value) for i in app.info)


def test_graph_shows_the_neighbourhood_with_derived_mappings_marked(catalog):
    app = open_page("graph")
    app.text_input(key="graph_query").set_value("A.6.2.8")
    run(app)
    assert app.session_state["focus"] == EVENT_LOGS
    engine = explore.neighbourhood(catalog, EVENT_LOGS)
    traces = figures(app)[0]["data"]
    drawn = {iri for t in traces for iri in t.get("customdata") or [] if isinstance(iri, str)}
    assert drawn == {n.iri for n in engine.nodes}

    app.radio(key="graph_depth").set_value(2)
    run(app)
    engine = explore.neighbourhood(catalog, EVENT_LOGS, depth=2)
    names = {t.get("name") for t in figures(app)[0]["data"]}
    assert any(e.derived for e in engine.edges)
    assert any(name and name.endswith("(derived)") for name in names)
    assert "parent (broader)" in names


def test_coverage_of_the_example_equals_the_engines(catalog):
    app = open_page("coverage")
    assert app.selectbox(key="cov_example").value == "soa-27001-full.csv"
    report = coverage.compute(catalog, baseline.build(catalog, EXAMPLES / "soa-27001-full.csv"), "iso42001")
    s = report.summary
    assert (metric(app, "Estimate"), metric(app, "Lower bound"), metric(app, "Upper bound")) == (
        f"{s.estimate:.0%}",
        f"{s.lower:.0%}",
        f"{s.upper:.0%}",
    )
    assert metric(app, "Provisions") == str(s.provisions)
    assert table(app, "id", "verdict", "score")["verdict"].tolist() == [v.verdict for v in report.provisions]
    assert len(table(app, "what partly helps")) == len(report.gaps())
    partial = next(v for v in report.provisions if v.verdict == "partial")
    app.selectbox(key="cov_evidence_for").set_value(partial.id)
    run(app)
    assert len(table(app, "held", "reads", "rationale")) == len(partial.evidence)
    words = next(m.value for m in app.markdown if "already done" in m.value)
    days = [float(x) for x in re.findall(r"\*\*([\d.]+)\*\*", words.split("\n\n")[0])]
    assert days[0] == report.effort["total"] and abs(days[1] + days[2] + days[4] - days[0]) < 0.2  # done+extend+new
    assert f"**{report.effort['total']:g}** person-days" in words.split("\n\n")[0]  # effort before any count
    assert f"**{s.verdicts['extend']}** to extend" in words and f"**{s.verdicts['new']}** new work" in words
    assert f"**{s.verdicts['partial']}** partly helped" in words
    assert "How this is computed" in [e.label for e in app.expander]
    labels = {b.label for b in app.get("download_button")}
    assert {"HTML report", "XLSX workbook", "CSV table", "JSON (full report)"} <= labels


def test_coverage_of_the_ai_act_for_a_role_tier_and_day(catalog):
    app = open_page("coverage")
    app.selectbox(key="cov_target").set_value("eu-ai-act")
    run(app)
    app.selectbox(key="cov_role").set_value("deployer")
    app.selectbox(key="cov_tier").set_value("high-risk")
    app.date_input(key="cov_on").set_value(date(2027, 12, 2))
    run(app)
    held = baseline.build(catalog, EXAMPLES / "soa-27001-full.csv")
    report = coverage.compute(catalog, held, "eu-ai-act", "deployer", "high-risk", date(2027, 12, 2))
    assert metric(app, "Estimate") == f"{report.summary.estimate:.0%}"
    assert metric(app, "Provisions") == str(report.summary.provisions)
    assert "applies from" in table(app, "id", "verdict").columns


def test_coverage_of_an_upload_and_a_bad_upload(catalog):
    app = open_page("coverage")
    app.radio(key="cov_source").set_value("Upload")
    run(app)
    partial = EXAMPLES / "soa-27001-partial.csv"
    app.file_uploader(key="cov_upload").set_value(("my-soa.csv", partial.read_bytes(), "text/csv"))
    run(app)
    report = coverage.compute(catalog, baseline.build(catalog, partial), "iso42001")
    assert metric(app, "Estimate") == f"{report.summary.estimate:.0%}"
    assert any("my-soa.csv" in unescaped(c.value) for c in app.caption)

    bad = b"Control,Implementation status\nA.5.1,Implemented\nA.99.1,Implemented\nA.5.2,sort of\n"
    app.file_uploader(key="cov_upload").set_value(("broken.csv", bad, "text/csv"))
    run(app)
    message = unescaped(app.error[0].value)
    assert "broken.csv" in message and "row 3" in message and "row 4" in message
    assert "xwalk-upload-" not in message  # names the upload, not the scratch file
    assert not app.metric


def test_coverage_with_the_organisations_overrides_and_a_bad_overrides_file(catalog):
    from xwalk.services import overrides

    app = open_page("coverage")
    example = EXAMPLES / "overrides.csv"
    app.file_uploader(key="cov_overrides").set_value(("ours.csv", example.read_bytes(), "text/csv"))
    run(app)
    judged = overrides.parse(catalog, example.read_bytes(), "ours.csv", ".csv")
    held = baseline.build(catalog, EXAMPLES / "soa-27001-full.csv")
    report = coverage.compute(catalog, held, "iso42001", overrides=judged)
    assert metric(app, "Estimate") == f"{report.summary.estimate:.0%}"
    captions = [unescaped(c.value) for c in app.caption]
    assert any("organisation overrides ours.csv: 4 applied" in c for c in captions)
    assert any("override row 4" in c and "A.8.17" in c for c in captions)

    bad = b"element,action,author,date,reason\n5.2/e1,approve,me,2026-12-01,x\n"
    app.file_uploader(key="cov_overrides").set_value(("bad.csv", bad, "text/csv"))
    run(app)
    message = unescaped(app.error[0].value)
    assert "bad.csv row 2" in message and "approve" in message
    assert not app.metric


def test_ai_act_page_shows_my_systems_now_next_and_if(catalog):
    app = open_page("ai_act")
    app.radio(key="ai_timeline").set_value("published-2024")
    app.date_input(key="ai_on").set_value(date(2026, 12, 2))
    run(app)
    inventory = ai_act.read_inventory(catalog, EXAMPLES / "ai-inventory.yaml")
    expected = ai_act.evaluate(catalog, inventory, date(2026, 12, 2), "published-2024")
    assert metric(app, "AI systems") == str(len(expected["systems"]))
    applying = sum(o["status"] == "applies" for s in expected["systems"] for o in s["obligations"])
    assert metric(app, "Apply now") == str(applying)
    shown = next(d.value for d in app.dataframe if "provision" in d.value.columns)  # the first system's table
    first = expected["systems"][0]
    assert list(shown["provision"]) == [o["id"] for o in first["obligations"]]
    assert dict(zip(shown["provision"], shown["applies from"], strict=True))["Article 26(1)"] == "2026-08-02"
    assert first["name"] == "CV screening" and "Article 27" not in list(shown["provision"])  # a private deployer

    app.multiselect(key="ai_certified").set_value(["iso27001"])
    run(app)
    shown = next(d.value for d in app.dataframe if "provision" in d.value.columns)
    assert set(shown["verdict"]) - {""} <= {"done", "extend", "partial", "new", "not reviewed"}
    assert set(shown["verdict"]) - {""}

    app.radio(key="ai_source").set_value("Edit")
    run(app)
    app.text_area(key="ai_yaml").set_value("systems:\n  - name: x\n    roles: [boss]\n    tier: high-risk\n")
    run(app)
    message = unescaped(app.error[0].value)
    assert "entry 1 (x) field roles" in message and "boss" in message


def test_sparql_page_runs_an_example_and_reports_a_bad_query(catalog):
    app = open_page("sparql")
    first = explore.examples()[0]
    app.selectbox(key="sparql_example").set_value(first.name)
    run(app)
    assert app.session_state["sparql_text"] == app.session_state["sparql_loaded"] == first.text  # into the editor
    app.button(key="sparql_run").click()
    run(app)
    rows = table(app, "standard", "identifier", "provisions")
    assert len(rows) == len(catalog.standards())
    assert {b.label for b in app.get("download_button")} == {"Download CSV", "Download JSON"}

    app.session_state["sparql_text"] = "SELECT ?s WHERE {\n  ?s ?p }"  # as the editor hands it back
    app.button(key="sparql_run").click()
    run(app)
    assert unescaped(app.error[0].value).startswith("the query is not valid SPARQL: line 2, column ")
    assert app.code[0].value.splitlines()[0] == "    ?s ?p }" and "^" in app.code[0].value

    app.session_state["sparql_text"] = "DELETE WHERE { ?s ?p ?o }"
    app.button(key="sparql_run").click()
    run(app)
    assert "the endpoint is read-only" in unescaped(app.error[0].value)


@pytest.mark.parametrize("page", ["overview", "browse", "graph", "coverage", "ai_act", "sparql"])
def test_no_page_renders_raw_html(page):
    """Data reaches the page as text: no st.html and no markdown with unsafe HTML on any page."""
    app = open_page(page)
    assert not app.get("html")
    assert not [m for m in app.markdown if m.proto.allow_html]


def panel_title(app: AppTest) -> list[str]:
    """The headings of the detail panels drawn (`ID — title`)."""
    return [unescaped(h.value) for h in app.subheader if " — " in h.value]


def test_a_row_of_every_table_of_provisions_opens_the_detail_panel(catalog):
    report = coverage.compute(catalog, baseline.build(catalog, EXAMPLES / "soa-27001-full.csv"), "iso42001")
    app = open_page("coverage")
    for key, verdicts in (("verdicts_table", report.provisions), ("gaps_table", report.gaps())):
        row, picked = next((i, v) for i, v in enumerate(verdicts) if v.evidence)
        select_row(app, key, row)
        assert any(t.endswith(f"{picked.id} — {picked.title}") for t in panel_title(app)), key
        first = next(m for m in explore.mappings(catalog, picked.iri) if m.mapping == picked.evidence[0].mapping)
        assert first.rationale in [t.value for t in app.text]  # its strongest evidence, read in full
        if key == "verdicts_table":
            assert app.selectbox(key="cov_evidence_for").value == picked.id  # the row's evidence below it
            select_row(app, "evidence_table", 0)  # a held provision of the evidence
            held = picked.evidence[0]
            assert any(t.endswith(f"{held.held_id} — {catalog.provision(held.held).title}") for t in panel_title(app))

    draft = soa.draft(report)
    select_row(app, "draft_table", 1)
    assert any(t.endswith(f"{draft[1].control} — {draft[1].title}") for t in panel_title(app))

    app.selectbox(key="cov_example").set_value("soa-27001-partial.csv")  # with controls to implement next
    run(app)
    drawn = plan.build(catalog, baseline.build(catalog, EXAMPLES / "soa-27001-partial.csv"), "iso42001")
    select_row(app, "plan_tasks", 0)
    task = drawn.tasks[0]
    assert any(t.endswith(f"{task.provision} — {task.provision_title}") for t in panel_title(app))
    select_row(app, "plan_next", 0)
    assert any(t.endswith(f"{drawn.next[0].held_id} — {drawn.next[0].title}") for t in panel_title(app))

    app = open_page("ai_act")
    inventory = ai_act.read_inventory(catalog, EXAMPLES / "ai-inventory.yaml")
    system = ai_act.evaluate(catalog, inventory, date.today(), app.radio(key="ai_timeline").value)["systems"][1]
    select_row(app, f"ai_system_{system['name']}", 2)
    titles = panel_title(app)
    assert len(titles) == 1 and titles[0].endswith(f"{system['obligations'][2]['title']}")  # under that system only

    app = open_page("graph")
    nodes = explore.neighbourhood(catalog, "https://w3id.org/xwalk/id/eu-ai-act-2024-1689/art-4", 1).nodes
    select_row(app, "nodes_table", len(nodes) - 1)
    assert any(t.endswith(f"{nodes[-1].notation} — {nodes[-1].title}") for t in panel_title(app))
