"""The Plan tab of the explorer's coverage page (ui/explorer/plan_tab.py), driven through Streamlit's AppTest and
compared with the engine's own plan for the same baseline."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from xwalk.services import baseline, plan
from xwalk.services.profile import Profile

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT / "examples" / "soa-27001-full.csv"


def _coverage_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=90).run()
    app.switch_page("views/coverage.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _tasks(app: AppTest):
    return next(d.value for d in app.dataframe if {"task", "after", "phase"} <= set(d.value.columns))


def test_the_plan_tab_lists_the_engines_tasks_in_dependency_order(catalog):
    app = _coverage_page()
    expected = plan.build(catalog, baseline.build(catalog, FULL), "iso42001")
    shown = _tasks(app)
    assert shown["task"].tolist() == [t.id for t in expected.tasks]
    seen: set[str] = set()
    for task, after in zip(shown["task"], shown["after"], strict=True):
        assert {a for a in after.split(", ") if a} <= seen, task
        seen.add(task)
    assert next(m.value for m in app.metric if m.label == "Tasks") == str(len(expected.tasks))
    assert any(c.proto.spec and '"bar"' in c.proto.spec for c in app.get("plotly_chart"))
    labels = {b.label for b in app.get("download_button")}
    assert {"Plan (CSV for a tracker)", "Plan (XLSX)", "Plan (HTML report)"} <= labels

    app.selectbox(key="plan_develops").set_value("no").run()
    assert not app.exception, [e.value for e in app.exception]
    mine = plan.build(catalog, baseline.build(catalog, FULL), "iso42001", Profile(develops=False))
    assert _tasks(app)["task"].tolist() == [t.id for t in mine.tasks]
    assert len(mine.tasks) < len(expected.tasks)
