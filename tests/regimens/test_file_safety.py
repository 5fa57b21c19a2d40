"""Files that are not ours to replace, and file-system errors told about the user's file (real files)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from regimens import casefile
from regimens.case import Case
from regimens.casefile import backup_path, load_case, save_case
from regimens.errors import TaperInputError
from tests.conftest import EXAMPLES


@pytest.fixture
def case() -> Case:
    return load_case(EXAMPLES / "kowalski.json")


def changed(case: Case) -> Case:
    return Case.model_validate({**case.model_dump(), "notes": "the new version"})


def test_saving_through_a_symbolic_link_writes_its_target_and_keeps_the_link(tmp_path: Path, case: Case):
    (tmp_path / "store").mkdir()
    target = tmp_path / "store" / "case.json"
    save_case(case, target)
    link = tmp_path / "case.json"
    link.symlink_to(target)
    save_case(changed(case), link)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert load_case(target).notes == "the new version"
    assert load_case(backup_path(target)).notes == case.notes  # the backup sits beside the file it backs up
    assert not backup_path(link).exists()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_read_only_case_is_refused_unless_forced(tmp_path: Path, case: Case):
    path = tmp_path / "case.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(TaperInputError) as info:
        save_case(changed(case), path)
    assert str(path) in str(info.value) and "is read-only" in str(info.value) and "--force" in str(info.value)
    assert path.read_bytes() == before and not backup_path(path).exists()
    save_case(changed(case), path, force=True)
    assert load_case(path).notes == "the new version"


def test_a_read_only_link_target_is_refused_too(tmp_path: Path, case: Case):
    target = tmp_path / "real.json"
    shutil.copyfile(EXAMPLES / "kowalski.json", target)
    target.chmod(0o400)
    link = tmp_path / "case.json"
    link.symlink_to(target)
    with pytest.raises(TaperInputError, match="is read-only"):
        save_case(changed(case), link)
    assert link.is_symlink() and load_case(target) == case


@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "the disk is full; free some space and try again (nothing was changed)"),
    (errno.EFBIG, "too large"),
    (errno.EACCES, "permission denied"),
    (errno.EROFS, "read-only"),
    (errno.ENAMETOOLONG, "name is too long"),
    (errno.EDQUOT, "quota"),
    (errno.EIO, os.strerror(errno.EIO)),
])
def test_a_failing_disk_names_the_users_file_and_changes_nothing(tmp_path: Path, case: Case, monkeypatch,
                                                                 call: str, code: int, words: str):
    path = tmp_path / "case.json"
    save_case(case, path)
    save_case(case, path)
    before, backup = path.read_bytes(), backup_path(path).read_bytes()
    real = getattr(os, call)

    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(tmp_path / ".case.json.x1y2.tmp"))

    monkeypatch.setattr(casefile.os, call, failing)
    try:
        with pytest.raises(TaperInputError) as info:
            save_case(changed(case), path)
    finally:
        monkeypatch.setattr(casefile.os, call, real)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and words in message
    assert ".tmp" not in message and ": : " not in message
    assert path.read_bytes() == before and backup_path(path).read_bytes() == backup
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
