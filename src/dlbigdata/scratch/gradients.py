"""Gradient checking: :func:`numerical_gradient` and :func:`relative_error`.

A hand-derived gradient (backpropagation written in NumPy) is trusted once it agrees
with a numerical estimate. :func:`numerical_gradient` estimates the gradient of a scalar
function of an array by central finite differences, one entry at a time;
:func:`relative_error` measures how far two arrays are apart, relative to their size,
with one number that is meaningful also where entries are close to zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dlbigdata._validation import (
    describe,
    require_callable,
    require_finite_array,
    require_number,
)

__all__ = ["numerical_gradient", "relative_error"]

TINY = float(np.finfo(np.float64).tiny)
"""Smallest positive normal float64: the floor of :func:`relative_error`'s denominator."""


def _value_at(function: Callable[[np.ndarray], Any], point: np.ndarray) -> float:
    """``function(point)`` as a float, refusing anything but a finite real scalar."""
    value = function(point)
    array = np.asarray(value)
    if array.ndim != 0 or array.dtype.kind not in "iuf":
        raise TypeError(
            f"function must return a real scalar, got {type(value).__name__}: {describe(value)}"
        )
    number = float(array)
    if not np.isfinite(number):
        raise ValueError(
            f"function must return a finite number, got {number!r} near the point "
            f"{describe(point)}"
        )
    return number


def numerical_gradient(
    function: Callable[[np.ndarray], Any], point: Any, *, step: float = 1e-6
) -> np.ndarray:
    """Central finite-difference gradient of a scalar function of an array.

    Each entry :math:`i` of the result is

    .. math::

        \\frac{\\partial f}{\\partial x_i} \\approx
        \\frac{f(x + h e_i) - f(x - h e_i)}{2 h},

    whose error is of order :math:`h^2` (plus rounding of order
    :math:`\\varepsilon_{\\text{machine}} |f| / h`), so :math:`h = 10^{-6}` suits smooth
    functions evaluated in float64.

    Parameters
    ----------
    function : callable
        Takes an array of the shape of ``point`` and returns a finite real scalar. It is
        called with a float64 copy, never with ``point`` itself, so ``point`` is left
        unchanged.
    point : array_like
        Where to take the gradient: finite real numbers, any shape, at least one entry.
    step : float, default 1e-6
        The finite-difference step :math:`h`, a number > 0.

    Returns
    -------
    numpy.ndarray
        The estimated gradient, float64, of the shape of ``point``.

    Raises
    ------
    TypeError
        If ``function`` is not callable, ``point`` does not hold real numbers, or
        ``function`` returns something other than a real scalar.
    ValueError
        If ``point`` is empty or not finite, ``step`` is not a positive finite number, or
        ``function`` returns NaN or an infinity.

    Used in chapters 05 and 06.
    """
    function = require_callable("function", function)
    array = require_finite_array("point", point, None, as_float32=False)
    if array.size == 0:
        raise ValueError(f"point must hold at least one number, got {describe(array)}")
    step = require_number("step", step, minimum=0.0, low_open=True)
    shifted = array.astype(np.float64)  # astype copies: the caller's array stays as it is
    gradient = np.empty(shifted.shape, dtype=np.float64)
    flat, out = shifted.reshape(-1), gradient.reshape(-1)
    for index in range(flat.size):
        original = flat[index]
        flat[index] = original + step
        above = _value_at(function, shifted)
        flat[index] = original - step
        below = _value_at(function, shifted)
        flat[index] = original
        out[index] = (above - below) / (2.0 * step)
    return gradient


def relative_error(first: Any, second: Any) -> float:
    """Normwise relative difference of two arrays of the same shape.

    .. math::

        \\operatorname{err}(a, b) =
        \\frac{\\max_i |a_i - b_i|}{\\max\\bigl(\\max_i (|a_i| + |b_i|),\\ \\text{tiny}\\bigr)},

    with :math:`\\text{tiny}` the smallest positive normal float64. The value lies in
    :math:`[0, 1]`: 0 for equal arrays, 1 for scalars of opposite sign (or a zero scalar
    against a nonzero one), at most 1 in general (``[1, 10]`` against ``[-1, 10]`` gives
    0.1), and about :math:`10^{-16}` for a float64 rounding difference. Unlike
    an entry-wise relative error it does not blow up on entries that are zero up to
    rounding (the gradient of a weight that has no effect); two all-zero arrays give 0.

    Parameters
    ----------
    first, second : array_like
        Finite real numbers (Python scalars, lists, arrays), the same shape, at least one
        entry. A scalar is compared with a scalar.

    Returns
    -------
    float
        The relative error.

    Raises
    ------
    TypeError
        If either does not hold real numbers (strings, booleans, objects).
    ValueError
        If the shapes differ, the arrays are empty, or an entry is NaN or infinite.

    Used in chapters 05 and 06.
    """
    a = require_finite_array("first", first, None, as_float32=False)
    b = require_finite_array("second", second, None, as_float32=False)
    if a.shape != b.shape:
        raise ValueError(f"first and second must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError(f"first and second must hold at least one number, got {describe(a)}")
    a, b = a.astype(np.float64), b.astype(np.float64)
    largest = float(max(np.max(np.abs(a)), np.max(np.abs(b))))
    if largest > 1.0:  # scale by a power of two (exact) so that a - b cannot overflow
        exponent = int(np.frexp(largest)[1])
        a, b = np.ldexp(a, -exponent), np.ldexp(b, -exponent)
    scale = float(np.max(np.abs(a) + np.abs(b)))
    return float(np.max(np.abs(a - b))) / max(scale, TINY)
