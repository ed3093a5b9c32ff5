"""Benchmarks for cleancrawl.

- ``benchmarks.data``: where the benchmark sets live, and their pages with the truth.
- ``benchmarks.metric``: the metrics of the public Zyte benchmark (4-token
  shingles, per-page normalised tp/fp/fn, means of precision and recall, F1 of
  the means, exact-token accuracy) and of WCXB (word F1, snippets), and the
  title, author-name and date comparisons.
- ``benchmarks.quality``: scores the project's cleaner and trafilatura side by
  side on both sets (``make bench-quality``).
- ``benchmarks.speed``: throughput and memory (``make bench-speed``).
- ``benchmarks.stages``: where a page's cleaning time goes, step by step
  (``make bench-stages``).

The benchmark pages are never copied into the repository: they are read from
``../shared/bench/{zyte,wcxb}`` relative to the repository root, or from the
sets under the directory named by the environment variable ``CLEANCRAWL_BENCH_DIR``.
"""
