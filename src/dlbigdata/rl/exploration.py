"""Exploration: the linear :func:`epsilon_schedule` and :func:`epsilon_greedy_actions`."""

from __future__ import annotations

import numpy as np

from dlbigdata._validation import (
    require_finite_array,
    require_fraction,
    require_generator,
    require_int,
)

__all__ = ["epsilon_greedy_actions", "epsilon_schedule"]


def _require_steps(step: int | np.ndarray) -> np.ndarray:
    """``step`` as an integer array of non-negative steps (NaN, inf and floats refused)."""
    steps = np.asarray(step)
    if steps.dtype == bool or not np.issubdtype(steps.dtype, np.integer):
        raise TypeError(f"step must be an int or an array of ints, got {steps.dtype} {step!r}")
    if np.any(steps < 0):
        raise ValueError(f"step must be non-negative, got {step!r}")
    return steps


def epsilon_schedule(
    step: int | np.ndarray, start: float = 1.0, end: float = 0.05, decay_steps: int = 10_000
) -> float | np.ndarray:
    """Exploration rate at ``step``: linear from ``start`` to ``end``, then flat.

    :math:`\\varepsilon_t = \\varepsilon_{\\text{end}} + (\\varepsilon_{\\text{start}} -
    \\varepsilon_{\\text{end}}) \\max(0, 1 - t / T)`.

    Parameters
    ----------
    step : int or array_like of int
        Environment step(s), counted from 0 (non-negative).
    start, end : float
        Initial and final rate, ``0 <= end <= start <= 1``.
    decay_steps : int
        Number of steps :math:`T` of the linear decay (positive).

    Returns
    -------
    float or numpy.ndarray
        The rate(s), a float for a scalar ``step``.

    Raises
    ------
    TypeError
        If ``decay_steps`` is not an int or ``step`` is not integer-valued (a float, NaN
        or infinity included).
    ValueError
        If a step is negative, ``decay_steps`` is not positive, or the rates are not
        ordered ``0 <= end <= start <= 1`` (NaN included).

    Used in chapter 12.
    """
    start = require_fraction("start", start)
    end = require_fraction("end", end)
    if end > start:
        raise ValueError(f"end ({end}) must not exceed start ({start}): epsilon decays")
    decay_steps = require_int("decay_steps", decay_steps, minimum=1)
    steps = _require_steps(step)
    fraction_left = np.maximum(0.0, 1.0 - steps / decay_steps)
    epsilon = end + (start - end) * fraction_left
    return float(epsilon) if epsilon.ndim == 0 else epsilon


def epsilon_greedy_actions(
    q_values: np.ndarray, epsilon: float, rng: np.random.Generator
) -> np.ndarray:
    """Greedy actions, each replaced by a uniformly random one with probability ``epsilon``.

    Parameters
    ----------
    q_values : numpy.ndarray
        Action values, shape ``(n, action_count)``, finite.
    epsilon : float
        Exploration rate in [0, 1].
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        ``n`` actions (int64).

    Raises
    ------
    TypeError
        If ``rng`` is not a NumPy generator, ``epsilon`` is not a number or ``q_values``
        does not hold real numbers.
    ValueError
        If ``q_values`` is not two-dimensional with at least one action or holds NaN or
        an infinity (the greedy choice would be meaningless), or ``epsilon`` is outside
        [0, 1].

    Used in chapter 12.
    """
    epsilon = require_fraction("epsilon", epsilon)
    rng = require_generator("rng", rng)
    q_values = require_finite_array("q_values", q_values, ("n", "action_count"), as_float32=False)
    if q_values.shape[1] < 1:
        raise ValueError(f"q_values must have shape (n, action_count), got {q_values.shape}")
    actions = np.argmax(q_values, axis=1)
    explore = rng.random(len(actions)) < epsilon
    if explore.any():
        actions[explore] = rng.integers(0, q_values.shape[1], size=int(explore.sum()))
    return actions
