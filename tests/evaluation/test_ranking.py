"""Tests of dlbigdata.evaluation.ranking: top-k lists of unseen items, hit@k and NDCG@k."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.evaluation.ranking import hit_at_k, ndcg_at_k, top_k_unseen

SCORES = np.array(
    [
        [0.1, 0.9, 0.5, 0.8, 0.2],
        [3.0, 1.0, 2.0, 5.0, 4.0],
    ]
)
SEEN = np.array(
    [
        [False, False, False, True, False],
        [True, False, False, False, False],
    ]
)


def relevant_of(*rows: list[int], n_items: int = 5) -> np.ndarray:
    """A boolean relevance matrix with True at the listed items of each user."""
    matrix = np.zeros((len(rows), n_items), dtype=bool)
    for user, items in enumerate(rows):
        matrix[user, items] = True
    return matrix


def test_top_k_unseen_skips_seen_items_and_orders_by_score():
    # User 0 has seen item 3 (score 0.8): the list is 1 (0.9), 2 (0.5), 4 (0.2).
    # User 1 has seen item 0 (score 3.0): 3 (5.0), 4 (4.0), 2 (2.0).
    assert_array_equal(top_k_unseen(SCORES, SEEN, 3), [[1, 2, 4], [3, 4, 2]])
    assert_array_equal(top_k_unseen(SCORES, SEEN, 1), [[1], [3]])
    # k equal to the number of unseen items lists them all.
    assert_array_equal(top_k_unseen(SCORES, SEEN, 4)[0], [1, 2, 4, 0])


def test_top_k_unseen_breaks_ties_by_item_number():
    counts = np.array([[2, 5, 5, 1, 5, 5]])  # popularity counts with ties
    seen = np.array([[False, False, True, False, False, False]])
    assert_array_equal(top_k_unseen(counts, seen, 2), [[1, 4]])
    assert_array_equal(top_k_unseen(counts, seen, 4), [[1, 4, 5, 0]])
    flat = np.ones((3, 8))
    assert_array_equal(top_k_unseen(flat, np.zeros((3, 8), bool), 3), [[0, 1, 2]] * 3)


def test_top_k_unseen_matches_a_full_sort_on_random_scores():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 4, size=(50, 30)).astype(float)  # many ties
    seen = rng.random((50, 30)) < 0.3
    got = top_k_unseen(scores, seen, 10)
    for user in range(50):
        items = np.flatnonzero(~seen[user])
        expected = sorted(items, key=lambda item: (-scores[user, item], item))[:10]
        assert_array_equal(got[user], expected)


def test_hit_at_k_is_one_when_a_relevant_item_is_in_the_first_k():
    recommended = np.array([[1, 2, 4], [3, 4, 2], [0, 1, 2]])
    relevant = relevant_of([4], [0, 1], [2, 3])
    assert_allclose(hit_at_k(recommended, relevant, 3), [1.0, 0.0, 1.0])
    # At k = 2 the relevant items at rank 3 no longer count.
    assert_allclose(hit_at_k(recommended, relevant, 2), [0.0, 0.0, 0.0])


def test_ndcg_at_k_uses_the_log2_discount():
    # One relevant item: at rank 1 NDCG is 1, at rank 2 it is 1 / log2(3), at rank 3 it is
    # 1 / log2(4) = 0.5; outside the list 0.
    recommended = np.array([[0, 1, 2]] * 4)
    relevant = relevant_of([0], [1], [2], [3])
    assert_allclose(ndcg_at_k(recommended, relevant, 3), [1.0, 1 / np.log2(3), 0.5, 0.0])


def test_ndcg_at_k_divides_by_the_ideal_list():
    # Two relevant items at ranks 1 and 3: DCG = 1 + 1/2; ideal (ranks 1, 2) 1 + 1/log2(3).
    recommended = np.array([[0, 1, 2]])
    relevant = relevant_of([0, 2])
    assert_allclose(ndcg_at_k(recommended, relevant, 3), [1.5 / (1 + 1 / np.log2(3))])
    # Four relevant items but k = 2: the ideal list is full, two hits make NDCG 1.
    assert_allclose(ndcg_at_k(np.array([[0, 1]]), relevant_of([0, 1, 2, 3]), 2), [1.0])


def test_ndcg_at_k_counts_relevant_items_that_no_list_can_hold():
    # The user has 2 relevant items, one not rankable (no training ratings): the ideal
    # list still holds 2, so a hit at rank 1 scores 1 / (1 + 1/log2(3)).
    recommended = np.array([[0, 1, 2]])
    relevant = relevant_of([0])
    assert_allclose(
        ndcg_at_k(recommended, relevant, 3, n_relevant=np.array([2])),
        [1 / (1 + 1 / np.log2(3))],
    )
    assert_allclose(ndcg_at_k(recommended, relevant, 3, n_relevant=[1]), [1.0])


@pytest.mark.hostile("bad_input")
def test_top_k_unseen_rejects_bad_input():
    with pytest.raises(ValueError, match=r"scores must be 2-D \(users x items\), got shape"):
        top_k_unseen(np.ones(5), np.zeros(5, bool), 1)
    with pytest.raises(TypeError, match="seen must be a boolean array"):
        top_k_unseen(SCORES, SEEN.astype(int), 2)
    with pytest.raises(ValueError, match=r"seen must have shape \(2, 5\)"):
        top_k_unseen(SCORES, SEEN[:, :4], 2)
    with pytest.raises(ValueError, match="user 0 has 4 unseen items, fewer than k=5"):
        top_k_unseen(SCORES, SEEN, 5)
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        top_k_unseen(SCORES, SEEN, 0)
    with pytest.raises(TypeError, match="k must be an integer, got float"):
        top_k_unseen(SCORES, SEEN, 2.0)
    with pytest.raises(TypeError, match="scores must hold real numbers, got dtype bool"):
        top_k_unseen(SEEN, SEEN, 2)


@pytest.mark.hostile("nan_parameter")
def test_top_k_unseen_refuses_nan_scores():
    # A NaN compares False with everything: it would silently drop out of (or into) a list.
    scores = SCORES.copy()
    scores[1, 3] = np.nan
    with pytest.raises(ValueError, match=r"scores must be finite, got .*nan"):
        top_k_unseen(scores, SEEN, 2)
    scores[1, 3] = np.inf
    with pytest.raises(ValueError, match=r"scores must be finite, got .*inf"):
        top_k_unseen(scores, SEEN, 2)


@pytest.mark.hostile("single_string")
def test_seen_and_relevant_refuse_a_string():
    with pytest.raises(TypeError, match="seen must be a boolean array, got the string"):
        top_k_unseen(SCORES, "TFTFT", 2)
    with pytest.raises(TypeError, match="relevant must be a boolean array, got the string"):
        hit_at_k(np.array([[0]]), "T", 1)


@pytest.mark.hostile("bad_input")
def test_hit_at_k_rejects_bad_lists():
    relevant = relevant_of([0], [1])
    with pytest.raises(ValueError, match="recommended has 2 columns, fewer than k=3"):
        hit_at_k(np.array([[0, 1], [1, 2]]), relevant, 3)
    with pytest.raises(ValueError, match=r"recommended holds item 5, outside 0\.\.4"):
        hit_at_k(np.array([[0, 5], [1, 2]]), relevant, 2)
    with pytest.raises(ValueError, match=r"recommended holds item -1, outside"):
        hit_at_k(np.array([[0, -1], [1, 2]]), relevant, 2)
    with pytest.raises(ValueError, match="repeats an item in the list of user 1"):
        hit_at_k(np.array([[0, 1], [2, 2]]), relevant, 2)
    with pytest.raises(TypeError, match="recommended must hold integer item numbers"):
        hit_at_k(np.array([[0.0, 1.0], [1.0, 2.0]]), relevant, 2)
    with pytest.raises(ValueError, match=r"recommended must be 2-D \(users x ranks\)"):
        hit_at_k(np.array([0, 1]), relevant, 1)
    with pytest.raises(TypeError, match="relevant must be a boolean array"):
        hit_at_k(np.array([[0], [1]]), relevant.astype(float), 1)


@pytest.mark.hostile("dropped_rows")
def test_hit_at_k_refuses_lists_for_another_number_of_users():
    # Lists for 3 users scored against 2 users' relevance would pair the wrong rows.
    with pytest.raises(ValueError, match=r"recommended has 3 users .* relevant has 2"):
        hit_at_k(np.array([[0], [1], [2]]), relevant_of([0], [1]), 1)


@pytest.mark.hostile("bad_input")
def test_ndcg_at_k_rejects_bad_input():
    recommended = np.array([[0, 1], [1, 2]])
    with pytest.raises(ValueError, match="user 1 has no relevant item: NDCG is undefined"):
        ndcg_at_k(recommended, relevant_of([0], []), 2)
    with pytest.raises(ValueError, match=r"n_relevant\[0\] = 0 is below the 1 relevant"):
        ndcg_at_k(recommended, relevant_of([0], [1]), 2, n_relevant=np.array([0, 1]))
    with pytest.raises(ValueError, match=r"n_relevant must be 2 counts, one per user"):
        ndcg_at_k(recommended, relevant_of([0], [1]), 2, n_relevant=np.array([1]))
    with pytest.raises(TypeError, match="n_relevant must hold integer counts, got dtype float"):
        ndcg_at_k(recommended, relevant_of([0], [1]), 2, n_relevant=np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="k must be an integer >= 1, got -1"):
        ndcg_at_k(recommended, relevant_of([0], [1]), -1)
