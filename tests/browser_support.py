"""What the browser tests share: headless Debian Chromium through Playwright, skipped (saying why) when either
is missing. `.ci/install-browser` installs Chromium and a CJK font; Playwright comes with the test extra."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_or_skip() -> str:
    """The Chromium executable, once Playwright's client imports; else the module is skipped, saying why."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        pytest.skip("Playwright's Python client is not installed (pip install playwright)",
                    allow_module_level=True)
    if CHROMIUM.exists():
        return str(CHROMIUM)
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("no Chromium at /usr/bin/chromium: run .ci/install-browser "
                    "(apt-get install chromium fonts-noto-cjk)", allow_module_level=True)
    return str(found)
