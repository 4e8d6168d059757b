"""Checks of NumPy arrays: shapes, finite entries, numbers that fit a float32."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation.scalars import describe

FLOAT32_MAX = float(np.finfo(np.float32).max)
"""Largest magnitude a float32 holds; a larger finite number would be stored as ``inf``."""

Shape = tuple[int | str, ...]
"""A wanted shape: an int fixes an axis' length, a string (``"n"``) names a free one."""


def require_float32(name: str, value: Any) -> float:
    """Raise ValueError if the finite number ``value`` would overflow a float32."""
    if abs(value) > FLOAT32_MAX:
        raise ValueError(
            f"{name} must fit a float32 (magnitude at most {FLOAT32_MAX:.4g}), got {value!r}"
        )
    return value


def require_numeric_array(
    name: str, values: Any, *, accepted: str = "numeric", allow_bool: bool = False
) -> np.ndarray:
    """Return ``values`` as a NumPy array of numbers (not cast), else raise TypeError.

    A single string is refused as such (``"12"`` is not the array ``[1, 2]``); so are text,
    object and (unless ``allow_bool``) boolean dtypes. ``accepted`` is the message's phrase:
    ``"images must hold numbers, got dtype <U1"`` comes from ``accepted="hold numbers"``
    reading as ``must hold numbers``; the default reads ``must be numeric``.
    """
    phrase = accepted if accepted.startswith("hold ") else f"be {accepted}"
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must {phrase}, got the string {values!r}")
    array = np.asarray(values)
    kinds = "iufb" if allow_bool else "iuf"
    if array.dtype.kind not in kinds:
        raise TypeError(f"{name} must {phrase}, got dtype {array.dtype}")
    return array


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
