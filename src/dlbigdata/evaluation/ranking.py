"""Top-k recommendation lists and the metrics that score them: hit@k and NDCG@k.

A recommender shows each user a short list, so it is judged on that list. The items are
numbered ``0 .. n_items - 1`` and users ``0 .. n_users - 1``; everything is an array with
one row per user, so a whole test set is scored at once:

- :func:`top_k_unseen`: each user's ``k`` highest-scoring items among those the user has
  not rated in training (what a shop would actually show);
- :func:`hit_at_k`: 1 for a user when at least one relevant (held-out) item is in the list;
  its mean over users is the *hit rate*;
- :func:`ndcg_at_k`: the normalised discounted cumulative gain, which also rewards placing
  the relevant item near the top: a hit at rank ``j`` (from 1) gains ``1 / log2(j + 1)``,
  divided by the gain of the best possible list.

Both metrics return one value per user, ready for a paired bootstrap
(:func:`dlbigdata.evaluation.intervals.paired_bootstrap`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation import require_finite_array, require_int, require_numeric_array

__all__ = ["hit_at_k", "ndcg_at_k", "top_k_unseen"]


def _mask(name: str, value: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a 2-D boolean array (of ``shape`` when given), else raise."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a boolean array, got the string {value!r}")
    array = np.asarray(value)
    if array.dtype.kind != "b":
        raise TypeError(
            f"{name} must be a boolean array (True where the user rated the item), "
            f"got dtype {array.dtype}"
        )
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (users x items), got shape {array.shape}")
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} must have shape {shape} like the scores, got {array.shape}")
    return array


def _lists(recommended: Any, n_items: int, k: int) -> np.ndarray:
    """The first ``k`` columns of ``recommended``, checked: item numbers, no repeats."""
    lists = require_numeric_array("recommended", recommended, accepted="item numbers")
    if lists.dtype.kind not in "iu":
        raise TypeError(f"recommended must hold integer item numbers, got dtype {lists.dtype}")
    if lists.ndim != 2:
        raise ValueError(f"recommended must be 2-D (users x ranks), got shape {lists.shape}")
    if lists.shape[1] < k:
        raise ValueError(f"recommended has {lists.shape[1]} columns, fewer than k={k}")
    lists = lists[:, :k]
    outside = (lists < 0) | (lists >= n_items)
    if outside.any():
        raise ValueError(
            f"recommended holds item {int(lists[outside][0])}, outside 0..{n_items - 1} "
            "(the columns of relevant)"
        )
    ordered = np.sort(lists, axis=1)
    repeated = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
    if repeated.size:
        raise ValueError(
            f"recommended repeats an item in the list of user {int(repeated[0])}: a list "
            "shows each item once"
        )
    return lists


def _hits(recommended: Any, relevant: Any, k: Any) -> np.ndarray:
    """Boolean (n_users, k): whether the item at each rank is relevant."""
    k = require_int("k", k, minimum=1)
    relevant = _mask("relevant", relevant)
    lists = _lists(recommended, relevant.shape[1], k)
    if len(lists) != len(relevant):
        raise ValueError(
            f"recommended has {len(lists)} users (rows) but relevant has {len(relevant)}"
        )
    return np.take_along_axis(relevant, lists, axis=1)


def top_k_unseen(scores: Any, seen: Any, k: int) -> np.ndarray:
    """Each user's ``k`` best-scoring items among those not seen, best first.

    Parameters
    ----------
    scores : array_like of shape (n_users, n_items)
        Any real scores, higher is better (predicted ratings, popularity counts); finite.
    seen : array_like of bool, shape (n_users, n_items)
        True where the user already rated the item in training: never recommended again.
    k : int
        Length of each list, at least 1 and at most the number of unseen items of every
        user.

    Returns
    -------
    numpy.ndarray of int, shape (n_users, k)
        Item numbers by decreasing score; equal scores are ordered by item number, so the
        lists do not depend on the sorting algorithm.

    Raises
    ------
    TypeError
        If ``scores`` is not numeric or ``seen`` not boolean.
    ValueError
        If a score is NaN or infinite, the shapes differ, or a user has fewer than ``k``
        unseen items.

    Used in chapter 22.
    """
    values = require_finite_array("scores", scores, None, as_float32=False)
    if values.ndim != 2 or values.shape[1] == 0:
        raise ValueError(f"scores must be 2-D (users x items), got shape {values.shape}")
    mask = _mask("seen", seen, values.shape)
    k = require_int("k", k, minimum=1)
    unseen = (~mask).sum(axis=1)
    if (unseen < k).any():
        user = int(np.flatnonzero(unseen < k)[0])
        raise ValueError(f"user {user} has {int(unseen[user])} unseen items, fewer than k={k}")
    masked = np.where(mask, -np.inf, values.astype(float))
    # Keep every item tied with the k-th best, then order by (-score, item number).
    kth = -np.partition(-masked, k - 1, axis=1)[:, k - 1 : k]
    candidates = np.where(masked >= kth, masked, -np.inf)
    width = min(int((masked >= kth).sum(axis=1).max()), values.shape[1])
    pool = np.argpartition(-candidates, width - 1, axis=1)[:, :width]
    pool_scores = np.take_along_axis(candidates, pool, axis=1)
    order = np.lexsort((pool, -pool_scores), axis=1)
    return np.take_along_axis(pool, order, axis=1)[:, :k]


def hit_at_k(recommended: Any, relevant: Any, k: int) -> np.ndarray:
    """1.0 for each user whose first ``k`` recommendations hold a relevant item, else 0.0.

    Parameters
    ----------
    recommended : array_like of int, shape (n_users, at least k)
        Each user's list of item numbers, best first (e.g. from :func:`top_k_unseen`).
    relevant : array_like of bool, shape (n_users, n_items)
        True where the item is relevant to the user (a held-out rating).
    k : int
        Cut-off, at least 1.

    Returns
    -------
    numpy.ndarray of float, shape (n_users,)
        The hit rate at ``k`` is its mean.

    Raises
    ------
    TypeError, ValueError
        For lists that are not integer item numbers, repeat an item, fall outside the
        columns of ``relevant`` or have another number of users; ``k`` below 1 or longer
        than the lists.

    Used in chapter 22.
    """
    return _hits(recommended, relevant, k).any(axis=1).astype(float)


def ndcg_at_k(recommended: Any, relevant: Any, k: int, n_relevant: Any = None) -> np.ndarray:
    """Normalised discounted cumulative gain of each user's first ``k`` recommendations.

    With binary relevance ``rel_j`` of the item at rank ``j``,
    ``DCG@k = sum_j rel_j / log2(j + 1)`` and ``NDCG@k = DCG@k / IDCG@k``, where the ideal
    ``IDCG@k`` puts ``min(k, n_relevant)`` relevant items at the top.

    Parameters
    ----------
    recommended, relevant, k
        As in :func:`hit_at_k`.
    n_relevant : array_like of int, shape (n_users,), optional
        How many relevant items each user has, when some cannot appear in ``relevant``
        (held-out items no model could rank, such as items without training ratings:
        they count in the ideal list). Default: the row sums of ``relevant``. Each must be
        at least 1 and at least the row's sum.

    Returns
    -------
    numpy.ndarray of float, shape (n_users,)
        Values in [0, 1]; their mean is the NDCG@k of the recommender.

    Raises
    ------
    TypeError
        As :func:`hit_at_k`, and for an ``n_relevant`` that is not integers.
    ValueError
        As :func:`hit_at_k`, and for a user without any relevant item (NDCG is undefined)
        or an ``n_relevant`` of the wrong shape or below the row's sum.

    Used in chapter 22.
    """
    hits = _hits(recommended, relevant, k)
    k = hits.shape[1]
    in_rows = np.asarray(relevant).sum(axis=1)
    if n_relevant is None:
        counts = in_rows
    else:
        counts = require_numeric_array("n_relevant", n_relevant, accepted="integer counts")
        if counts.dtype.kind not in "iu":
            raise TypeError(f"n_relevant must hold integer counts, got dtype {counts.dtype}")
        if counts.shape != in_rows.shape:
            raise ValueError(
                f"n_relevant must be {len(in_rows)} counts, one per user, got shape {counts.shape}"
            )
        if (counts < in_rows).any():
            user = int(np.flatnonzero(counts < in_rows)[0])
            raise ValueError(
                f"n_relevant[{user}] = {int(counts[user])} is below the {int(in_rows[user])} "
                "relevant items of that user's row"
            )
    if (counts < 1).any():
        user = int(np.flatnonzero(counts < 1)[0])
        raise ValueError(f"user {user} has no relevant item: NDCG is undefined, drop the user")
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(discounts)[np.minimum(counts, k) - 1]
    return (hits * discounts).sum(axis=1) / ideal
