"""DurableFile: lines reach the OS at once; fsync happens off the calling (reactor) thread."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from crawler import feedstorage
from crawler.feedstorage import DurableFile


@pytest.fixture
def fsync_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the threads that called os.fsync."""
    callers: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        callers.append(threading.current_thread().name)
        real_fsync(fd)

    monkeypatch.setattr(feedstorage.os, "fsync", recording_fsync)
    return callers


def test_lines_are_in_the_file_before_close_and_fsynced_by_a_background_thread(
        tmp_path: Path, fsync_threads: list[str]) -> None:
    path = tmp_path / "feed.jsonl"
    file = DurableFile(path, truncate=False, fsync=True)
    for k in range(50):
        assert file.write(f'{{"n": {k}}}\n'.encode()) == len(f'{{"n": {k}}}\n')
        assert path.read_bytes().endswith(f'{{"n": {k}}}\n'.encode())  # with the OS: survives kill -9
    assert file.sync is not None
    deadline = time.monotonic() + 10
    while not any(name.startswith("cleancrawl-fsync") for name in fsync_threads) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(name.startswith("cleancrawl-fsync") for name in fsync_threads)
    main = threading.current_thread().name
    assert main not in fsync_threads  # writes never wait for the disk on the caller's thread
    file.close()
    assert path.read_text().count("\n") == 50
    assert fsync_threads[-1] == main  # close: a last fsync, once the thread stopped
    assert not file.sync.is_alive()


def test_without_fsync_only_close_syncs(tmp_path: Path, fsync_threads: list[str]) -> None:
    file = DurableFile(tmp_path / "feed.jsonl", truncate=True, fsync=False)
    file.write(b"line\n")
    assert file.sync is None and fsync_threads == []
    file.close()
    assert fsync_threads == [threading.current_thread().name]
