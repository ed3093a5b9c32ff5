"""Coverage-guided fuzzing of ``cleaners.clean()`` with atheris (optional: atheris is not a project dependency).

    pip install atheris                          # in a separate virtualenv is fine
    python tests/fuzz_clean_atheris.py -max_total_time=60 [CORPUS_DIR]

Only a ``cleaners.CleanError`` may escape ``clean()``; anything else is a crash, and
libFuzzer writes the input to ``crash-*``. Without a corpus directory the harness
starts from the article pages of ``tests/test_fuzz.py``. ``tests/test_fuzz.py`` runs
it for a few seconds when atheris is importable, and skips that test otherwise.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["cleaners"]):
    import cleaners

CONTENT_TYPES = [None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1",
                 "text/html; charset=x-bogus", "application/xhtml+xml", "text/plain"]
URLS = [None, "http://127.0.0.1/a", "https://example.com/news/2024/05/story.html", "https://example.com/tag/x/page/2"]


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    content_type = CONTENT_TYPES[provider.ConsumeIntInRange(0, len(CONTENT_TYPES) - 1)]
    url = URLS[provider.ConsumeIntInRange(0, len(URLS) - 1)]
    body = provider.ConsumeBytes(provider.remaining_bytes())
    try:
        cleaners.clean(body, url, content_type=content_type)
    except cleaners.CleanError:
        pass


def seed_corpus() -> str:
    from tests.test_fuzz import SEEDS  # noqa: PLC0415

    folder = Path(tempfile.mkdtemp(prefix="atheris-corpus-"))
    for number, seed in enumerate(SEEDS):
        (folder / f"seed-{number}").write_bytes(b"\x01\x01" + seed)  # content type and URL choices first
    return str(folder)


def main() -> None:
    argv = list(sys.argv)
    if not [arg for arg in argv[1:] if not arg.startswith("-")]:
        argv.append(seed_corpus())
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
