"""The site template rule (cleaners/templates.py): where it must fire, where it must not, and the record it leaves."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from cleaners import clean, content_hash
from cleaners.record import simhash, word_count
from cleaners.templates import RULE, SiteTemplate, apply, candidates, fingerprint, learn, remove_template
from tests.markup import STORY, page

ABOUT = "About the Planet: an independent daily owned by its readers since 1921."
RIGHTS_2024 = "© 2024 Planet Media. All rights reserved."
DISCLAIMER = ("Views expressed by our contributors are their own and are not necessarily those of the Planet, which"
              " takes no money from political parties or from the companies it writes about.")
CORRECTIONS = "Spotted a mistake in this story? The Planet corrects its errors as soon as it learns of them, on every page."
WIRE = ("The agency said the river basin is home to some eleven million people, most of whom live less than five"
        " metres above sea level, and that its embankments were built for a climate that no longer exists.")


def test_fingerprint_folds_case_spacing_unicode_and_numbers() -> None:
    assert fingerprint(RIGHTS_2024) == fingerprint("©  2025 PLANET   Media. All rights reserved.")
    assert fingerprint("12 comments") == fingerprint("3 Comments")
    assert fingerprint("ﬁre station") == fingerprint("fire station")  # NFKC
    assert fingerprint("12 comments") != fingerprint("12 shares")
    assert len(fingerprint(ABOUT)) == 16 and int(fingerprint(ABOUT), 16) >= 0


def test_template_blocks_are_removed_and_counted() -> None:
    blocks = [*STORY, ABOUT, "© 2025 Planet Media. All rights reserved."]
    kept, removed = remove_template(blocks, {fingerprint(ABOUT), fingerprint(RIGHTS_2024)})
    assert kept == STORY and removed == 2


@pytest.mark.parametrize(("blocks", "title", "why"), [
    ([ABOUT, WIRE, RIGHTS_2024], None, "a long repeated wire paragraph is story text"),
    ([ABOUT, "Council approves tram extension"], "Council approves tram extension", "the headline"),
    ([ABOUT], None, "the only paragraph"),
    ([ABOUT, RIGHTS_2024], None, "a page made only of template text keeps it all"),
])
def test_what_the_rule_never_removes(blocks: list[str], title: str | None, why: str) -> None:
    template = {fingerprint(block) for block in blocks}  # every block is in the site's template
    kept, removed = remove_template(blocks, template, title=title)
    survivors = [block for block in blocks if block in (WIRE, title)] or blocks
    assert kept == survivors and removed == len(blocks) - len(survivors), why


def test_long_blocks_are_never_candidates() -> None:
    marks = candidates([WIRE, ABOUT])
    assert list(marks.values()) == [ABOUT]


def _record(url: str, blocks: list[str], site: str = "The Daily Planet") -> dict[str, Any]:
    return {"url": url, "canonical_url": url, "site": site, "title": "A story", "text": "\n\n".join(blocks), "removed": {}}


def test_learning_needs_min_pages_distinct_pages_of_one_site() -> None:
    shared_by_two = "The harbour board meets on the first Tuesday of every month."
    records = [
        _record("https://planet.example/1", [STORY[0], ABOUT, shared_by_two]),
        _record("https://planet.example/2", [STORY[1], ABOUT, shared_by_two]),
        _record("https://planet.example/2", [STORY[1], ABOUT]),  # the same page again counts once
        _record("https://planet.example/3", [STORY[2], ABOUT, WIRE]),
        _record("https://planet.example/4", [STORY[3], WIRE]),
        _record("https://other.example/1", [STORY[0], ABOUT], site="Other"),  # another site's pages count apart
    ]
    learned = learn(records, min_pages=3)
    assert learned["The Daily Planet"] == {fingerprint(ABOUT)}  # not the sentence on two pages, nor the wire story
    assert learned["Other"] == set()
    assert learn(records[:2], min_pages=2)["The Daily Planet"] == {fingerprint(ABOUT), fingerprint(shared_by_two)}


@pytest.fixture(scope="module")
def german_with_english_boilerplate() -> bytes:
    story = ["Die Gemeinde hat am Dienstag beschlossen, die Straßenbahn bis in die nördlichen Vororte zu verlängern.",
             "Die ersten Bahnen sollen im Frühjahr fahren, wenn der Bau im Herbst beginnt, sagte die Bürgermeisterin."]
    boilerplate = [f"<p>{text}</p>" for text in (ABOUT, DISCLAIMER, CORRECTIONS)]
    return page("".join(boilerplate), after=2, story=story).encode("utf-8")


def test_the_record_is_recomputed_after_removal(german_with_english_boilerplate: bytes,
                                                record_validator: jsonschema.Draft202012Validator) -> None:
    alone = clean(german_with_english_boilerplate, "https://planet.example/de")
    assert alone["language"] == "en"  # the site's English boilerplate outweighs the short German story
    template = {fingerprint(block) for block in (ABOUT, DISCLAIMER, CORRECTIONS)}
    cleaned = apply(alone, template)
    record_validator.validate(cleaned)
    text = cleaned["text"]
    assert ABOUT not in text and CORRECTIONS not in text and text.startswith("Die Gemeinde")
    assert cleaned["language"] == "de"
    assert cleaned["word_count"] == word_count(text)
    assert cleaned["content_hash"] == content_hash(text) and cleaned["simhash"] == simhash(text)
    assert cleaned["removed"] == {**alone["removed"], RULE: 3}
    assert apply(alone, set()) is alone


def test_the_workers_removal_gives_the_same_record(german_with_english_boilerplate: bytes) -> None:
    template = {fingerprint(block) for block in (ABOUT, CORRECTIONS)}
    rule = SiteTemplate(template)
    in_worker = clean(german_with_english_boilerplate, "https://planet.example/de", template=rule)
    afterwards = apply(clean(german_with_english_boilerplate, "https://planet.example/de"), template)
    assert in_worker == afterwards
    assert fingerprint(ABOUT) in rule.seen  # the page's own candidates, before removal, for the site's memory


def test_a_heading_goes_with_its_template_box_but_stays_over_the_pages_own_text() -> None:
    blocks = ["Pros", "Light and quiet, with a battery that lasts all week.", "Cons", "The keyboard flexes.",
              "About the Planet", ABOUT]
    template = {fingerprint(block) for block in ("Pros", "Cons", "About the Planet", ABOUT)}  # on every review
    kept, removed = remove_template(blocks, template)
    assert kept == blocks[:4] and removed == 2
