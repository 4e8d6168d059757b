"""Targets and losses: :func:`bellman_targets`, :func:`huber_loss` and :func:`dqn_loss`.

They are written with ``keras.ops``, so the compiled training step of
:class:`~dlbigdata.rl.DQNAgent` reuses the very functions the tests check.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation import (
    require_bool,
    require_finite_array,
    require_float32,
    require_fraction,
    require_number,
)
from dlbigdata.rl._checks import require_flags
from dlbigdata.rl.buffer import Transitions

__all__ = ["bellman_targets", "dqn_loss", "huber_loss"]


def _bellman_targets_ops(rewards, next_q_values, terminated, gamma):
    """:math:`r + \\gamma (1 - \\text{terminated}) \\max_{a'} Q(s', a')` with ``keras.ops``."""
    from keras import ops

    return rewards + gamma * (1.0 - terminated) * ops.max(next_q_values, axis=1)


def _huber_ops(errors, delta):
    """Element-wise Huber function with ``keras.ops``."""
    from keras import ops

    absolute = ops.abs(errors)
    return ops.where(absolute <= delta, 0.5 * ops.square(errors), delta * (absolute - 0.5 * delta))


def _require_delta(delta: Any) -> float:
    """The Huber threshold: a number > 0 that fits a float32 (NaN, infinity, 1e300 refused)."""
    return require_float32("delta", require_number("delta", delta, minimum=0.0, low_open=True))


def _loss_parameters(gamma: Any, delta: Any, double: Any) -> tuple[float, float, bool]:
    """``gamma`` in [0, 1], ``delta`` positive and fitting a float32, ``double`` a bool."""
    return require_fraction("gamma", gamma), _require_delta(delta), require_bool("double", double)


def bellman_targets(
    rewards: np.ndarray, next_q_values: np.ndarray, terminated: np.ndarray, gamma: float
) -> np.ndarray:
    """DQN regression targets: rewards plus the discounted best next value, unless terminal.

    :math:`y = r + \\gamma (1 - \\text{terminated}) \\max_{a'} Q_{\\text{target}}(s', a')`.

    A transition cut off by a time limit is *not* terminated: its target still
    bootstraps from :math:`s'`.

    Parameters
    ----------
    rewards : array_like
        Rewards, shape ``(n,)``, finite.
    next_q_values : array_like
        Target-network action values of the next states, shape ``(n, action_count)``, finite.
    terminated : array_like of bool or {0, 1}
        Whether each next state is terminal, shape ``(n,)``.
    gamma : float
        Discount factor in [0, 1].

    Returns
    -------
    numpy.ndarray
        Targets, shape ``(n,)``, float32.

    Raises
    ------
    TypeError
        If ``gamma`` is not a number or an array does not hold real numbers.
    ValueError
        If the shapes disagree, ``terminated`` holds values other than 0 and 1, a
        reward or value is NaN, infinite or too large for float32, or ``gamma`` is
        outside [0, 1] (NaN included).

    Used in chapter 12.
    """
    from keras import ops

    gamma = require_fraction("gamma", gamma)
    rewards = require_finite_array("rewards", rewards, ("n",))
    next_q_values = require_finite_array(
        "next_q_values", next_q_values, (len(rewards), "action_count")
    )
    if next_q_values.shape[1] < 1:
        raise ValueError(f"next_q_values must have at least one action, got {next_q_values.shape}")
    flags = require_flags("terminated", terminated, rewards.shape)
    targets = _bellman_targets_ops(rewards, next_q_values, flags, np.float32(gamma))
    return ops.convert_to_numpy(targets).astype(np.float32)


def huber_loss(errors: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """Element-wise Huber loss: quadratic for small errors, linear beyond ``delta``.

    :math:`e^2/2` for :math:`|e| \\le \\delta`, else :math:`\\delta(|e| - \\delta/2)`.

    Parameters
    ----------
    errors : array_like
        Temporal-difference errors :math:`y - Q(s, a)`, any shape, finite.
    delta : float
        Where the quadratic part turns linear (positive, finite, fitting a float32).

    Returns
    -------
    numpy.ndarray
        The loss of each error, same shape as ``errors``, float32.

    Raises
    ------
    TypeError
        If ``delta`` is not a number or ``errors`` does not hold real numbers.
    ValueError
        If ``delta`` is not positive and finite or too large for float32, or an error is
        NaN, infinite or too large for float32.

    Used in chapter 12.
    """
    from keras import ops

    delta = _require_delta(delta)
    errors = require_finite_array("errors", errors, None)
    return ops.convert_to_numpy(_huber_ops(errors, np.float32(delta))).astype(np.float32)


def dqn_loss(online, target, batch: Transitions, gamma: float, delta: float, double: bool = False):
    """Mean Huber loss between :math:`Q_\\theta(s, a)` and the Bellman targets of ``batch``.

    No gradient flows through the targets (they come from the target network).
    Works eagerly and inside the compiled training step, so ``batch`` (arrays or
    tensors) is not checked here: :meth:`DQNAgent.learn` checks it.

    Parameters
    ----------
    online, target : keras.Model
        Online network :math:`Q_\\theta` and target network :math:`Q_{\\theta^-}`.
    batch : Transitions
        A batch of transitions (arrays or tensors).
    gamma : float
        Discount factor in [0, 1].
    delta : float
        Huber threshold (positive, finite, fitting a float32).
    double : bool, default False
        Double-DQN targets: the online network chooses :math:`a'`, the target evaluates it.

    Returns
    -------
    tensor
        The scalar loss.

    Raises
    ------
    TypeError, ValueError
        If ``gamma``, ``delta`` or ``double`` is not as described (NaN, inf and a
        ``delta`` too large for float32 refused).

    Used in chapter 12.
    """
    from keras import ops

    gamma, delta, double = _loss_parameters(gamma, delta, double)
    next_q_values = ops.stop_gradient(target(batch.next_observations))
    if double:  # the online network chooses a', the target network evaluates it
        choice = ops.expand_dims(ops.argmax(online(batch.next_observations), axis=1), 1)
        next_q_values = ops.stop_gradient(ops.take_along_axis(next_q_values, choice, axis=1))
    targets = _bellman_targets_ops(batch.rewards, next_q_values, batch.terminated, gamma)
    q_values = online(batch.observations)
    chosen = ops.take_along_axis(q_values, ops.expand_dims(batch.actions, 1), axis=1)[:, 0]
    return ops.mean(_huber_ops(targets - chosen, delta))
