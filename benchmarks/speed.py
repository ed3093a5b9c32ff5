"""Throughput and memory benchmark: the full crawl against a plain trafilatura loop.

Run from the repository root (``make bench-speed``)::

    .venv/bin/python -m benchmarks.speed [--pages N] [--skip-10x] [--skip-crawl-10x] [--workers W]
        [--concurrency C] [--set NAME=VALUE ...] [--crawl-root DIR] [--phases abcdew]
        [--wcxb-pages N] [--wcxb-dir DIR] [--output DIR]

``benchmarks.speed_site`` serves N article pages (default 2,000: the 181 pages of the
Zyte benchmark in ``zyte/`` of ``../shared/bench`` or ``$CLEANCRAWL_BENCH_DIR``, repeated
under distinct URLs as distinct stories) from a threaded HTTP server on 127.0.0.1.
In one run it measures:

(a) ``trafilatura loop``: one process decoding each page as the crawl does
    (``cleaners.decoding.decode_html``) and calling ``trafilatura.extract`` on it;
    the baseline, timed over decode + extract only;
(b) ``fetch ceiling``: ``scrapy crawl news`` without item pipelines or feeds;
(c) ``full crawl``: ``scrapy crawl news`` with every pipeline, the feed export and
    the SQLite store (in a temporary directory);
(d) ``cleaners loop``: one process calling ``cleaners.clean`` (a cleaning worker's
    whole work on a page) on the same pages: (d)/(a) is what a page's cleaning costs
    against ``trafilatura.extract`` alone, hence the most that (c)/(a) can reach with
    the machine's cores, and (c)/(d) is how well the crawl uses them;

(e) ``archive cleaner``: the N pages written to a WARC by the crawl's WARC writer, then
    cleaned by ``python -m cleaners --workers all`` (or ``--workers``):
    (e)/(cores x (d)) is how well the offline cleaner uses the cores;
(w) both loops, (a) and (d), on the first pages of the WCXB benchmark
    (``../shared/bench/wcxb``): the cost ratio (d)/(a) on larger, newer pages;

then (c) and (e) again at 10 x N, to see how memory grows. Crawls run as subprocesses
from the repository root (or ``--crawl-root``, another checkout, to compare code
versions; ``--set`` adds Scrapy settings); their wall time (start of the command to
its exit, start-up included) gives pages per second, psutil samples the crawl
process and every process under it for CPU time and resident memory (the peak of
the sum of RSS over the tree). The machine may be shared: each measurement also
reports how busy other processes kept the cores, and the CPU time per page, which
other load disturbs much less than the wall time. It is a benchmark: it reports,
it never asserts timings.
The exit status is 0 when every crawl finished, 1 when one failed, 2 when the
benchmark data is missing. The last line is::

    speed pages_per_s=... ratio_vs_trafilatura_loop=... peak_rss_mb=... rss_growth_10x=...
        archive_pages_per_s=... ratio_clean_vs_trafilatura=... parallel_efficiency=...
        ratio_clean_vs_trafilatura_wcxb=...

(on one line: ratio_clean_vs_trafilatura is (d)/(a), parallel_efficiency (e)/(cores x (d))).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks.speed_archive import ArchiveResult, describe_archive, run_archive
from benchmarks.speed_monitor import TreeMonitor, TreeUsage, machine_busy
from benchmarks.speed_site import HTML_TYPE, START_PATH, BenchDataMissing, SpeedSite, load_pages

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = 2000
DEFAULT_WCXB_PAGES = 200
WCXB_DIR = ROOT / ".." / "shared" / "bench" / "wcxb"
DEFAULT_CONCURRENCY = 32
# Root (depth 0) -> index pages (1) -> articles (2): every article is within the limit,
# and links found on articles are read (as in any crawl) but not followed.
DEPTH_LIMIT = 2
LOOP_BASE_URL = "http://127.0.0.1:8000"  # the loops' page URLs: they make no request


# --- (a) the baseline -----------------------------------------------------------


@dataclass
class LoopResult:
    pages: int
    seconds: float  # wall time of decode + extract, summed over pages
    cpu_seconds: float  # this process's CPU time over the loop
    others: float  # cores that other processes kept busy meanwhile, on average

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _loop(site: SpeedSite, base_url: str, process: Callable[[bytes, str], object]) -> LoopResult:
    """``process(body, url)`` on every article page of the site, in this process, after one warm-up call."""
    process(site.article(0), base_url + site.article_path(0))
    seconds = 0.0
    machine_before, cpu_before, wall_before = machine_busy(), time.process_time(), time.perf_counter()
    for k in range(site.n):
        body, url = site.article(k), base_url + site.article_path(k)
        start = time.perf_counter()
        try:
            process(body, url)
        except Exception:  # noqa: BLE001 (a failing page costs its time like any other)
            pass
        seconds += time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    others = (machine_busy() - machine_before - cpu) / (time.perf_counter() - wall_before)
    return LoopResult(site.n, seconds, cpu, max(others, 0.0))


def trafilatura_loop(site: SpeedSite, base_url: str) -> LoopResult:
    """(a): decode_html + trafilatura.extract on every article page of the site, in this process."""
    import trafilatura

    from cleaners.decoding import decode_html

    return _loop(site, base_url, lambda body, url: trafilatura.extract(decode_html(body, HTML_TYPE)[0], url=url))


def cleaners_loop(site: SpeedSite, base_url: str) -> LoopResult:
    """(d): ``cleaners.clean``, the whole per-page work of a crawl's worker, on every article page, in this process."""
    import cleaners

    return _loop(site, base_url, lambda body, url: cleaners.clean(body, url, content_type=HTML_TYPE))


# --- (b), (c): crawls -------------------------------------------------------------


@dataclass
class CrawlResult:
    name: str
    pages: int
    seconds: float
    returncode: int
    usage: TreeUsage
    server_cpu: float
    stats: dict[str, Any] = field(default_factory=dict)
    saved_urls: list[str] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def engine_seconds(self) -> float | None:
        value = self.stats.get("elapsed_time_seconds")
        return float(value) if value is not None else None

    def drops(self) -> dict[str, int]:
        return {key.removeprefix("cleancrawl/dropped/"): value for key, value in sorted(self.stats.items())
                if key.startswith("cleancrawl/dropped/")}


@dataclass(frozen=True)
class CrawlOptions:
    """How the benchmark crawls run (the defaults are the project's own settings)."""

    workers: int | None = None  # CLEANCRAWL_WORKERS; None: the project's default
    concurrency: int = DEFAULT_CONCURRENCY  # CONCURRENT_REQUESTS and CONCURRENT_REQUESTS_PER_DOMAIN
    settings: tuple[tuple[str, str], ...] = ()  # more -s NAME=VALUE, after the benchmark's own
    root: Path = ROOT  # the checkout to crawl from (its scrapy.cfg, settings and code)


def crawl_command(start_url: str, out: Path, *, full: bool, options: CrawlOptions = CrawlOptions()) -> list[str]:
    """The ``scrapy crawl news`` command of a benchmark crawl writing into ``out``."""
    settings: dict[str, str] = {
        "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "CLEANCRAWL_STORE_PATH": str(out / "articles.sqlite3"),
        "FEEDS": json.dumps({str(out / "articles.jsonl"): {"format": "jsonlines", "encoding": "utf8", "overwrite": True}}),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": str(options.concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(options.concurrency),
        "DEPTH_LIMIT": str(DEPTH_LIMIT),
        "STATS_CLASS": "benchmarks.speed_stats.JsonFileStatsCollector",
        "SPEED_STATS_FILE": str(out / "stats.json"),
        "LOG_FILE": str(out / "crawl.log"),
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": "False",
    }
    if not full:
        settings.update({"ITEM_PIPELINES": "{}", "FEEDS": "{}"})
    if options.workers is not None:
        settings["CLEANCRAWL_WORKERS"] = str(options.workers)
    settings.update(options.settings)
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={start_url}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_crawl(name: str, site: SpeedSite, out: Path, *, full: bool, options: CrawlOptions = CrawlOptions()) -> CrawlResult:
    """Serve ``site`` and crawl it with ``scrapy crawl news`` in a subprocess, measured."""
    out.mkdir(parents=True, exist_ok=True)
    me = psutil.Process()
    with site.serve() as base_url:
        command = crawl_command(base_url + START_PATH, out, full=full, options=options)
        server_before = sum(me.cpu_times()[:2])
        with (out / "stderr.txt").open("wb") as stderr:
            start = time.perf_counter()
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
            process = subprocess.Popen(command, cwd=options.root, env=env, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
            with TreeMonitor(process.pid) as monitor:
                returncode = process.wait()
            seconds = time.perf_counter() - start
        server_cpu = sum(me.cpu_times()[:2]) - server_before
    stats_path, feed_path = out / "stats.json", out / "articles.jsonl"
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.is_file() else {}
    saved: list[str] = []
    if feed_path.is_file():
        with feed_path.open(encoding="utf-8") as feed:
            saved = [json.loads(line)["url"] for line in feed if line.strip()]
    tail = (out / "stderr.txt").read_text("utf-8", errors="replace")[-3000:] if returncode else ""
    return CrawlResult(name, site.n, seconds, returncode, monitor.usage, server_cpu, stats, saved, tail)


# --- report -------------------------------------------------------------------------


def _mb(value: int) -> float:
    return value / 1e6


def _others(result: CrawlResult) -> float:
    return max(result.usage.machine_busy - result.usage.cpu - result.server_cpu, 0.0) / result.seconds


def describe_crawl(result: CrawlResult, cores: int) -> list[str]:
    usage = result.usage
    engine = result.engine_seconds
    lines = [
        f"{result.name}: {result.pages} pages in {result.seconds:.1f} s = {result.pages_per_s:.1f} pages/s"
        + (f" (engine open to close {engine:.1f} s = {result.pages / engine:.1f} pages/s)" if engine else ""),
        f"    CPU {usage.cpu:.1f} s = {usage.cpu / result.seconds:.2f} of {cores} cores"
        f" ({100 * usage.cpu / result.seconds / cores:.0f}%): crawl process {usage.cpu_root:.1f} s"
        f" ({1000 * usage.cpu_root / result.pages:.1f} ms/page), under it {usage.cpu_children:.1f} s"
        f" ({1000 * usage.cpu_children / result.pages:.1f} ms/page); HTTP server {result.server_cpu:.1f} s",
        f"    other processes on the machine kept {_others(result):.2f} cores busy on average meanwhile",
        f"    peak RSS {_mb(usage.peak_rss):.0f} MB over {usage.peak_processes} processes"
        f" (crawl process {_mb(usage.peak_rss_root):.0f} MB at that moment)",
    ]
    stats = result.stats
    if stats:
        lines.append(f"    responses {stats.get('response_received_count', 0)}, items saved {len(result.saved_urls)},"
                     f" unique URLs saved {len(set(result.saved_urls))}, cleaned {stats.get('cleancrawl/cleaned', 0)}")
        drops = result.drops()
        if drops:
            lines.append("    dropped: " + ", ".join(f"{why} {count}" for why, count in drops.items()))
    if result.returncode:
        lines.append(f"    FAILED with exit status {result.returncode}; stderr ends with:\n{result.stderr_tail}")
    return lines


@dataclass
class Report:
    site: SpeedSite
    loop: LoopResult | None
    clean_loop: LoopResult | None
    fetch: CrawlResult | None
    full: CrawlResult | None
    full_10x: CrawlResult | None
    archive: ArchiveResult | None
    archive_10x: ArchiveResult | None
    lines: list[str]

    @property
    def ok(self) -> bool:
        runs = (self.fetch, self.full, self.full_10x, self.archive, self.archive_10x)
        return all(r.returncode == 0 for r in runs if r is not None)


def _cpu_line(loop: LoopResult | None, full: CrawlResult, cores: int) -> str:
    """Noise-proof view: CPU per page, and the rate that cores fully given to the crawl would reach."""
    per_page = full.usage.cpu / full.pages
    line = (f"CPU per page: full crawl {1000 * per_page:.1f} ms (crawl process {1000 * full.usage.cpu_root / full.pages:.1f}"
            f" + workers {1000 * full.usage.cpu_children / full.pages:.1f}); {cores} idle cores would give at most"
            f" {cores / per_page:.1f} pages/s")
    if loop is not None and loop.cpu_seconds:
        line += f" = {cores / per_page / (loop.pages / loop.cpu_seconds):.2f} x the loop's CPU rate ({1000 * loop.cpu_seconds / loop.pages:.1f} ms/page)"
    return line


def wcxb_ratio(pages: int, directory: Path, say: Callable[..., None]) -> str:
    """(a) and (d) on the first ``pages`` WCXB pages (larger, newer pages than Zyte's): their (d)/(a)."""
    try:
        bench = load_pages(directory)
    except BenchDataMissing as error:
        say(f"(w) WCXB pages: skipped, {error}")
        return "n/a"
    site = SpeedSite(bench, min(pages, len(bench)))
    loop, clean_loop = trafilatura_loop(site, LOOP_BASE_URL), cleaners_loop(site, LOOP_BASE_URL)
    ratio = clean_loop.pages_per_s / loop.pages_per_s
    say(f"(w) WCXB pages ({site.n} of {len(bench)}): trafilatura loop {loop.pages_per_s:.1f} pages/s"
        f" ({1000 * loop.cpu_seconds / loop.pages:.1f} ms CPU/page), cleaners loop {clean_loop.pages_per_s:.1f} pages/s"
        f" ({1000 * clean_loop.cpu_seconds / clean_loop.pages:.1f} ms CPU/page): (d)/(a) = {ratio:.2f} (target >= 0.8)")
    return f"{ratio:.2f}"


def _archive_figures(archive: ArchiveResult, archive_10x: ArchiveResult | None, clean_loop: LoopResult | None,
                     cores: int) -> list[str]:
    lines = []
    if clean_loop is not None:
        lines.append(f"(e)/(cores x (d)) = {archive.pages_per_s / (cores * clean_loop.pages_per_s):.2f}"
                     f" (target >= 0.9): the archive cleaner on {cores} cores against the same cleaning in one process")
        # Noise-proof view, as for the crawl: what idle cores would give at the CPU time the run took per page.
        per_page = archive.usage.cpu / archive.pages
        loop_per_page = clean_loop.cpu_seconds / clean_loop.pages
        lines.append(f"CPU per page: archive cleaner {1000 * per_page:.1f} ms (main process"
                     f" {1000 * archive.usage.cpu_root / archive.pages:.1f} + workers"
                     f" {1000 * archive.usage.cpu_children / archive.pages:.1f}) against (d)'s {1000 * loop_per_page:.1f};"
                     f" {cores} idle cores would give at most {cores / per_page:.1f} pages/s ="
                     f" {loop_per_page / per_page:.2f} x cores x (d)'s CPU rate")
    if archive_10x is not None and archive.worker_peak_rss:
        change = archive_10x.worker_peak_rss / archive.worker_peak_rss - 1
        lines.append(f"archive cleaner peak RSS per worker {archive.worker_peak_rss / 1e6:.0f} MB at {archive.pages} pages,"
                     f" {archive_10x.worker_peak_rss / 1e6:.0f} MB at {archive_10x.pages}: {100 * change:+.1f}%"
                     f" (target < +10%, < 250 MB); main process {archive.main_peak_rss / 1e6:.0f} ->"
                     f" {archive_10x.main_peak_rss / 1e6:.0f} MB")
    return lines


def run(pages: int = DEFAULT_PAGES, *, skip_10x: bool = False, options: CrawlOptions = CrawlOptions(),
        phases: str = "abcdew", output: Path | None = None, echo: bool = True, skip_crawl_10x: bool = False,
        wcxb_pages: int = DEFAULT_WCXB_PAGES, wcxb_dir: Path = WCXB_DIR) -> Report:
    """Run the measurements (``phases``: a trafilatura loop, b fetch ceiling, c full crawl, d cleaners loop,
    e archive cleaner, w the loops on WCXB pages).

    Returns the report.

    Its last line is the summary line (``n/a`` for what was not measured).
    """
    cores = os.cpu_count() or 1
    lines: list[str] = []

    def say(*text: str) -> None:
        lines.extend(text)
        if echo:
            print(*text, sep="\n", flush=True)

    bench = load_pages()
    temp = None
    if output is None:
        temp = tempfile.mkdtemp(prefix="cleancrawl-speed-")
        output = Path(temp)
    try:
        site = SpeedSite(bench, pages)
        extra = " ".join(f"{name}={value}" for name, value in options.settings)
        say(f"speed benchmark: {pages} article pages ({len(bench)} benchmark pages repeated), {cores} cores,"
            f" CLEANCRAWL_WORKERS {'default' if options.workers is None else options.workers},"
            f" CONCURRENT_REQUESTS {options.concurrency}" + (f", {extra}" if extra else "")
            + (f", crawling from {options.root}" if options.root != ROOT else ""))
        loop = clean_loop = fetch = full = full_10x = archive = archive_10x = None
        if "a" in phases:
            loop = trafilatura_loop(site, LOOP_BASE_URL)
            say(f"(a) trafilatura loop: {loop.pages} pages in {loop.seconds:.1f} s = {loop.pages_per_s:.1f} pages/s"
                f" (1 process, decode_html + trafilatura.extract; {1000 * loop.cpu_seconds / loop.pages:.1f} ms CPU/page;"
                f" other processes kept {loop.others:.2f} cores busy meanwhile)")
        clean_ratio = "n/a"
        if "d" in phases:
            clean_loop = cleaners_loop(site, LOOP_BASE_URL)
            say(f"(d) cleaners loop: {clean_loop.pages} pages in {clean_loop.seconds:.1f} s = {clean_loop.pages_per_s:.1f}"
                f" pages/s (1 process, cleaners.clean: a worker's whole work per page;"
                f" {1000 * clean_loop.cpu_seconds / clean_loop.pages:.1f} ms CPU/page;"
                f" other processes kept {clean_loop.others:.2f} cores busy meanwhile)")
            if loop is not None:
                clean_ratio = f"{clean_loop.pages_per_s / loop.pages_per_s:.2f}"
                say(f"(d)/(a) = {clean_ratio} (target >= 0.8): the rate of a page's whole cleaning"
                    f" against trafilatura.extract alone; {cores} cores can bring the crawl to at most"
                    f" {cores * clean_loop.pages_per_s / loop.pages_per_s:.2f} x (a)")
        if "b" in phases:
            fetch = run_crawl("(b) fetch ceiling", site, output / "fetch", full=False, options=options)
            say(*describe_crawl(fetch, cores))
        ratio = "n/a"
        if "c" in phases:
            full = run_crawl("(c) full crawl", site, output / "full", full=True, options=options)
            say(*describe_crawl(full, cores))
            if loop is not None:
                ratio = f"{full.pages_per_s / loop.pages_per_s:.2f}"
                say(f"(c)/(a) = {ratio}")
            if loop is not None and fetch is not None:
                bound = min(fetch.pages_per_s, cores * loop.pages_per_s)
                say(f"(c)/min((b), cores x (a)) = {full.pages_per_s / bound:.2f} (target >= 0.8; (b) {fetch.pages_per_s:.1f},"
                    f" cores x (a) {cores * loop.pages_per_s:.1f} pages/s)")
            if clean_loop is not None:
                say(f"(c)/(d) = {full.pages_per_s / clean_loop.pages_per_s:.2f}: the crawl against the same cleaning"
                    f" in one process ({cores} cores: at most {cores}); (c)/(cores x (d)) ="
                    f" {full.pages_per_s / (cores * clean_loop.pages_per_s):.2f} (target >= 0.85)")
            say(_cpu_line(loop, full, cores))
        growth = "skipped" if skip_10x else "n/a"
        if full is not None and not (skip_10x or skip_crawl_10x):
            full_10x = run_crawl("(c) full crawl at 10x", SpeedSite(bench, pages * 10), output / "full-10x", full=True,
                                 options=options)
            say(*describe_crawl(full_10x, cores))
            change = full_10x.usage.peak_rss / full.usage.peak_rss - 1 if full.usage.peak_rss else 0.0
            growth = f"{100 * change:+.1f}%"
            say(f"peak RSS {_mb(full.usage.peak_rss):.0f} MB at {pages} pages, {_mb(full_10x.usage.peak_rss):.0f} MB"
                f" at {pages * 10}: {growth} (target < +20%)")
        efficiency = "n/a"
        if "e" in phases:
            workers = "all" if options.workers is None or options.workers < 0 else str(options.workers)
            archive = run_archive("(e) archive cleaner", site, LOOP_BASE_URL, output / "archive", workers)
            say(*describe_archive(archive, cores))
            if not skip_10x:
                archive_10x = run_archive("(e) archive cleaner at 10x", SpeedSite(bench, pages * 10), LOOP_BASE_URL,
                                          output / "archive-10x", workers)
                say(*describe_archive(archive_10x, cores))
            say(*_archive_figures(archive, archive_10x, clean_loop, cores))
            if clean_loop is not None:
                efficiency = f"{archive.pages_per_s / (cores * clean_loop.pages_per_s):.2f}"
        wcxb = wcxb_ratio(wcxb_pages, wcxb_dir, say) if "w" in phases else "n/a"
        say(f"speed pages_per_s={f'{full.pages_per_s:.1f}' if full else 'n/a'} ratio_vs_trafilatura_loop={ratio}"
            f" peak_rss_mb={f'{_mb(full.usage.peak_rss):.0f}' if full else 'n/a'} rss_growth_10x={growth}"
            f" archive_pages_per_s={f'{archive.pages_per_s:.1f}' if archive else 'n/a'}"
            f" ratio_clean_vs_trafilatura={clean_ratio} parallel_efficiency={efficiency}"
            f" ratio_clean_vs_trafilatura_wcxb={wcxb}")
        return Report(site, loop, clean_loop, fetch, full, full_10x, archive, archive_10x, lines)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, not {text!r}")
    return name, value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help=f"article pages to serve (default {DEFAULT_PAGES})")
    parser.add_argument("--skip-10x", action="store_true", help="do not repeat the full crawl and the archive cleaner at 10 x pages")
    parser.add_argument("--skip-crawl-10x", action="store_true", help="do not repeat the full crawl at 10 x pages")
    parser.add_argument("--workers", type=int, default=None, help="CLEANCRAWL_WORKERS of the crawls (default: the project's)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                        help=f"CONCURRENT_REQUESTS and CONCURRENT_REQUESTS_PER_DOMAIN (default {DEFAULT_CONCURRENCY})")
    parser.add_argument("--set", type=_setting, action="append", default=[], metavar="NAME=VALUE",
                        help="one more Scrapy setting for the crawls (repeatable), e.g. CONCURRENT_ITEMS=16")
    parser.add_argument("--crawl-root", type=Path, default=ROOT,
                        help="run the crawls from this checkout (e.g. a git worktree), to compare code versions")
    parser.add_argument("--phases", default="abcdew",
                        help="what to measure: a trafilatura loop, b fetch ceiling, c full crawl, d cleaners loop,"
                             " e archive cleaner, w both loops on WCXB pages (default abcdew)")
    parser.add_argument("--wcxb-pages", type=int, default=DEFAULT_WCXB_PAGES,
                        help=f"WCXB pages for phase w (default {DEFAULT_WCXB_PAGES}, the first by id)")
    parser.add_argument("--wcxb-dir", type=Path, default=WCXB_DIR, help="the WCXB benchmark (default ../shared/bench/wcxb)")
    parser.add_argument("--output", type=Path, default=None, help="keep the crawls' feeds, stores, logs and stats here")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    if not set(args.phases) <= set("abcdew") or not args.phases:
        parser.error("--phases takes letters among a, b, c, d, e, w")
    if args.wcxb_pages < 1:
        parser.error("--wcxb-pages must be at least 1")
    options = CrawlOptions(args.workers, args.concurrency, tuple(args.set), args.crawl_root.resolve())
    try:
        report = run(args.pages, skip_10x=args.skip_10x, options=options, phases=args.phases, output=args.output,
                     skip_crawl_10x=args.skip_crawl_10x, wcxb_pages=args.wcxb_pages, wcxb_dir=args.wcxb_dir.resolve())
    except BenchDataMissing as error:
        print(f"speed benchmark: {error}", file=sys.stderr)
        return 2
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
