"""Baseline policies: :func:`random_policy` and the CartPole rule :func:`lean_policy`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlbigdata._validation import (
    require_finite_array,
    require_generator,
    require_int,
    require_number,
)

__all__ = ["Policy", "lean_policy", "random_policy"]

Policy = Callable[[np.ndarray], np.ndarray]
"""A policy maps a batch of observations, shape ``(n, observation_size)``, to ``n`` actions."""


def random_policy(action_count: int, rng: np.random.Generator) -> Policy:
    """A policy that picks uniformly random actions (the weakest baseline).

    Parameters
    ----------
    action_count : int
        Number of discrete actions (positive).
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    callable
        ``policy(observations) -> actions``, one action per row of ``observations``.

    Raises
    ------
    TypeError, ValueError
        If ``action_count`` is not a positive int or ``rng`` is not a generator.

    Used in chapter 12.
    """
    action_count = require_int("action_count", action_count, minimum=1)
    rng = require_generator("rng", rng)
    return lambda observations: rng.integers(0, action_count, size=len(observations))


def lean_policy(observations: np.ndarray, velocity_gain: float = 0.0) -> np.ndarray:
    """CartPole rule of thumb: push the cart towards the side the pole leans (or falls) to.

    The rule pushes right when :math:`\\theta + k\\,\\dot\\theta > 0`: with :math:`k = 0` it
    follows the lean only; a positive gain :math:`k` also reacts to the pole's angular
    velocity (a proportional-derivative controller).

    Parameters
    ----------
    observations : numpy.ndarray
        CartPole observations ``[x, x_dot, theta, theta_dot]``, shape ``(n, 4)``, finite.
    velocity_gain : float, default 0.0
        The gain :math:`k` (seconds), non-negative and finite.

    Returns
    -------
    numpy.ndarray
        1 (push right) where :math:`\\theta + k\\,\\dot\\theta > 0`, else 0 (push left).

    Raises
    ------
    TypeError
        If ``velocity_gain`` is not a number or ``observations`` does not hold numbers.
    ValueError
        If ``observations`` does not have shape ``(n, 4)`` or is not finite (a NaN angle
        would always push left), or the gain is negative, NaN or infinite.

    Used in chapter 12.
    """
    observations = require_finite_array("observations", observations, ("n", 4), as_float32=False)
    velocity_gain = require_number("velocity_gain", velocity_gain, minimum=0.0)
    return (observations[:, 2] + velocity_gain * observations[:, 3] > 0).astype(np.int64)
