"""The speed benchmark's process monitor: CPU time and resident memory of a process tree, sampled by psutil."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import psutil

SAMPLE_SECONDS = 0.1


@dataclass
class TreeUsage:
    """What psutil saw of a process and its descendants."""

    cpu_root: float = 0.0  # CPU seconds (user + system) of the crawl process
    cpu_children: float = 0.0  # of every process under it (cleaning workers, forkserver)
    peak_rss: int = 0  # bytes: the highest sum of RSS over the tree at one sample
    peak_rss_root: int = 0  # the crawl process's share at that sample
    peak_processes: int = 0
    peak_rss_by_pid: dict[int, int] = field(default_factory=dict)  # each process's own highest RSS
    machine_busy: float = 0.0  # CPU seconds the whole machine spent busy meanwhile (every process)

    @property
    def cpu(self) -> float:
        return self.cpu_root + self.cpu_children

    def peak_rss_child(self, root: int) -> int:
        """The highest RSS that any one process under ``root`` reached (a worker's peak)."""
        return max((rss for pid, rss in self.peak_rss_by_pid.items() if pid != root), default=0)


def machine_busy() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


class TreeMonitor:
    """Samples a process tree every SAMPLE_SECONDS in a thread until the root exits."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.usage = TreeUsage()
        self._cpu: dict[int, float] = {}
        self._procs: dict[int, psutil.Process] = {pid: self.root}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="speed-monitor", daemon=True)

    def __enter__(self) -> TreeMonitor:
        self._machine_before = machine_busy()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.usage.machine_busy = machine_busy() - self._machine_before

    def _sample(self) -> None:
        try:
            for child in self.root.children(recursive=True):
                self._procs.setdefault(child.pid, child)  # keep the Process objects: cpu_percent-free, pid reuse safe
        except psutil.Error:
            pass
        rss = rss_root = 0
        alive = 0
        for pid, proc in list(self._procs.items()):
            try:
                with proc.oneshot():
                    times = proc.cpu_times()
                    memory = proc.memory_info().rss
            except psutil.Error:
                continue
            alive += 1
            self._cpu[pid] = times.user + times.system
            rss += memory
            self.usage.peak_rss_by_pid[pid] = max(self.usage.peak_rss_by_pid.get(pid, 0), memory)
            if pid == self.root.pid:
                rss_root = memory
        if rss > self.usage.peak_rss:
            self.usage.peak_rss, self.usage.peak_rss_root = rss, rss_root
        self.usage.peak_processes = max(self.usage.peak_processes, alive)
        self.usage.cpu_root = self._cpu.get(self.root.pid, 0.0)
        self.usage.cpu_children = sum(cpu for pid, cpu in self._cpu.items() if pid != self.root.pid)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(SAMPLE_SECONDS)
