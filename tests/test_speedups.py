"""The faster language detector and SimHash give exactly the values of the libraries they stand in for.

langdetect's own Detector and the ``simhash`` package are the references: same languages and
probabilities to the last bit, same 64-bit values, on the demo site's texts and on generated text.
"""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect.detector import Detector
from simhash import Simhash

from cleaners.language import FastDetector, _sample, load_profiles
from cleaners.record import normalise_text, simhash
from fixtures.site import golden_pages
from tests.faultserver import FRENCH, GERMAN, JAPANESE, RUSSIAN, STORIES

TEXTS = [golden["text"] for _, golden in golden_pages() if golden.get("text")] + [
    "\n\n".join(story.paragraphs) for story in (*STORIES.values(), FRENCH, GERMAN, JAPANESE, RUSSIAN)]
# Words in several scripts, runs of spaces, capitals, digits and punctuation: what the detectors' loops branch on.
WORDS = st.text(alphabet=string.ascii_letters + "ÄÉßçñ  .,0\u3042\u30a2\u4e2d\u0436\u0628\u1ea1\uac00", min_size=1, max_size=12)
GENERATED = st.lists(WORDS, min_size=0, max_size=120).map(" ".join)


def reference_simhash(text: str) -> str:
    words = normalise_text(text).split()
    return f"{Simhash([' '.join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))]).value:016x}"


def probabilities(detector_class: type[Detector], text: str) -> list[tuple[str, float]] | str:
    detector = detector_class(load_profiles())
    detector.append(_sample(text))
    try:
        return [(language.lang, language.prob) for language in detector.get_probabilities()]
    except Exception as error:  # noqa: BLE001 (both must fail alike: "no features in text")
        return type(error).__name__


def test_simhash_matches_the_simhash_package() -> None:
    assert len(TEXTS) > 40
    for text in [*TEXTS, "", "one", "two words", "exactly three words"]:
        assert simhash(text) == reference_simhash(text)


@settings(max_examples=200, deadline=None)
@given(GENERATED)
def test_simhash_matches_the_simhash_package_on_generated_text(text: str) -> None:
    assert simhash(text) == reference_simhash(text)


def test_language_probabilities_match_langdetect() -> None:
    for text in TEXTS:
        assert probabilities(FastDetector, text) == probabilities(Detector, text)


@settings(max_examples=150, deadline=None)
@given(GENERATED)
def test_language_probabilities_match_langdetect_on_generated_text(text: str) -> None:
    assert probabilities(FastDetector, text) == probabilities(Detector, text)
