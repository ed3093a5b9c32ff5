"""The quality metrics (benchmarks.metric), checked against hand-computed cases on
made-up texts, and one end-to-end run of benchmarks.quality on a few pages of each set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also when run as plain `pytest`, not `python -m pytest`
    sys.path.insert(0, str(ROOT))

from benchmarks.metric import (NameCounts, PageScore, aggregate, name_counts, person_names,  # noqa: E402
                               publication_day, same_title, score_page, shingles, snippet_hits, tokenize,
                               word_score)


def approx(x: float) -> object:
    return pytest.approx(x, abs=1e-12)


# --- tokens and shingles ----------------------------------------------------


def test_tokenize_unicode_words_digits_underscore():
    assert tokenize("Привет мир, ça va? 2019 snake_case e-mail") == [
        "Привет", "мир", "ça", "va", "2019", "snake_case", "e", "mail",
    ]
    assert tokenize("") == []
    assert tokenize(None) == []
    assert tokenize(" ,.!? \n\n ") == []


def test_shingles_are_runs_of_four_with_counts():
    assert shingles(tokenize("a b c d a b c d")) == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }


def test_short_text_gives_one_shorter_shingle_and_empty_gives_none():
    assert shingles(["a", "b", "c"]) == {("a", "b", "c"): 1}
    assert shingles(["a"]) == {("a",): 1}
    assert shingles(["a", "b", "c", "d"]) == {("a", "b", "c", "d"): 1}
    assert shingles([]) == {}


# --- per-page scores --------------------------------------------------------


def test_identical_texts():
    s = score_page("One two three four five.", "One two three four five.")
    assert (s.tp, s.fp, s.fn) == (1.0, 0.0, 0.0)
    assert s.precision == 1.0 and s.recall == 1.0 and s.f1 == 1.0 and s.exact


def test_disjoint_texts():
    s = score_page("a b c d", "e f g h")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.5, 0.5)
    assert s.precision == 0.0 and s.recall == 0.0 and s.f1 == 0.0 and not s.exact


def test_partial_overlap_with_duplicate_shingles():
    # truth: abcd x2, bcda, cdab, dabc (5); prediction "a b c d x": abcd, bcdx.
    # tp = min(2, 1) = 1; fp = bcdx = 1; fn = (2-1) + 3 = 4; sum 6.
    s = score_page("a b c d a b c d", "a b c d x")
    assert (s.tp, s.fp, s.fn) == (approx(1 / 6), approx(1 / 6), approx(4 / 6))
    assert s.precision == approx(0.5)
    assert s.recall == approx(0.2)
    assert s.f1 == approx(2 / 7)


def test_prediction_repeating_the_truth_is_penalised_per_copy():
    # prediction: abcd x3, bcda x2, cdab x2, dabc x2 (9) against the truth above (5):
    # tp = 2+1+1+1 = 5, fp = 1+1+1+1 = 4, fn = 0.
    s = score_page("a b c d a b c d", "a b c d a b c d a b c d")
    assert (s.tp, s.fp, s.fn) == (approx(5 / 9), approx(4 / 9), 0.0)
    assert s.precision == approx(5 / 9) and s.recall == 1.0


def test_counts_are_normalised_per_page():
    long = " ".join(f"w{i}" for i in range(1000))
    s = score_page(long, long + " extra tokens here now")
    assert s.tp + s.fp + s.fn == approx(1.0)
    assert s.fp == approx(4 / 1001)


def test_short_texts():
    assert score_page("Hello, world!", "Hello world").precision == 1.0
    assert score_page("Hello, world!", "Hello world").exact
    # tokens are case-sensitive: one shingle each, different
    s = score_page("Hello world", "hello world")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.5, 0.5)
    # a 3-token prediction is one 3-token shingle, never equal to a 4-token one
    s = score_page("a b c d e", "a b c")
    assert (s.tp, s.fp, s.fn) == (0.0, approx(1 / 3), approx(2 / 3))
    assert s.precision == 0.0 and s.recall == 0.0


def test_empty_prediction():
    for empty in ("", None, " \n "):
        s = score_page("a b c d e", empty)
        assert (s.tp, s.fp, s.fn) == (0.0, 0.0, 1.0)
        assert s.precision is None  # left out of the precision mean
        assert s.recall == 0.0 and s.f1 == 0.0 and not s.exact


def test_empty_truth():
    s = score_page("", "w x y z")
    assert (s.tp, s.fp, s.fn) == (0.0, 1.0, 0.0)
    assert s.precision == 0.0 and s.recall is None
    both = score_page("", None)
    assert both.precision is None and both.recall is None and both.exact


def test_unicode_tokens():
    s = score_page("Привет мир", "Привет, мир!")
    assert s.precision == 1.0 and s.recall == 1.0 and s.exact
    s = score_page("Привет мир как дела сегодня", "Привет мир как дела")
    # truth: 2 shingles, prediction: the first of them
    assert (s.tp, s.fp, s.fn) == (0.5, 0.0, 0.5)
    assert s.precision == 1.0 and s.recall == 0.5


# --- aggregate --------------------------------------------------------------


def test_aggregate_means_with_exclusions():
    pages = [
        score_page("a b c d e", "a b c d e"),  # p 1, r 1, exact
        score_page("a b c d a b c d", "a b c d x"),  # p .5, r .2
        score_page("a b c d e", ""),  # p excluded, r 0
        score_page("", "w x y z"),  # p 0, r excluded
    ]
    a = aggregate(pages)
    assert a.precision == approx((1 + 0.5 + 0) / 3)
    assert a.recall == approx((1 + 0.2 + 0) / 3)
    p, r = 1.5 / 3, 1.2 / 3
    assert a.f1 == approx(2 * p * r / (p + r))  # F1 of the means, not mean of F1s
    assert a.accuracy == approx(1 / 4)
    assert a.pages == 4


def test_accuracy_is_exact_token_match():
    pages = [
        score_page("Hello,\n\nworld again now.", "Hello world again now"),  # same tokens
        score_page("Hello world again now", "world Hello again now"),  # order differs
        score_page("Hello world again now", "Hello world again now again"),  # extra token
        score_page("Ёлка", "Ёлка!"),
    ]
    assert [s.exact for s in pages] == [True, False, False, True]
    assert aggregate(pages).accuracy == approx(0.5)


def test_aggregate_of_nothing_and_precision_rules():
    a = aggregate([])
    assert (a.precision, a.recall, a.f1, a.accuracy, a.pages) == (0.0, 0.0, 0.0, 0.0, 0)
    assert PageScore(0.0, 0.0, 0.0, True).precision is None
    assert PageScore(1.0, 0.0, 0.0, True).precision == 1.0


# --- WCXB: words and snippets ----------------------------------------------


def test_word_score_is_a_case_folded_multiset_overlap():
    s = word_score("The cat saw the dog.", "the CAT saw a bird")
    # truth: the x2, cat, saw, dog (5); prediction: the, cat, saw, a, bird (5); overlap: the, cat, saw
    assert (s.precision, s.recall) == (approx(3 / 5), approx(3 / 5))
    assert s.f1 == approx(3 / 5)
    assert word_score("a a b", "a b b").f1 == approx(2 / 3)
    assert word_score("Über straße", "über Straße").f1 == 1.0


def test_word_score_empty_cases():
    assert word_score("", "").f1 == 1.0 and word_score(None, " ").recall == 1.0
    assert word_score("", "noise here") == word_score("story", "") == word_score("story", None)
    assert word_score("", "noise").f1 == 0.0 and word_score("story", "").precision == 0.0
    assert word_score("one two", "three four").f1 == 0.0


def test_snippets_are_whitespace_collapsed_case_insensitive_substrings():
    text = "The council  voted\non Tuesday. Sign in"
    assert snippet_hits(["council voted on", "VOTED ON TUESDAY", "never said"], text, present=True) == (2, 3)
    assert snippet_hits(["sign in", "Cookie settings"], text, present=False) == (1, 2)
    assert snippet_hits([], text, present=True) == (0, 0)
    assert snippet_hits(["x"], None, present=False) == (1, 1)


# --- WCXB: title, authors, date ------------------------------------------------


def test_titles_match_on_folded_words_only():
    assert same_title("“Café” prices rise — again.", '"cafe" Prices rise - again')
    assert not same_title("Café prices rise", "Café prices rise | The Daily Planet")
    assert not same_title("", "") and not same_title(None, "x") and not same_title("x", None)


def test_person_names_split_and_normalise():
    assert person_names("Ana Ruiz, Tom Vale and Li Wei") == {"ana ruiz", "tom vale", "li wei"}
    assert person_names("Dylan Moss, MS, RD, FAND") == {"dylan moss"}
    assert person_names("Dr Milan Kovač, M.D. FACLM") == {"milan kovac"}
    assert person_names("Ann Poe PhD & Bo Lin") == {"ann poe", "bo lin"}
    assert person_names("Tom May") == {"tom may"}  # a surname that is a month stays
    assert person_names("JOHN ROE, MS") == {"john roe"}  # an all-caps name is still a name
    assert person_names(["By Jane Doe", "jane doe"]) == {"jane doe"}
    assert person_names(None) == set() and person_names([]) == set()


def test_name_counts_sum_over_pages():
    counts = name_counts("Ana Ruiz and Tom Vale", ["Ana Ruiz", "Desk Editor"]) + name_counts(None, ["Li Wei"])
    assert counts == NameCounts(tp=1, fp=2, fn=1)
    assert counts.precision == approx(1 / 3) and counts.recall == approx(1 / 2)
    assert counts.f1 == approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert NameCounts().f1 == 0.0 and name_counts(None, []) == NameCounts()


def test_publication_day():
    assert publication_day("2025-03-04T10:00:00+01:00") == "2025-03-04"
    assert publication_day("2025-03-04") == "2025-03-04"
    assert publication_day("March 4") is None and publication_day(None) is None


# --- end to end -------------------------------------------------------------


def _pages(load):
    from benchmarks.data import BenchDataMissing

    try:
        return load()
    except BenchDataMissing as exc:
        pytest.skip(f"benchmark data not available: {exc}")


def test_quality_end_to_end_on_a_few_pages_of_each_set(capsys):
    from benchmarks import quality
    from benchmarks.data import load_wcxb, load_zyte

    zyte = _pages(load_zyte)[:3]
    with quality.make_executor(["traf_precision"], 1) as executor:
        results = quality.run_pages(zyte, ["traf_precision"], executor)
    scores = quality.text_scores(results, "traf_precision")
    assert scores.pages == 3 and 0.5 < scores.f1 <= 1.0  # trafilatura scores ~0.96 on this set

    wcxb = _pages(load_wcxb)
    ids = ",".join([p.id for p in zyte] + [p.id for p in wcxb if p.is_article][:2] + [p.id for p in wcxb][-1:])
    assert quality.main(["--ids", ids, "--workers", "1", "--extractors", "project,trafilatura", "--losses", "2"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-2].startswith("quality zyte f1=") and out[-1].startswith("quality wcxb f1=")
    values = dict(part.split("=") for part in out[-1].split()[2:])
    assert list(values) == ["f1", "p", "r", "authors_f1", "date", "date_when_none", "title", "is_article",
                            "articles_kept", "trafilatura_f1", "trafilatura_r"]
    assert 0.5 < float(values["trafilatura_f1"]) <= 1.0
    assert any(line.startswith("== wcxb: is_article over 3 pages") for line in out)


def test_quality_exits_2_when_bench_data_is_missing(tmp_path, monkeypatch, capsys):
    from benchmarks import quality
    from benchmarks.data import BENCH_ENV

    monkeypatch.setenv(BENCH_ENV, str(tmp_path))
    assert quality.main(["--extractors", "trafilatura", "--set", "wcxb"]) == 2
    assert "benchmark data not found" in capsys.readouterr().err


def test_the_ceiling_takes_each_pages_best_output() -> None:
    from benchmarks.ceiling import ceilings

    rows = [{"trafilatura": 0.9, "favor_precision": 0.5, "favor_recall": 0.7, "project": 1.0},
            {"trafilatura": 0.4, "favor_precision": 0.8, "favor_recall": 0.6, "project": 0.2}]
    means = ceilings(rows)
    assert means["project"] == pytest.approx(0.6) and means["trafilatura"] == pytest.approx(0.65)
    assert means["best_of_trafilatura"] == pytest.approx(0.85)
    assert means["best_of_all"] == pytest.approx(0.9)
