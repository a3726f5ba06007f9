"""Browser tests: the real app (``streamlit run app.py``) driven by Debian's Chromium through Playwright.

Never ``playwright install``: the tests use ``/usr/bin/chromium`` (``apt-get install -y chromium``).
Without it they skip, unless ``SALES_ANALYTICS_REQUIRE_BROWSER=1`` (CI), where a missing browser
fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    db_path: Path
    process: subprocess.Popen
    log: Path


def _wait_healthy(server: Server, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {server.process.returncode}:\n{server.log.read_text()}"
            )
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s:\n{server.log.read_text()}")


@pytest.fixture
def start_app(tmp_path) -> Iterator[Callable[..., Server]]:
    """Start ``streamlit run app.py`` on a free port with a database in tmp_path; stopped after the test.

    ``start_app(demo=False)`` starts on an empty database; ``demo=True`` lets the app load the demo.
    """
    started: list[Server] = []

    def start(demo: bool = False) -> Server:
        port = _free_port()
        db_path = tmp_path / f"sales-{port}.duckdb"
        log = tmp_path / f"streamlit-{port}.log"
        env = {
            **os.environ,
            "SALES_ANALYTICS_DB": str(db_path),
            "SALES_ANALYTICS_DEMO": "1" if demo else "0",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        server = Server(url=f"http://127.0.0.1:{port}", db_path=db_path, process=process, log=log)
        started.append(server)
        _wait_healthy(server)
        return server

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=15)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("SALES_ANALYTICS_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"{CHROMIUM} is missing and SALES_ANALYTICS_REQUIRE_BROWSER=1 (apt-get install -y chromium)"
            )
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    """A desktop-sized page with Russian as the browser's language."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (390 × 844, touch)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save the whole app to tests/e2e/screenshots/<name>.png (gitignored).

    Streamlit scrolls inside its main container, not the page, so the viewport is stretched to the
    content's height for the shot and put back afterwards.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stSidebarContent"]\')].map(e => e.scrollHeight), window.innerHeight)'
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path
