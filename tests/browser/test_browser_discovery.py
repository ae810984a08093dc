"""A missing Chromium skips the browser tests locally but fails them under CI=true."""

from __future__ import annotations

import pytest

from . import conftest


def _missing(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM_CANDIDATES", ("/nonexistent/chromium",))
    monkeypatch.delenv("VIRTCURSO_CHROMIUM", raising=False)
    return conftest.chromium_or_skip


def test_missing_browser_is_a_skip_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium found"):
        _missing(monkeypatch)()


def test_missing_browser_is_a_failure_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _missing(monkeypatch)()


def test_explicit_browser_path_wins(monkeypatch, tmp_path):
    browser = tmp_path / "my-chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("VIRTCURSO_CHROMIUM", str(browser))
    assert conftest.find_chromium() == str(browser)
