"""Benchmarks for cleancrawl.

- ``benchmarks.metric``: the article-extraction metric of the public Zyte
  benchmark (4-token shingles, per-page normalised tp/fp/fn, means of
  precision and recall, F1 of the means, exact-token accuracy).
- ``benchmarks.quality``: scores the project's cleaner and trafilatura side by
  side on the benchmark pages (``make bench-quality``).
- ``benchmarks.speed``: throughput and memory (``make bench-speed``).
- ``benchmarks.stages``: where a page's cleaning time goes, step by step
  (``make bench-stages``).

The benchmark pages are never copied into the repository: they are read from
``../shared/bench/zyte`` relative to the repository root, or from the directory
named by the environment variable ``CLEANCRAWL_BENCH_DIR``.
"""
