"""The page-type trainer's cross-validation helpers on made-up numbers (training itself is a benchmark)."""

from __future__ import annotations

import numpy as np

from benchmarks.pagetype_train import fit, grouped_folds, keep_threshold, softmax


def test_folds_never_split_a_domain() -> None:
    domains = ["a.com", "b.com", "a.com", "c.org", "d.net", "b.com", "e.io", "a.com"]
    folds = grouped_folds(domains, 3)
    assert sorted(int(i) for fold in folds for i in fold) == list(range(len(domains)))
    for fold in folds:
        inside = {domains[i] for i in fold}
        outside = {domains[i] for other in folds if other is not fold for i in other}
        assert not inside & outside


def test_keep_threshold_keeps_the_asked_share_of_articles() -> None:
    p_article = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.95, 0.02])
    is_article = np.array([True] * 10 + [False] * 2)
    threshold = keep_threshold(p_article, is_article, 0.9)
    assert (p_article[is_article] >= threshold).mean() >= 0.9
    assert threshold == 0.1


def test_fit_separates_a_separable_toy_set() -> None:
    x = np.array([[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.1]])
    y = np.array([0, 0, 1, 1])
    weights, biases = fit(x, y, 2)
    assert (softmax(x @ weights + biases).argmax(axis=1) == y).all()
