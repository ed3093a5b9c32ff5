"""Where the public benchmark data lives: ``$CLEANCRAWL_BENCH_DIR`` or ``../shared/bench/zyte``."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_ENV = "CLEANCRAWL_BENCH_DIR"
DEFAULT_BENCH_DIR = ROOT / ".." / "shared" / "bench" / "zyte"


class BenchDataMissing(Exception):
    """The benchmark directory or one of its files is missing."""


def bench_dir() -> Path:
    """The benchmark directory: ``$CLEANCRAWL_BENCH_DIR`` or ``../shared/bench/zyte`` beside the repository."""
    override = os.environ.get(BENCH_ENV)
    return Path(override) if override else DEFAULT_BENCH_DIR.resolve()
