"""Clean saved pages offline: ``python -m cleaners [--url URL] [--learn-templates] FILE...``.

Writes one JSON line per input file, in input order: the record with a ``path``
field, or ``{"path": ..., "error": ...}`` when that file could not be cleaned.
With ``--learn-templates`` every file is cleaned first, each site's template is
learned from all of them, and then removed (rule ``site_template``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

from . import templates
from .clean import clean
from .errors import CleanError


def clean_file(path: Path, url: str | None) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        body = gzip.decompress(raw) if path.name.endswith(".gz") else raw
        return {"path": str(path), **clean(body, url)}
    except CleanError as error:
        return {"path": str(path), "error": f"{error.reason}: {error.message}"}
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        return {"path": str(path), "error": f"unreadable: {error}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaners", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="URL the pages were fetched from (resolves relative links, helps metadata)")
    parser.add_argument("--learn-templates", action="store_true",
                        help=f"remove what repeats on {templates.MIN_PAGES}+ pages of a site, "
                             "learned from all FILEs first")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".html or .html.gz files, any charset")
    args = parser.parse_args(argv)
    failed = 0
    results = (clean_file(path, args.url) for path in args.files)
    for result in templates.clean_batch(list(results)) if args.learn_templates else results:
        failed += "error" in result
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failed == len(args.files) else 0


if __name__ == "__main__":
    sys.exit(main())
