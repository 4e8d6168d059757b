"""Checks of collections: lists of names, of integers, of seeds, of texts; string mappings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation.scalars import _type_name, describe, require_seed, require_type


def require_names(
    name: str, value: Any, *, allow_empty: bool = False, unique: bool = True
) -> list[str]:
    """Return a sequence of strings as a list.

    A single string is refused with TypeError (``"ab"`` is not the list ``["a", "b"]``),
    and so is an item that is not a string; an empty or duplicated list raises ValueError.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a list of names, got the single string {value!r}; "
            f"write [{value!r}] for one name"
        )
    if isinstance(value, (pd.Index, pd.Series, np.ndarray)):
        value = value.tolist()
    if not isinstance(value, (Sequence, set, frozenset)) or isinstance(value, Mapping):
        raise TypeError(
            f"{name} must be a list of names, got {_type_name(value)}: {describe(value)}"
        )
    names = list(value)
    for item in names:
        if not isinstance(item, str):
            raise TypeError(
                f"{name} must hold strings only, got {_type_name(item)}: {describe(item)}"
            )
    if not names and not allow_empty:
        raise ValueError(f"{name} must name at least one column, got an empty list")
    if unique:
        repeated = sorted({item for item in names if names.count(item) > 1})
        if repeated:
            raise ValueError(f"{name} must not repeat a name, got {repeated} more than once")
    return names


def require_int_sequence(name: str, value: Any) -> list[Any]:
    """Return ``value`` as a list if it is a sequence (not a string, mapping or scalar).

    A 1-D NumPy array is accepted; another number of dimensions raises ValueError. The
    items are not checked: the caller checks each one (``require_int(f"{name}[{i}]", ...)``).
    """
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got {describe(value)}")
        value = value.tolist()
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name} must be a list of integers, got {_type_name(value)}: {describe(value)}"
        )
    return list(value)


def require_seeds(name: str, value: Any) -> list[int]:
    """Return a non-empty sequence of distinct seeds as a list of ints."""
    seeds = [
        require_seed(f"{name}[{index}]", seed)
        for index, seed in enumerate(require_int_sequence(name, value))
    ]
    if not seeds:
        raise ValueError(f"{name} must name at least one episode seed, got none")
    repeated = sorted({seed for seed in seeds if seeds.count(seed) > 1})
    if repeated:
        raise ValueError(f"{name} must be distinct, got {repeated} more than once")
    return seeds


def require_texts(name: str, value: Any, *, allow_empty: bool = False) -> pd.Series:
    """Return a sequence of strings as a Series (a Series keeps its index).

    A single string is refused with TypeError (it is one text, not a list of texts), and
    so is any item that is not a string: a missing text (``None``, ``NaN``) included.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a list of texts, got the single string {describe(value)}; "
            f"write [{describe(value)}] for one text"
        )
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got an array of shape {value.shape}")
    if isinstance(value, pd.Series):
        series = value
    elif isinstance(value, (Sequence, np.ndarray, pd.Index)):
        series = pd.Series(list(value), dtype=object)
    else:
        raise TypeError(
            f"{name} must be a list of texts, got {_type_name(value)}: {describe(value)}"
        )
    not_text = [item for item in series if not isinstance(item, str)]
    if not_text:
        raise TypeError(
            f"{name} must hold strings only; {len(not_text)} item(s) are not, "
            f"e.g. {describe(not_text[0])}"
        )
    if series.empty and not allow_empty:
        raise ValueError(f"{name} must hold at least one text, got an empty sequence")
    return series


def require_string_mapping(name: str, value: Any) -> Mapping[str, str]:
    """Return a read-only copy of a mapping of non-empty strings to non-empty strings.

    Something that is not a mapping, or a key or value that is not a non-empty string,
    raises TypeError naming the offending key or value.
    """
    require_type(name, value, Mapping, "a mapping (a dict)")
    for key, item in value.items():
        for what, text in (("key", key), ("value", item)):
            if not isinstance(text, str) or not text.strip():
                raise TypeError(
                    f"{name}: every {what} must be a non-empty string, "
                    f"got {describe(text)} in {describe(dict(value))}"
                )
    return MappingProxyType(dict(value))
