"""Serve the demo data and let Debian's Chromium photograph the network pages for the README.

Usage: python scripts/screenshots.py [--out docs] [--review DIR]
Writes docs/network-map.png, docs/sector-heatmap.png and docs/regional-dashboard.png; with
--review it also saves Arabic and phone-sized pages into DIR for a person to look at.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MEMBER = ("member@demo.lpn.example", "demo-member-pass")
REGIONAL = ("regional@demo.lpn.example", "demo-regional-pass")


@contextmanager
def demo_server() -> Iterator[str]:
    """Yield the URL of the app serving a fresh demo database in a temporary folder."""
    os.environ.setdefault("PORTAL_TESTING", "1")
    from flask_migrate import upgrade

    from portal import create_app
    from portal.demo import seed
    from portal.extensions import db

    folder = tempfile.mkdtemp(prefix="lpn-shots-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.sqlite3",
                      "SECRET_KEY": os.urandom(32).hex(), "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        seed()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


def login(page: Any, base: str, who: tuple[str, str]) -> None:
    """Log in through the form."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("main input[type=submit], main button[type=submit]")
    page.wait_for_load_state()


def open_map(page: Any, url: str) -> None:
    """Open a map page and wait until the interactive map has drawn."""
    page.goto(url)
    page.wait_for_selector("#map-live[data-ready='1']")
    page.wait_for_timeout(400)


def shoot(browser: Any, base: str, out: Path, review: Path | None) -> list[Path]:
    """Take the README pictures (and the review set); return the files written."""
    written = []
    context = browser.new_context(viewport={"width": 1200, "height": 820})
    page = context.new_page()
    login(page, base, MEMBER)
    open_map(page, f"{base}/c/zelenovo/map?lang=en")
    written.append(_element(page, "#map-layout", out / "network-map.png"))
    page.goto(f"{base}/c/zelenovo/heatmap?lang=en")
    written.append(_element(page, ".heatmap-figure", out / "sector-heatmap.png"))
    if review:
        for lang in ("en", "ar"):
            open_map(page, f"{base}/c/zelenovo/map?lang={lang}")
            page.screenshot(path=str(review / f"map-{lang}.png"), full_page=True)
            for name in ("heatmap", "report", "compare"):
                page.goto(f"{base}/c/zelenovo/{name}?lang={lang}")
                page.screenshot(path=str(review / f"{name}-{lang}.png"), full_page=True)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        small = phone.new_page()
        login(small, base, MEMBER)
        for lang in ("en", "ar"):
            open_map(small, f"{base}/c/zelenovo/map?lang={lang}")
            small.screenshot(path=str(review / f"map-phone-{lang}.png"), full_page=True)
        phone.close()
    context.close()
    context = browser.new_context(viewport={"width": 1200, "height": 820})
    page = context.new_page()
    login(page, base, REGIONAL)
    page.goto(f"{base}/regions/north-valley/?lang=en")
    page.screenshot(path=str(out / "regional-dashboard.png"))
    written.append(out / "regional-dashboard.png")
    if review:
        page.goto(f"{base}/regions/north-valley/?lang=ar")
        page.screenshot(path=str(review / "region-ar.png"), full_page=True)
    page.goto(f"{base}/cities?lang=en")  # leave the account on English
    context.close()
    return written


def _element(page: Any, selector: str, path: Path) -> Path:
    page.locator(selector).first.screenshot(path=str(path))
    return path


def main() -> None:
    """Parse arguments, serve the demo, drive Chromium."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--review", default=None)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    review = Path(args.review) if args.review else None
    if review:
        review.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    with demo_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for path in shoot(browser, base, out, review):
            print(f"{path} ({path.stat().st_size // 1024} KiB)")
        browser.close()


if __name__ == "__main__":
    main()
