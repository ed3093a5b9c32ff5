"""Where a page's cleaning time goes: each step of ``cleaners.clean``, per page and as a share.

Run from the repository root (``make bench-stages``)::

    .venv/bin/python -m benchmarks.stages [--rounds R] [--limit N]

``cleaners.clean`` runs R rounds (default 3) over every page (or the first N) of the
Zyte benchmark (``zyte/`` of ``../shared/bench`` or ``$CLEANCRAWL_BENCH_DIR``). A step is any function that
the modules ``cleaners.clean`` and ``cleaners.record`` call through their own names (decoding, parsing,
block rules, metadata, extraction, line rules, language, hashes...): each is wrapped in a
timer for the run, so a new step shows up without changing this file. A step called
from inside another counts in the outer one only. The time a page takes without
the timers is printed beside, to show what they add. It reports, it never asserts.
The last line is::

    stages clean_ms=... top=NAME:SHARE,...
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import cleaners
from benchmarks.speed_site import HTML_TYPE, BenchDataMissing, BenchPage, load_pages

_CONTAINERS = frozenset({"clean", "_clean_text", "text_fields"})  # what the steps are timed inside of
STEP_MODULES = ("cleaners.clean", "cleaners.record")  # record: the language and the hashes of the text


def _clean_all(pages: list[BenchPage], rounds: int) -> None:
    for _ in range(rounds):
        for page in pages:
            try:
                cleaners.clean(page.html, page.url, content_type=HTML_TYPE)
            except cleaners.CleanError:
                pass  # a refused page costs its time like any other


@contextmanager
def timed_steps(*modules: ModuleType) -> Iterator[dict[str, float]]:
    """Time every function ``modules`` call through their globals; yields seconds by step, filled as calls end."""
    seconds: dict[str, float] = {}
    outer: list[str] = []  # the step being timed: calls nested in it are its own time

    def timer(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if outer:
                return function(*args, **kwargs)
            outer.append(name)
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.process_time() - start
                outer.pop()
        return timed

    originals = [(module, name, value) for module in modules for name, value in vars(module).items()
                 if inspect.isfunction(value) and name not in _CONTAINERS]
    try:
        for module, name, function in originals:
            setattr(module, name, timer(name, function))
        yield seconds
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the benchmark pages (default 3)")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--rounds and --limit must be at least 1")
    try:
        pages = load_pages()[: args.limit]
    except BenchDataMissing as error:
        print(f"stages benchmark: {error}", file=sys.stderr)
        return 2
    count = len(pages) * args.rounds
    _clean_all(pages[:5], 1)  # warm-up: imports, trafilatura's and langdetect's first-use costs
    start = time.process_time()
    _clean_all(pages, args.rounds)
    plain = time.process_time() - start

    with timed_steps(*map(importlib.import_module, STEP_MODULES)) as seconds:
        start = time.process_time()
        _clean_all(pages, args.rounds)
        total = time.process_time() - start
    steps = sorted(seconds.items(), key=lambda item: -item[1])
    rest = total - sum(seconds.values())
    print(f"cleaners.clean on {len(pages)} benchmark pages x {args.rounds}: {1000 * plain / count:.1f} ms CPU a page"
          f" ({1000 * total / count:.1f} ms with the step timers)")
    for name, step in [*steps, ("(the rest of clean)", rest)]:
        print(f"  {name:<24} {1000 * step / count:6.2f} ms  {100 * step / total:5.1f}%")
    top = ",".join(f"{name}:{step / total:.2f}" for name, step in steps[:5])
    print(f"stages clean_ms={1000 * plain / count:.1f} top={top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
