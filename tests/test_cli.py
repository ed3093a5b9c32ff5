"""``python -m cleaners``: one JSON line per input file, in order, records or errors."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from cleaners.templates import MIN_PAGES
from tests.conftest import PROJECT_ROOT
from tests.markup import STORY, page
from tests.test_bad_input import RUSSIAN


def run_cli(*args: str) -> tuple[int, list[dict[str, object]]]:
    done = subprocess.run([sys.executable, "-m", "cleaners", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def test_cli_cleans_files_in_order(tmp_path: Path, record_validator: jsonschema.Draft202012Validator) -> None:
    plain = tmp_path / "story.html"
    plain.write_text(page('<div class="x"><p>Subscribe to The Daily Planet</p><a href="/s">SUBSCRIBE &amp; SAVE</a></div>'),
                     encoding="utf-8")
    russian = tmp_path / "russian.html.gz"
    russian.write_bytes(gzip.compress(page(story=RUSSIAN).replace('<meta charset="utf-8">', "").encode("windows-1251")))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.html"
    code, lines = run_cli("--url", "https://planet.example/a", str(plain), str(empty), str(russian), str(missing))
    assert code == 0
    assert [line["path"] for line in lines] == [str(plain), str(empty), str(russian), str(missing)]
    for line in (lines[0], lines[2]):
        record = {key: value for key, value in line.items() if key != "path"}
        record_validator.validate(record)
    assert "Subscribe" not in lines[0]["text"] and lines[0]["removed"]["newsletter_box"] == 1
    assert lines[0]["url"] == "https://planet.example/a"
    assert lines[2]["language"] == "ru" and RUSSIAN[0] in lines[2]["text"]
    assert str(lines[1]["error"]).startswith("empty_body:")
    assert str(lines[3]["error"]).startswith("unreadable:")


def test_cli_fails_when_every_file_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code, lines = run_cli(str(empty))
    assert code == 1 and len(lines) == 1


def test_cli_learns_each_sites_template_from_the_whole_batch(tmp_path: Path) -> None:
    about = "About the Planet: an independent daily owned by its readers since 1921."
    twice = "The harbour board meets on the first Tuesday of every month."
    files = []
    for number, town in enumerate(("Arden", "Bexley", "Corran", "Dunmore", "Elgin", "Fenwick")[:MIN_PAGES]):
        extra = f"<p>{about}</p>" + (f"<p>{twice}</p>" if number < 2 else "")
        story = [f"In {town}, {line[0].lower()}{line[1:]}" for line in STORY]  # each page its own story
        path = tmp_path / f"story-{number}.html"
        path.write_text(page(extra, story=story, head=f'<link rel="canonical" href="https://planet.example/{number}">'),
                        "utf-8")
        files.append(str(path))
    code, alone = run_cli(*files)
    code_learned, learned = run_cli("--learn-templates", *files)
    assert code == code_learned == 0
    assert all(about in line["text"] for line in alone)
    for line in learned:
        assert about not in line["text"] and line["removed"]["site_template"] == 1
    assert twice in learned[0]["text"] and twice in learned[1]["text"]  # on two pages only: story text
