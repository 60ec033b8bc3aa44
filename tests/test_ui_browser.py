"""End to end: `streamlit run ui/app.py` on loopback, driven by Debian's Chromium through Playwright. Uploads the
example Statement of Applicability, reads the coverage figures off the page, searches, opens details by clicking
rows, and saves a screenshot of each page on a desktop and on a phone (390x844) under var/screenshots/ (the test
artefacts; git-ignored)."""

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from servers import BIN, free_port, running, xwalk_service
from xwalk.present import reports
from xwalk.services import ai_act, baseline, coverage, explore, search

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "soa-27001-partial.csv"  # its figures differ from the page's default example
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 60_000  # a first coverage report on a loaded 2-core machine takes a while
PHONE = {"width": 390, "height": 844}
ROW = 35  # pixels of a dataframe row (and of its header) in Streamlit's grid
PAGES = {  # url path -> a text the loaded page shows, and the element holding its data
    "": ("Crosswalk matrix", "stPlotlyChart"),
    "browse": ("Place in its standard", "stDataFrame"),
    "coverage": ("How this is computed", "stPlotlyChart"),
    "graph": ("mapped provisions", "stPlotlyChart"),
    "ai-act": ("EU AI Act: my AI systems", "stPlotlyChart"),
    "sparql": ("Example queries", "stDataFrame"),
}


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        pytest.fail("Debian's chromium is missing: `make system-deps` installs it (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def explorer():
    """The explorer served by `streamlit run` on a free loopback port, stopped after the module's tests."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "ui/app.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with running(command, f"http://127.0.0.1:{port}/_stcore/health", cwd=ROOT):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module, so the app's scripts load once; each test opens its own tab. Every URL
    the pages ask for is kept in `context.requested`."""
    context = browser.new_context(viewport={"width": 1440, "height": 2200}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    context.requested = []
    context.on("request", lambda request: context.requested.append(request.url))
    yield context
    context.close()


@pytest.fixture
def page(context):
    tab = context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def phone(browser):
    """A phone-sized tab (390x844, touch), as a visitor on a phone sees the explorer."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="module")
def expected(catalog):
    """The engine's own answer for the example SoA against ISO/IEC 42001."""
    return coverage.compute(catalog, baseline.build(catalog, EXAMPLE), "iso42001")


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # let charts finish their transition before the picture
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _metric(page, label: str, exact: bool = False) -> str:
    label_of = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=exact)
    metric = page.get_by_test_id("stMetric").filter(has=label_of)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def _upload_choice(page):
    """The "Upload" choice of the SoA's source (not the overrides' upload button beside it)."""
    return page.get_by_role("radiogroup", name="Statement of Applicability").get_by_text("Upload", exact=True)


def _upload(page, url: str, name: str, content: bytes) -> None:
    page.goto(f"{url}/coverage")
    page.get_by_test_id("stMetric").first.wait_for()  # the example's report is drawn: the page is settled
    _upload_choice(page).click()
    soa = page.get_by_test_id("stFileUploader").filter(has_text="Your SoA")  # not the overrides' uploader
    soa.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )


def test_uploaded_soa_shows_the_engines_coverage(explorer, page, expected):
    _upload(page, explorer, "our-soa.csv", EXAMPLE.read_bytes())
    page.get_by_text("Statement of Applicability our-soa.csv").wait_for()  # the upload is the baseline now
    s = expected.summary
    assert _metric(page, "Estimate") == reports.pct(s.estimate)
    assert _metric(page, "Lower bound") == reports.pct(s.lower)
    assert _metric(page, "Upper bound") == reports.pct(s.upper)
    assert _metric(page, "Provisions") == str(s.provisions)
    assert _metric(page, "Done", exact=True) == str(s.verdicts["done"])  # not "Work done"
    page.get_by_test_id("stPlotlyChart").first.wait_for()
    _shoot(page, "coverage")

    page.get_by_role("tab", name="Downloads").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON (full report)").click()
    data = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert data["summary"]["estimate"] == s.estimate
    assert len(data["provisions"]) == s.provisions


def test_bad_upload_names_the_rows_at_fault(explorer, page):
    bad = (
        b"Control,Applicable,Implementation status\nA.5.1,Yes,Implemented\nA.99.1,Yes,Implemented\nA.5.2,Yes,sort of\n"
    )
    _upload(page, explorer, "broken-soa.csv", bad)
    alert = page.get_by_test_id("stAlertContentError")
    alert.wait_for()
    message = alert.inner_text()
    assert "broken-soa.csv" in message
    assert "row 3" in message and "A.99.1" in message
    assert "row 4" in message and "sort of" in message
    assert page.get_by_test_id("stException").count() == 0
    _shoot(page, "coverage-bad-upload")


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_shows_real_data(explorer, page, path):
    page.goto(f"{explorer}/{path}")
    text, data = PAGES[path]
    page.get_by_text(text).first.wait_for()
    if path == "sparql":
        _settled(page)
        _click_until_shown(page.get_by_role("button", name="Run"), page.get_by_text("6 rows"))
    page.get_by_test_id(data).first.wait_for()
    assert page.get_by_test_id("stException").count() == 0
    foreign = [u for u in page.context.requested if not u.startswith((explorer, "data:", "blob:", "about:"))]
    assert not foreign, f"the page asked for something beyond the explorer (no CDN at run time): {foreign[:5]}"
    _shoot(page, path or "overview")


def test_a_click_on_a_graph_node_opens_it(explorer, page):
    page.goto(f"{explorer}/graph")
    heading = page.get_by_test_id("stHeading").filter(has_text="Article 4 — AI literacy")
    heading.wait_for()
    nodes = page.get_by_test_id("stPlotlyChart").locator(".scatterlayer .trace").last.locator(".points path")
    nodes.first.click(force=True)  # a node of the last standard drawn, never the focus (a star of the AI Act)
    heading.wait_for(state="detached")
    assert "Article 4" not in page.get_by_test_id("stHeading").nth(1).inner_text()


def test_a_click_on_a_matrix_cell_lists_its_mappings(explorer, page):
    page.goto(explorer)
    caption = page.get_by_text("mappings from").first
    caption.wait_for()
    assert "with relation" not in caption.inner_text()
    matrix = page.locator(".st-key-crosswalk_chart")
    cell = matrix.locator(".scatterlayer .trace .points path").first  # the first pair, relation equal
    _settled(page)
    matrix.scroll_into_view_if_needed()
    _click_until_shown(cell, page.get_by_text("with relation equal"), force=True)


def _click_until_shown(target, shown, force: bool = False) -> None:
    """Click `target` until `shown` appears: a click that lands while Plotly is still wiring its events, or while
    Streamlit is still rerunning the page, is lost, so click again (three times at most)."""
    for _ in range(3):
        target.click(force=force)
        try:
            shown.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            continue
    shown.wait_for()


def test_text_from_users_and_data_is_shown_as_text_not_markup(explorer, page):
    payload = "<img src=x onerror=alert(1)> **bold** $x^2$ :red[red] [link](javascript:alert(1))"
    page.goto(f"{explorer}/browse")
    box = page.get_by_label("Find a provision by id or words")
    box.fill(payload)
    box.press("Enter")
    alert = page.get_by_test_id("stAlertContentInfo").filter(has_text="No provision matches")
    alert.wait_for()
    assert payload in alert.inner_text()
    assert alert.locator("img, strong, a, .katex").count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_on_a_phone(explorer, phone, path):
    phone.goto(f"{explorer}/{path}")
    text, data = PAGES[path]
    phone.get_by_text(text).first.wait_for()
    if path == "sparql":
        phone.get_by_role("button", name="Run").click()
    phone.get_by_test_id(data).first.wait_for()
    assert phone.get_by_test_id("stException").count() == 0
    _shoot(phone, f"{path or 'overview'}-phone")


def _settled(page) -> None:
    """Wait for the page's script run to end: no element left over from the run before (Streamlit marks those
    stale), nothing running. A click on a left-over table would select a row of a widget that is gone."""
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"], [data-testid=stStatusWidgetRunningIcon]')"
    )


def _click_row(page, grid, row: int) -> None:
    """Select a row of a Streamlit dataframe by clicking its row marker (the grid is a canvas)."""
    _settled(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + ROW * (row + 1) + ROW / 2)


def _shown_ids(grid, column: int, columns: int) -> list[str]:
    """The cells of one column among the rows the grid draws (its accessible table mirrors the canvas)."""
    cells = grid.locator("[role=gridcell]")  # role locators skip the hidden mirror
    return [cells.nth(i).inner_text() for i in range(column, cells.count(), columns)]


def test_search_lists_the_logging_provisions_and_a_click_opens_the_full_rationale(explorer, page, catalog):
    page.goto(f"{explorer}/browse")
    box = page.get_by_label("Find a provision by id or words")
    box.fill("logging")
    box.press("Enter")
    page.get_by_text("matches, best first").wait_for()
    results = page.get_by_test_id("stDataFrame").first
    results.locator("[role=gridcell]").filter(has_text="Article 19").first.wait_for(state="attached")  # grid mirror
    shown = _shown_ids(results, 1, 5)
    assert {"A.6.2.8", "Article 12", "Article 19"} <= set(shown)

    _click_row(page, results, shown.index("A.6.2.8"))
    page.get_by_test_id("stHeading").filter(has_text="A.6.2.8 — AI system recording of event logs").wait_for()
    engine = explore.mappings(catalog, "https://w3id.org/xwalk/id/iso-iec-42001-2023/A.6.2.8")
    _click_row(page, page.get_by_test_id("stDataFrame").nth(1), 0)
    page.get_by_text("Rationale", exact=True).wait_for()
    # whole, not cut; expect retries, since the heading "Rationale" can be drawn a moment before the text under it
    expect(page.get_by_test_id("stText").filter(has_text=engine[0].rationale)).to_have_count(1, timeout=15_000)
    assert "curated by hand" in page.get_by_test_id("stCaptionContainer").all_inner_texts().__str__()
    _shoot(page, "browse-search-details")


def test_page_cli_and_api_give_the_same_ranked_ids(explorer, page, catalog):
    page.goto(f"{explorer}/browse")
    box = page.get_by_label("Find a provision by id or words")
    box.fill("logging")
    box.press("Enter")
    results = page.get_by_test_id("stDataFrame").first
    results.locator("[role=gridcell]").filter(has_text="Article 19").first.wait_for(state="attached")  # grid mirror
    on_page = _shown_ids(results, 1, 5)
    cli = subprocess.run(
        [str(BIN / "xwalk"), "search", "logging", "--format", "json"], capture_output=True, text=True, timeout=120
    )
    with xwalk_service() as base:
        api = httpx.get(f"{base}/api/search", params={"q": "logging"}, timeout=30).json()
    ranked = [h["id"] for h in json.loads(cli.stdout)]
    assert len(on_page) >= 6 and on_page == ranked[: len(on_page)]
    assert [h["id"] for h in api] == ranked == [h.id for h in search.search(catalog, "logging")]


def test_overview_heatmap_renders_and_a_click_opens_the_mapping(explorer, page):
    page.goto(explorer)
    heatmap = page.get_by_test_id("stPlotlyChart").filter(has_text="strongest relation")
    heatmap.wait_for()
    expect(heatmap.locator(".hm, .heatmaplayer image, image")).not_to_have_count(0)  # the cells are drawn
    heatmap.scroll_into_view_if_needed()
    heatmap.locator(".scatterlayer .trace .points path").first.click(force=True)
    page.get_by_test_id("stHeading").filter(has_text="Details").wait_for()
    page.get_by_text("Rationale", exact=True).wait_for()
    assert page.get_by_test_id("stException").count() == 0
    page.get_by_test_id("stHeading").filter(has_text="Details").evaluate("e => e.scrollIntoView({block: 'start'})")
    _shoot(page, "overview-heatmap-details")


def test_coverage_works_on_a_phone_with_the_upload_in_reach(explorer, phone, expected):
    phone.goto(f"{explorer}/coverage")
    phone.get_by_test_id("stMetric").first.wait_for()  # the example's report is drawn: the page is settled
    upload = _upload_choice(phone)
    box = upload.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # on the page, not behind the sidebar
    upload.click()
    soa = phone.get_by_test_id("stFileUploader").filter(has_text="Your SoA")  # not the overrides' uploader
    soa.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "our-soa.csv", "mimeType": "text/csv", "buffer": EXAMPLE.read_bytes()}]
    )
    phone.get_by_text("Statement of Applicability our-soa.csv").wait_for()
    assert _metric(phone, "Estimate") == reports.pct(expected.summary.estimate)
    metrics = phone.locator(".st-key-cov_figures").get_by_test_id("stMetric")
    rows = {round(metrics.nth(i).bounding_box()["y"]) for i in range(metrics.count())}
    assert len(rows) < metrics.count()  # a grid: several figures share a row on a 390 px screen
    assert all(metrics.nth(i).bounding_box()["width"] <= PHONE["width"] for i in range(metrics.count()))
    assert phone.get_by_test_id("stException").count() == 0
    _shoot(phone, "coverage-phone-upload")


def test_sparql_editor_highlights_and_a_syntax_error_shows_line_and_column(explorer, page):
    page.goto(f"{explorer}/sparql")
    editor = page.frame_locator("iframe[title*='code_editor']")
    editor.locator(".ace_keyword").first.wait_for()  # the example is highlighted as SPARQL
    assert "SELECT" in editor.locator(".ace_keyword").all_inner_texts()
    colour = "e => getComputedStyle(e).color"
    keyword, comment = (editor.locator(c).first.evaluate(colour) for c in (".ace_keyword", ".ace_comment"))
    plain = editor.locator("#REACT_ACE_EDITOR .ace_line").first.evaluate(colour)
    assert len({keyword, comment, plain}) == 3  # highlighted: keywords and comments in colours of their own
    editor.locator("#REACT_ACE_EDITOR .ace_content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT ?s WHERE {\n?s ?p }")
    page.keyboard.press("Control+Enter")  # the editor's own run
    alert = page.get_by_test_id("stAlertContentError").filter(has_text="not valid SPARQL")
    alert.wait_for()
    assert "line 2, column" in alert.inner_text()
    expect(page.get_by_test_id("stCode").last).to_contain_text("^")  # drawn after the alert
    editor.locator("#REACT_ACE_EDITOR .ace_content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("DELETE WHERE { ?s ?p ?o }")
    page.keyboard.press("Escape")  # close the completion list
    editor.get_by_role("button", name="Run").click()  # the Run button in the editor
    page.get_by_test_id("stAlertContentError").filter(has_text="the endpoint is read-only").wait_for()
    assert page.get_by_test_id("stException").count() == 0
    _shoot(page, "sparql-error")


def test_the_plan_tab_shows_the_tasks_and_the_effort_chart(explorer, page, catalog):
    from xwalk.services import plan

    drawn = plan.build(catalog, baseline.build(catalog, ROOT / "examples" / "soa-27001-full.csv"), "iso42001")
    page.goto(f"{explorer}/coverage")
    page.get_by_role("tab", name="Plan").click()
    panel = page.get_by_role("tabpanel", name="Plan")
    panel.get_by_test_id("stDataFrame").first.wait_for()
    assert _metric(page, "Tasks") == str(len(drawn.tasks))
    panel.get_by_test_id("stPlotlyChart").first.wait_for()
    panel.get_by_text(f"{len(drawn.tasks)} tasks, ").first.wait_for()  # the plan's headline
    assert page.get_by_test_id("stException").count() == 0
    _shoot(page, "coverage-plan")


FULL = ROOT / "examples" / "soa-27001-full.csv"  # the coverage page's default example


@pytest.fixture(scope="module")
def full_report(catalog):
    return coverage.compute(catalog, baseline.build(catalog, FULL), "iso42001")


def _opens_with_the_full_rationale(tab, panel, catalog, verdict) -> None:
    """The detail panel in `panel` shows `verdict`'s provision and its strongest evidence's rationale in full, as
    the engine's explore.mappings gives it."""
    heading = panel.get_by_test_id("stHeading").filter(has_text=f"{verdict.id} — {verdict.title}")
    heading.wait_for()
    panel.get_by_text("Rationale", exact=True).wait_for()
    engine = next(m for m in explore.mappings(catalog, verdict.iri) if m.mapping == verdict.evidence[0].mapping)
    # whole, not cut; expect retries, since the heading "Rationale" can be drawn a moment before the text under it
    expect(panel.get_by_test_id("stText").filter(has_text=engine.rationale)).to_have_count(1, timeout=15_000)
    panel.get_by_role("link", name="Linked-data page of this provision").wait_for()
    assert tab.get_by_test_id("stException").count() == 0
    full = panel.get_by_test_id("stText").filter(has_text=engine.rationale)
    full.evaluate("e => e.scrollIntoView({block: 'center'})")  # the rationale in the screenshot


def _a_verdict_opens(tab, explorer, catalog, report) -> None:
    tab.goto(f"{explorer}/coverage")
    tab.get_by_role("tab", name="Verdicts").click()
    panel = tab.get_by_role("tabpanel", name="Verdicts")
    grid = panel.get_by_test_id("stDataFrame").first
    grid.wait_for()
    row = next(i for i, v in enumerate(report.provisions) if i and v.evidence)  # not the box's default, the first
    _click_row(tab, grid, row)
    _opens_with_the_full_rationale(tab, panel, catalog, report.provisions[row])
    box = panel.get_by_test_id("stSelectbox").filter(has_text="Evidence for")
    assert box.locator("input").input_value().startswith(f"{report.provisions[row].id} — ")  # its evidence below


def test_a_click_on_a_verdict_opens_its_provision_with_the_full_rationale(explorer, page, catalog, full_report):
    _a_verdict_opens(page, explorer, catalog, full_report)
    _shoot(page, "coverage-verdict-details")


def test_a_click_on_a_verdict_opens_its_provision_on_a_phone(explorer, phone, catalog, full_report):
    _a_verdict_opens(phone, explorer, catalog, full_report)
    _shoot(phone, "coverage-verdict-details-phone")


def _a_task_opens(tab, explorer, catalog, report) -> None:
    from xwalk.services import plan

    tasks = plan.build(catalog, baseline.build(catalog, FULL), "iso42001").tasks
    verdicts = {v.id: v for v in report.provisions}
    row = [i for i, t in enumerate(tasks[:8]) if verdicts[t.provision].evidence][-1]  # a row the grid shows
    tab.goto(f"{explorer}/coverage")
    tab.get_by_role("tab", name="Plan").click()
    panel = tab.get_by_role("tabpanel", name="Plan")
    grid = panel.get_by_test_id("stDataFrame").first
    grid.locator("[role=gridcell]").filter(has_text=tasks[row].id).first.wait_for(state="attached")  # grid mirror
    _click_row(tab, grid, row)
    _opens_with_the_full_rationale(tab, panel, catalog, verdicts[tasks[row].provision])


def test_a_click_on_a_plan_task_opens_its_provision_with_the_full_rationale(explorer, page, catalog, full_report):
    _a_task_opens(page, explorer, catalog, full_report)
    _shoot(page, "coverage-plan-details")


def test_a_click_on_a_plan_task_opens_its_provision_on_a_phone(explorer, phone, catalog, full_report):
    _a_task_opens(phone, explorer, catalog, full_report)
    _shoot(phone, "coverage-plan-details-phone")


def _opens(tab, grid, row: int, heading: str) -> None:
    """A click on `row` of `grid` opens the detail panel headed `heading` (ID — title), with its mappings."""
    _click_row(tab, grid, row)
    title = tab.get_by_test_id("stHeading").filter(has_text=heading)
    title.wait_for()
    tab.get_by_role("link", name="Linked-data page of this provision").wait_for()
    tab.get_by_text("Mappings", exact=True).wait_for()
    assert tab.get_by_test_id("stException").count() == 0
    title.evaluate("e => e.scrollIntoView({block: 'center'})")  # the panel in the screenshot


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_click_on_an_obligation_of_an_ai_system_opens_its_article(explorer, page, phone, catalog, device):
    tab = page if device == "desktop" else phone
    default = next(t["key"] for t in explore.ai_act_terms(catalog)["timeline"] if t["is_default"])
    inventory = ai_act.read_inventory(catalog, ROOT / "examples" / "ai-inventory.yaml")
    first = ai_act.evaluate(catalog, inventory, date.today(), default)["systems"][0]["obligations"]
    tab.goto(f"{explorer}/ai-act")
    grid = tab.get_by_test_id("stDataFrame").first  # the first AI system's obligations
    grid.locator("[role=gridcell]").filter(has_text=first[1]["id"]).first.wait_for(state="attached")
    _opens(tab, grid, 1, f"{first[1]['id']} — {first[1]['title']}")
    _shoot(tab, "ai-act-details" + ("-phone" if device == "phone" else ""))


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_click_on_a_node_of_the_graphs_table_opens_it(explorer, page, phone, catalog, device):
    tab = page if device == "desktop" else phone
    nodes = explore.neighbourhood(catalog, "https://w3id.org/xwalk/id/eu-ai-act-2024-1689/art-4", 1).nodes
    tab.goto(f"{explorer}/graph")
    tab.get_by_text("Nodes as a table").click()
    grid = tab.get_by_test_id("stExpander").get_by_test_id("stDataFrame")
    grid.locator("[role=gridcell]").filter(has_text=nodes[2].title).first.wait_for(state="attached")
    _opens(tab, grid, 2, f"{nodes[2].notation} — {nodes[2].title}")
    _shoot(tab, "graph-details" + ("-phone" if device == "phone" else ""))
