"""The user's folders come from platformdirs, which follows the XDG variables on Linux."""

from __future__ import annotations

import sys

import pytest

from taper.userdirs import data_dir, state_dir

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")


def test_folders_follow_the_xdg_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert data_dir() == tmp_path / "data" / "taper"
    assert state_dir() == tmp_path / "state" / "taper"


def test_folders_default_to_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_dir() == tmp_path / ".local" / "share" / "taper"
    assert state_dir() == tmp_path / ".local" / "state" / "taper"
