"""The speed benchmark's archive phase (e): the site's pages in a WARC, cleaned by ``python -m cleaners``.

The WARC is written by the crawl's own writer (:class:`crawler.warc.RotatingWarcFiles`,
one response and one request record per page, as a crawl with CLEANCRAWL_WARC_PATH
writes them); the offline cleaner then runs as a subprocess on every core (or
``workers``), watched by :class:`TreeMonitor`: wall time from its start to its exit
(start-up included), CPU, and the peak RSS of its main process and of each worker.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.data import ROOT
from benchmarks.speed_monitor import TreeMonitor, TreeUsage
from benchmarks.speed_site import HTML_TYPE, SpeedSite
from crawler.warc import Exchange, RotatingWarcFiles


@dataclass
class ArchiveResult:
    name: str
    pages: int
    write_seconds: float
    warc_bytes: int
    seconds: float
    returncode: int
    usage: TreeUsage
    main_pid: int
    records: int  # JSON lines written
    summary: list[str]  # the cleaner's own summary (stderr)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def worker_peak_rss(self) -> int:
        return self.usage.peak_rss_child(self.main_pid)

    @property
    def main_peak_rss(self) -> int:
        return self.usage.peak_rss_by_pid.get(self.main_pid, 0)


def write_warc(site: SpeedSite, base_url: str, directory: Path) -> int:
    """Every article page of ``site`` as a 200 response (and its GET) in gzipped WARC files; returns their bytes."""
    files = RotatingWarcFiles(directory)
    now = datetime.now(UTC)
    for k in range(site.n):
        files.write(Exchange(url=base_url + site.article_path(k), fetched_at=now, protocol="HTTP/1.1", status=200,
                             response_headers=[(b"Content-Type", HTML_TYPE.encode())], body=site.article(k), method="GET",
                             request_headers=[(b"User-Agent", b"cleancrawl-bench")], request_body=b""))
    files.close()
    return sum(path.stat().st_size for path in directory.glob("*.warc.gz"))


def run_archive(name: str, site: SpeedSite, base_url: str, out: Path, workers: str) -> ArchiveResult:
    """Write the site to a WARC under ``out``, then clean it with ``python -m cleaners --workers workers``."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    warc_bytes = write_warc(site, base_url, out / "warc")
    write_seconds = time.perf_counter() - start
    records = out / "records.jsonl"
    command = [sys.executable, "-m", "cleaners", "--workers", workers, "-o", str(records), str(out / "warc")]
    with (out / "stderr.txt").open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        with TreeMonitor(process.pid) as monitor:
            returncode = process.wait()
        seconds = time.perf_counter() - start
    lines = records.read_bytes().count(b"\n") if records.is_file() else 0
    summary = (out / "stderr.txt").read_text("utf-8", errors="replace").splitlines()[-8:]
    return ArchiveResult(name, site.n, write_seconds, warc_bytes, seconds, returncode, monitor.usage, process.pid,
                         lines, summary)


def describe_archive(result: ArchiveResult, cores: int) -> list[str]:
    usage = result.usage
    lines = [
        f"{result.name}: {result.pages} pages in {result.seconds:.1f} s = {result.pages_per_s:.1f} pages/s"
        f" (python -m cleaners on a {result.warc_bytes / 1e6:.0f} MB WARC written in {result.write_seconds:.1f} s)",
        f"    CPU {usage.cpu:.1f} s = {usage.cpu / result.seconds:.2f} of {cores} cores: main process {usage.cpu_root:.1f} s"
        f" ({1000 * usage.cpu_root / result.pages:.1f} ms/page), workers {usage.cpu_children:.1f} s"
        f" ({1000 * usage.cpu_children / result.pages:.1f} ms/page)",
        f"    peak RSS {result.main_peak_rss / 1e6:.0f} MB main process, {result.worker_peak_rss / 1e6:.0f} MB per worker"
        f" (highest), {usage.peak_rss / 1e6:.0f} MB in all; {result.records} records written",
        *(f"    | {line}" for line in result.summary),
    ]
    if result.returncode:
        lines.append(f"    FAILED with exit status {result.returncode}")
    return lines
