"""The per-step profile of cleaners.clean (``make bench-stages``) on a few pages: it reports, never asserts timings."""

from __future__ import annotations

import importlib
import re

import pytest

from benchmarks import stages
from benchmarks.speed_site import BenchDataMissing, load_pages

LAST_LINE = re.compile(r"^stages clean_ms=\d+\.\d top=(?:\w+:\d\.\d\d,){4}\w+:\d\.\d\d$")


@pytest.fixture(scope="module")
def bench_pages() -> list:
    try:
        return load_pages()[:3]
    except BenchDataMissing as error:
        pytest.skip(str(error))


def test_every_step_is_timed_and_the_module_restored(bench_pages: list) -> None:
    modules = [importlib.import_module(name) for name in stages.STEP_MODULES]
    before = [dict(vars(module)) for module in modules]
    with stages.timed_steps(*modules) as seconds:
        stages._clean_all(bench_pages, 1)
    assert [dict(vars(module)) for module in modules] == before  # the timers are gone
    assert {"decode_html", "parse_html", "remove_blocks", "extract_page_metadata", "extract_blocks",
            "remove_lines", "detect_language", "simhash"} <= set(seconds)
    assert not {"clean", "_clean_text", "text_fields"} & set(seconds)
    assert all(value >= 0 for value in seconds.values())


def test_report_ends_with_the_summary_line(bench_pages: list, capsys: pytest.CaptureFixture[str]) -> None:
    assert stages.main(["--rounds", "1", "--limit", "3"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("cleaners.clean on 3 benchmark pages x 1: ")
    assert any(line.split()[0] == "extract_blocks" for line in printed[1:-1])
    assert LAST_LINE.match(printed[-1]), printed[-1]
