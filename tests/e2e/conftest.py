"""End-to-end fixtures: the app served on a free local port, and Debian's Chromium via
Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.e2e


def chromium_path() -> str | None:
    """Return Debian's Chromium on the PATH; under CI its absence is a failure, not a skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and os.environ.get("CI"):
        pytest.fail("Chromium is not installed (apt-get install chromium); "
                    "CI never skips e2e tests")
    return path


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The browser posts real forms: CSRF protection stays on."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Every page reports what its Content-Security-Policy blocked (the event needs JavaScript;
# Chromium's console message comes with it on or off).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__portalCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`);
});
"""


def watch_csp(context: Any, violations: list[str]) -> None:
    """Collect the CSP violations of every page of a browser context into violations."""
    context.expose_binding("__portalCspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    context.on("console", lambda message: violations.append(f"console: {message.text}")
               if "Content Security Policy" in message.text else None)


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh contexts: new_page(java_script_enabled=False, viewport={…}).

    The test fails when any of its pages hit the Content-Security-Policy.
    """
    contexts: list[Any] = []
    violations: list[str] = []

    def factory(**context_options: Any) -> Any:
        options = {"viewport": {"width": 1280, "height": 900}, **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        watch_csp(context, violations)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        for page in context.pages:  # let late reports of the last page arrive
            page.wait_for_timeout(50) if not page.is_closed() else None
        context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)))


@pytest.fixture
def browser_page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page with JavaScript on."""
    return new_page()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_login(live_server: str) -> Callable[[Any, str, str], None]:
    """Log in through the real form in the browser."""

    def do_login(page: Any, email: str, password: str) -> None:
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("input[type=submit], button[type=submit] >> nth=-1")
        page.wait_for_load_state()

    return do_login
