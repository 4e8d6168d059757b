"""How pure a node is: Gini impurity and entropy, and how much a split lowers them."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation import require_choice, require_numeric_array, require_type

__all__ = ["impurity", "impurity_decrease"]

_CRITERIA: tuple[str, ...] = ("gini", "entropy")
"""Impurity measures accepted by :func:`impurity` (the names scikit-learn uses)."""


def _criterion(criterion: object) -> str:
    return require_choice("criterion", criterion, _CRITERIA)


def _float_vector(name: str, values: Any, accepted: str) -> np.ndarray:
    """``values`` as a non-empty 1-D float array; text, booleans and objects raise TypeError."""
    array = require_numeric_array(name, values, accepted=accepted).astype(float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of {accepted}, got shape {array.shape}"
        )
    return array


def _as_counts(counts: Any, name: str = "counts") -> np.ndarray:
    """Class counts as a float array: one-dimensional, finite, non-negative, positive total."""
    array = _float_vector(name, counts, "numeric class counts")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite and non-negative, got {array.tolist()}")
    if array.sum() == 0:
        raise ValueError(f"{name} must not all be zero: an empty node has no impurity")
    return array


def impurity(counts: Any, criterion: str = "gini") -> float:
    """Gini impurity or entropy (in bits) of a node with the given class counts.

    Parameters
    ----------
    counts : array_like of float
        Number (or weight) of training examples of each class in the node: finite,
        non-negative, not all zero.
    criterion : {"gini", "entropy"}
        ``"gini"``: :math:`1 - \\sum_k p_k^2`; ``"entropy"``: :math:`-\\sum_k p_k \\log_2 p_k`
        (base 2, as scikit-learn), where :math:`p_k` are the class proportions.

    Returns
    -------
    float
        0 for a pure node; at most :math:`1 - 1/K` (Gini) or :math:`\\log_2 K` (entropy).

    Used in chapter 13.
    """
    criterion = _criterion(criterion)
    proportions = _as_counts(counts)
    proportions = proportions / proportions.sum()
    if criterion == "gini":
        return float(1.0 - np.sum(proportions**2))
    present = proportions[proportions > 0]
    return float(-np.sum(present * np.log2(present)) + 0.0)


def impurity_decrease(parent: Any, children: list[Any], criterion: str = "gini") -> float:
    """Weighted impurity decrease of a split (the information gain when ``criterion="entropy"``).

    Parameters
    ----------
    parent : array_like of float
        Class counts of the node before the split.
    children : list of array_like
        Class counts of each child (at least two, as many classes as the parent); they
        must add up to ``parent``.
    criterion : {"gini", "entropy"}
        Impurity measure, see :func:`impurity`.

    Returns
    -------
    float
        :math:`I(\\text{parent}) - \\sum_j \\frac{n_j}{n} I(\\text{child}_j)`, never negative.

    Used in chapter 13.
    """
    criterion = _criterion(criterion)
    parent_counts = _as_counts(parent, "parent")
    require_type("children", children, (list, tuple), "a list of class-count sequences")
    if len(children) < 2:
        raise ValueError(f"a split needs at least two children, got {len(children)}")
    child_counts = [
        _as_counts(child, f"children[{index}]") for index, child in enumerate(children)
    ]
    for index, child in enumerate(child_counts):
        if child.shape != parent_counts.shape:
            raise ValueError(
                f"children[{index}] has {child.size} classes, the parent has {parent_counts.size}"
            )
    if not np.allclose(np.sum(child_counts, axis=0), parent_counts):
        raise ValueError(
            f"the children's counts {np.sum(child_counts, axis=0).tolist()} do not add up to "
            f"the parent's {parent_counts.tolist()}"
        )
    total = parent_counts.sum()
    weighted = sum(child.sum() / total * impurity(child, criterion) for child in child_counts)
    return float(impurity(parent_counts, criterion) - weighted)
