"""Folders of a process's own under a shared temporary folder (dumps and uploads over a remote
engine): what a stopped process left is removed at the next start; a running one's is not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sdgkg.errors import ConfigError
from sdgkg.scratch_folder import LOCK_NAME, own_folder, remove_leftovers

_HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sdgkg.scratch_folder import own_folder
    folder = own_folder(Path(sys.argv[1]))
    (folder / "dump.nt.gz").write_bytes(b"x")
    print(folder, flush=True)
    time.sleep(60)
    """
)


def _holder(parent: Path) -> tuple[subprocess.Popen[str], Path]:
    """Another sdgkg process that made its folder under ``parent`` and keeps running."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(parent)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, Path(process.stdout.readline().strip())


def _stop(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.stdout is not None
    process.stdout.close()


def test_one_process_gets_one_folder_of_its_own(tmp_path: Path) -> None:
    first = own_folder(tmp_path)
    assert first.parent == tmp_path.resolve()
    assert (first / LOCK_NAME).is_file()
    assert own_folder(tmp_path) == first


def test_a_running_process_keeps_its_folder(tmp_path: Path) -> None:
    process, theirs = _holder(tmp_path)
    try:
        mine = own_folder(tmp_path)
        assert mine != theirs
        assert (theirs / "dump.nt.gz").is_file()
        assert remove_leftovers(tmp_path) == []
    finally:
        _stop(process)


def test_a_killed_process_leaves_nothing_behind_after_the_next_start(tmp_path: Path) -> None:
    process, theirs = _holder(tmp_path)
    _stop(process)
    assert (theirs / "dump.nt.gz").is_file()  # what a killed server leaves
    mine = own_folder(tmp_path)  # the next start
    assert not theirs.exists()
    assert mine.is_dir()


def test_a_folder_being_made_is_left_alone(tmp_path: Path) -> None:
    # Between mkdtemp and its lock file, another process's folder has no lock yet.
    being_made = tmp_path / ".p-abcdefgh"
    being_made.mkdir()
    old_file = tmp_path / "unrelated"
    old_file.write_text("not ours")
    assert remove_leftovers(tmp_path) == []
    assert being_made.is_dir()
    assert old_file.is_file()


def test_a_process_that_stopped_between_lock_and_rename_is_cleaned_up(tmp_path: Path) -> None:
    hidden = tmp_path / ".p-abcdefgh"
    hidden.mkdir()
    (hidden / LOCK_NAME).touch()  # made and locked, then the process died before the rename
    assert remove_leftovers(tmp_path) == [hidden]
    assert not hidden.exists()


def test_an_unusable_temporary_folder_is_named_with_the_way_out(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(ConfigError) as raised:
        own_folder(not_a_folder / "sdgkg-dumps")
    assert str(not_a_folder) in str(raised.value)
    assert "TMPDIR" in str(raised.value)
