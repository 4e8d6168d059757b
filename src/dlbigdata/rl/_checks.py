"""Boundary checks of :mod:`dlbigdata.rl` missing from :mod:`dlbigdata._validation` (private).

They follow its conventions: ``(name, value, ...)``, TypeError for a wrong type, ValueError
for a wrong value, a message that names the argument and shows the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dlbigdata._validation import describe, require_int

FLOAT32_MAX = float(np.finfo(np.float32).max)
"""Largest magnitude a float32 holds; a larger finite number would be stored as ``inf``."""

SEED_LIMIT = 2**32
"""Seeds are integers in ``[0, 2**32)``, as :func:`dlbigdata.seed_everything` accepts."""


def require_callable(name: str, value: Any) -> Any:
    """Return ``value`` if it can be called, else raise TypeError."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}: {describe(value)}")
    return value


def require_seed(name: str, value: Any) -> int:
    """Return ``value`` as an int seed in ``[0, 2**32)`` (booleans and floats refused)."""
    return require_int(name, value, minimum=0, maximum=SEED_LIMIT - 1)


def require_int_sequence(name: str, value: Any) -> list[Any]:
    """Return ``value`` as a list if it is a sequence (not a string, mapping or scalar)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got {describe(value)}")
        value = value.tolist()
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name} must be a list of integers, got {type(value).__name__}: {describe(value)}"
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


def require_widths(name: str, value: Any, *, allow_empty: bool) -> tuple[int, ...]:
    """Return layer widths (a sequence of positive ints) as a tuple."""
    widths = tuple(
        require_int(f"{name}[{index}]", width, minimum=1)
        for index, width in enumerate(require_int_sequence(name, value))
    )
    if not widths and not allow_empty:
        raise ValueError(f"{name} must name at least one layer width, got ()")
    return widths


def require_float32(name: str, value: Any) -> float:
    """Raise ValueError if the finite number ``value`` would overflow a float32."""
    if abs(value) > FLOAT32_MAX:
        raise ValueError(
            f"{name} must fit a float32 (magnitude at most {FLOAT32_MAX:.4g}), got {value!r}"
        )
    return value


Shape = tuple[int | str, ...]
"""A wanted shape: an int fixes an axis' length, a string (``"n"``) names a free one."""


def shape_text(shape: Shape) -> str:
    """``("n", 4)`` as ``"(n, 4)"``, ``(3,)`` as ``"(3,)"``: the shape an argument must have."""
    parts = [str(size) for size in shape]
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"


def has_shape(array: np.ndarray, shape: Shape) -> bool:
    """Whether ``array`` has ``shape`` (a string in ``shape`` matches any length)."""
    return array.ndim == len(shape) and all(
        isinstance(wanted, str) or size == wanted
        for size, wanted in zip(array.shape, shape, strict=True)
    )


def require_finite_array(
    name: str, value: Any, shape: Shape | None, *, as_float32: bool = True
) -> np.ndarray:
    """Return ``value`` as an array of ``shape``, every entry finite (float32 by default).

    ``shape=None`` accepts any shape.
    Integer and float arrays are accepted (booleans, strings, complex numbers are not:
    TypeError); a wrong shape, a NaN or an infinity raise ValueError naming the value, and
    so does, with ``as_float32``, a number too large for float32 (it would become ``inf``).
    """
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if shape is not None and not has_shape(array, shape):
        raise ValueError(f"{name} must have shape {shape_text(shape)}, got {array.shape}")
    if array.dtype.kind == "f" and array.size:
        bad = ~np.isfinite(array)
        if bad.any():
            raise ValueError(f"{name} must be finite, got {array[bad][0]!r} in {describe(array)}")
        if as_float32 and array.dtype.itemsize > 4:
            require_float32(f"each entry of {name}", float(np.max(np.abs(array))))
    return array.astype(np.float32, copy=False) if as_float32 else array


def action_limit(action_count: int | None) -> int:
    """One past the largest valid action: ``action_count``, or what an int32 holds."""
    return action_count if action_count is not None else int(np.iinfo(np.int32).max) + 1


def require_actions(name: str, value: Any, count: int, action_count: int | None) -> np.ndarray:
    """Return ``count`` integer actions, each in ``[0, action_count)``, as an int64 array."""
    actions = np.asarray(value)
    if actions.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer actions, got dtype {actions.dtype}")
    if actions.shape != (count,):
        raise ValueError(f"{name} must have shape ({count},), got {actions.shape}")
    limit = action_limit(action_count)
    outside = (actions < 0) | (actions >= limit)
    if outside.any():
        raise ValueError(f"{name} must hold actions in [0, {limit}), got {actions[outside][0]!r}")
    return actions.astype(np.int64, copy=False)


def require_flags(name: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Terminated flags of ``shape``, each ``0``/``1`` or ``False``/``True``, as float32."""
    flags = np.asarray(value)
    if flags.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {flags.shape}")
    if flags.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold 0/1 or False/True, got dtype {flags.dtype}")
    bad = ~np.isin(flags, [0, 1])
    if bad.any():
        raise ValueError(
            f"{name} must hold only 0/1 or False/True, got {flags[bad][0]!r} in {describe(flags)}"
        )
    return flags.astype(np.float32, copy=False)
