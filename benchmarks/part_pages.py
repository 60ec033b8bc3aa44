"""Part 7: the explorer's pages, warm, in a real browser. `streamlit run ui/app.py` on 127.0.0.1 (as the browser
tests start it), driven by Debian's Chromium through Playwright. Each page is opened once by its URL to warm the process
(the engine loaded, the cached answers filled), then reached `repeats` times from the previous page through the
sidebar, in the same tab, as a user goes from page to page; a page is done when its heading text and its data
element are shown and Streamlit's status widget says the script run is over. Medians per page.
"""

import shutil
import statistics
import sys
import time
from pathlib import Path

from benchmarks import common
from benchmarks.part_endpoint import free_port, server

PAGES = {  # url path -> (name, a text the page shows, the element holding its data)
    "": ("Overview", "Crosswalk matrix", "stPlotlyChart"),
    "browse": ("Browse and search", "Place in its standard", "stDataFrame"),
    "graph": ("Graph", "mapped provisions", "stPlotlyChart"),
    "coverage": ("Coverage", "Estimate", "stMetric"),
    "ai-act": ("AI Act", "EU AI Act: my AI systems", "stPlotlyChart"),
    "sparql": ("SPARQL", "Example queries", "stCustomComponentV1"),  # the query editor
}
TARGET_SECONDS = 1.0
WAIT_MS = 30_000


def _done(page, text: str, element: str) -> None:
    page.get_by_text(text).first.wait_for()
    page.get_by_test_id(element).first.wait_for()
    page.wait_for_function(  # the script run is over: no "Running..." status, no stale elements left
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')"
    )


def run(tiny: bool, work: Path) -> dict:
    from playwright.sync_api import sync_playwright

    repeats = 1 if tiny else 5
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(common.ROOT / "ui" / "app.py")]
    command += ["--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1"]
    command += ["--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
    first, warm = {}, {name: [] for name, _, _ in PAGES.values()}
    with server(command, f"{base}/_stcore/health") as started, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        tab = browser.new_context(viewport={"width": 1440, "height": 2200}).new_page()
        tab.set_default_timeout(WAIT_MS)
        for path, (name, text, element) in PAGES.items():  # each page opened by its URL: warms the process
            start = time.perf_counter()
            tab.goto(f"{base}/{path}")
            _done(tab, text, element)
            first[name] = time.perf_counter() - start
        for _ in range(repeats):  # then from page to page through the sidebar, as a user goes
            for name, text, element in PAGES.values():
                start = time.perf_counter()
                tab.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
                _done(tab, text, element)
                warm[name].append(time.perf_counter() - start)
        browser.close()
    pages = {name: {"first": first[name], "median": statistics.median(warm[name]), "runs": warm[name]} for name in warm}
    return {"started_seconds": started, "repeats": repeats, "pages": pages}


def targets(data: dict) -> list[tuple[str, str, bool]]:
    slowest = max(data["pages"].items(), key=lambda item: item[1]["median"])
    return [
        (
            f"every explorer page done within {TARGET_SECONDS:g} s warm (browser)",
            f"slowest: {slowest[0]} {common.ms(slowest[1]['median'])}",
            slowest[1]["median"] < TARGET_SECONDS,
        )
    ]


def markdown(data: dict) -> str:
    rows = [
        [name, common.ms(p["first"]), common.ms(p["median"]), "met" if p["median"] < TARGET_SECONDS else "**missed**"]
        for name, p in data["pages"].items()
    ]
    return "\n".join(
        [
            "### 7. Explorer pages in a browser, warm",
            "",
            f"`streamlit run ui/app.py` on 127.0.0.1 (up in {common.ms(data['started_seconds'])}), Chromium through "
            f"Playwright. Each page opened once by its URL to warm the process (first opening), then reached "
            f"{data['repeats']} times from the previous page through the sidebar (warm); done = its heading and data "
            "element shown and the script run over. Target: "
            f"under {TARGET_SECONDS:g} s warm.",
            "",
            common.table(["page", "first opening", "warm (median)", "target"], rows),
            "",
        ]
    )
