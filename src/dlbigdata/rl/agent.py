"""The agent: :class:`DQNConfig` (hyperparameters) and :class:`DQNAgent` (networks, learning)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlbigdata._validation import (
    describe,
    require_bool,
    require_finite_array,
    require_float32,
    require_fraction,
    require_int,
    require_number,
    require_type,
)
from dlbigdata.rl._checks import require_actions, require_flags, require_widths
from dlbigdata.rl.buffer import Transitions
from dlbigdata.rl.losses import dqn_loss
from dlbigdata.rl.qnetwork import _forward, build_q_network

__all__ = ["DQNAgent", "DQNConfig"]

_POSITIVE_INTS = (
    "max_steps",
    "batch_size",
    "buffer_capacity",
    "train_every",
    "gradient_steps",
    "epsilon_decay_steps",
    "target_update_every",
    "validate_every",
    "solved_checks_to_stop",
)
_FRACTIONS = ("gamma", "epsilon_start", "epsilon_end")
_POSITIVE_NUMBERS = ("learning_rate", "huber_delta", "max_gradient_norm", "solved_return")
_FLOAT32_NUMBERS = ("learning_rate", "huber_delta", "max_gradient_norm")
"""Settings the compiled training step casts to float32: a larger one would become ``inf``."""


@dataclass(frozen=True)
class DQNConfig:
    """Hyperparameters of :func:`train_dqn` (the defaults solve CartPole-v1).

    Every value is checked when the configuration is made, and stored in its plain Python
    form (a NumPy scalar becomes an ``int`` or ``float``, ``hidden_units`` a tuple). The
    real-valued ones must be finite: an infinite learning rate, Huber threshold or gradient
    clip would turn every weight into NaN at the first step. Those three must also fit a
    float32 (``1e300`` would become ``inf`` in the compiled training step).

    Attributes
    ----------
    max_steps : int
        Training budget: environment steps taken by the learning agent, i.e.
        transitions added to the replay buffer. Validation episodes are extra.
    hidden_units : tuple of int
        Widths of the hidden layers (at least one).
    learning_rate : float
        Adam step size (positive, finite).
    gamma : float
        Discount factor in [0, 1].
    batch_size : int
        Transitions per gradient step.
    buffer_capacity : int
        Replay-buffer size.
    learning_starts : int
        Steps of pure collection before the first gradient step; at least ``batch_size``
        and below ``max_steps``, or the agent would never learn.
    train_every : int
        Environment steps between two calls of the compiled training step.
    gradient_steps : int
        Gradient steps per call, each on its own minibatch.
    epsilon_start, epsilon_end : float
        Exploration rate at the start and after the decay, ``0 <= end <= start <= 1``.
    epsilon_decay_steps : int
        Steps of the linear decay of epsilon.
    target_update_every : int
        Environment steps between hard copies of the online weights into the target network.
    huber_delta : float
        Threshold of the Huber loss, in units of return (positive, finite). It must be
        large next to the typical error (CartPole's values reach 100): with a small threshold
        the loss is nearly the absolute error, whose minimiser is a median, and rare failures
        are ignored.
    max_gradient_norm : float
        Gradients are rescaled so their global norm is at most this (positive, finite).
    validate_every : int
        Environment steps between greedy validation runs; at most ``max_steps``, since the
        agent returned is the best validated one.
    solved_return : float
        Mean validation return regarded as solved (positive, finite).
    solved_checks_to_stop : int
        Stop after this many consecutive validation runs at ``solved_return`` or above.
    double_q : bool
        Double DQN targets (van Hasselt et al. 2016): the online network chooses the next
        action, the target network evaluates it. ``False`` gives the original DQN target.

    Raises
    ------
    TypeError
        If a value has the wrong type (a bool or float for an int, a string for a number).
    ValueError
        If a value is out of range, NaN or infinite, too large for float32 (learning rate,
        Huber threshold, gradient clip), or two values contradict each other.

    Used in chapter 12.
    """

    max_steps: int = 60_000
    hidden_units: tuple[int, ...] = (64, 64)
    learning_rate: float = 1e-3
    gamma: float = 0.99
    batch_size: int = 64
    buffer_capacity: int = 50_000
    learning_starts: int = 1_000
    train_every: int = 4
    gradient_steps: int = 4
    epsilon_start: float = 1.0
    epsilon_end: float = 0.05
    epsilon_decay_steps: int = 12_000
    target_update_every: int = 250
    huber_delta: float = 10.0
    max_gradient_norm: float = 10.0
    validate_every: int = 1_000
    solved_return: float = 500.0
    solved_checks_to_stop: int = 1
    double_q: bool = True

    def __post_init__(self) -> None:
        values: dict[str, Any] = {}
        for name in _POSITIVE_INTS:
            values[name] = require_int(name, getattr(self, name), minimum=1)
        values["learning_starts"] = require_int("learning_starts", self.learning_starts, minimum=0)
        for name in _FRACTIONS:
            values[name] = require_fraction(name, getattr(self, name))
        for name in _POSITIVE_NUMBERS:
            values[name] = require_number(name, getattr(self, name), minimum=0.0, low_open=True)
        for name in _FLOAT32_NUMBERS:
            values[name] = require_float32(name, values[name])
        values["double_q"] = require_bool("double_q", self.double_q)
        values["hidden_units"] = require_widths(
            "hidden_units", self.hidden_units, allow_empty=False
        )
        _check_consistency(values)
        for name, value in values.items():
            object.__setattr__(self, name, value)


def _check_consistency(values: dict[str, Any]) -> None:
    """Raise ValueError where two checked settings of :class:`DQNConfig` contradict."""
    if values["epsilon_end"] > values["epsilon_start"]:
        raise ValueError(
            f"epsilon_end ({values['epsilon_end']}) must not exceed epsilon_start "
            f"({values['epsilon_start']})"
        )
    if values["learning_starts"] < values["batch_size"]:
        raise ValueError(
            f"learning_starts ({values['learning_starts']}) must be at least batch_size "
            f"({values['batch_size']}) so the first minibatch can be drawn"
        )
    if values["learning_starts"] >= values["max_steps"]:
        raise ValueError(
            f"learning_starts ({values['learning_starts']}) must be below max_steps "
            f"({values['max_steps']}), or no gradient step is ever taken"
        )
    if values["validate_every"] > values["max_steps"]:
        raise ValueError(
            f"validate_every ({values['validate_every']}) must be at most max_steps "
            f"({values['max_steps']}), or no weights are ever validated and kept"
        )


class DQNAgent:
    """Online and target Q-networks, Adam, and a compiled training step.

    Parameters
    ----------
    observation_size, action_count : int
        Sizes of the observation vector and of the discrete action set (positive).
    config : DQNConfig
        Hyperparameters (network widths, learning rate, gamma, Huber delta, clipping).
    seed : int
        Seed of the weight initialisers, in ``[0, 2**32)``.

    Raises
    ------
    TypeError
        If ``config`` is not a :class:`DQNConfig` or a size or the seed is not an int.
    ValueError
        If a size is not positive or the seed is out of range.

    Used in chapter 12.
    """

    def __init__(
        self, observation_size: int, action_count: int, config: DQNConfig, seed: int
    ) -> None:
        import keras
        import tensorflow as tf

        self.config = require_type("config", config, DQNConfig, "a DQNConfig")
        self.action_count = require_int("action_count", action_count, minimum=1)
        self.online = build_q_network(observation_size, action_count, config.hidden_units, seed)
        self.target = build_q_network(observation_size, action_count, config.hidden_units, seed)
        self.observation_size = int(observation_size)
        self.optimizer = keras.optimizers.Adam(learning_rate=config.learning_rate)
        self.optimizer.build(self.online.trainable_variables)
        # A fixed input signature (minibatches stacked on a leading axis) spares tf.function
        # from matching arguments against its traces at every call.
        stacked = [None, None]
        signature = Transitions(
            tf.TensorSpec([*stacked, observation_size], tf.float32),
            tf.TensorSpec(stacked, tf.int32),
            tf.TensorSpec(stacked, tf.float32),
            tf.TensorSpec([*stacked, observation_size], tf.float32),
            tf.TensorSpec(stacked, tf.float32),
        )
        self._train = tf.function(self._train_steps, input_signature=[signature])
        self.update_target()
        self._numpy_weights = self.online.get_weights()

    def _train_steps(self, batches: Transitions):
        """One Adam step per minibatch in ``batches`` (leading axis); compiled by tf.function."""
        import tensorflow as tf

        config = self.config
        variables = self.online.trainable_variables
        total = tf.constant(0.0)
        for index in tf.range(tf.shape(batches.rewards)[0]):
            batch = Transitions(*(part[index] for part in batches))
            with tf.GradientTape() as tape:
                loss = dqn_loss(
                    self.online,
                    self.target,
                    batch,
                    config.gamma,
                    config.huber_delta,
                    config.double_q,
                )
            gradients = tape.gradient(loss, variables)
            gradients, _ = tf.clip_by_global_norm(gradients, config.max_gradient_norm)
            self.optimizer.apply_gradients(zip(gradients, variables, strict=True))
            total += loss
        mean_loss = total / tf.cast(tf.shape(batches.rewards)[0], tf.float32)
        return mean_loss, [tf.identity(variable) for variable in self.online.weights]

    def _checked_batch(self, name: str, batch: Any) -> Transitions:
        """One minibatch, every field checked and in the dtypes of the training step."""
        batch = require_type(name, batch, Transitions, "a Transitions batch")
        rows = len(np.asarray(batch.rewards))
        width = self.observation_size
        return Transitions(
            require_finite_array(f"{name}.observations", batch.observations, (rows, width)),
            require_actions(f"{name}.actions", batch.actions, rows, self.action_count).astype(
                np.int32
            ),
            require_finite_array(f"{name}.rewards", batch.rewards, (rows,)),
            require_finite_array(
                f"{name}.next_observations", batch.next_observations, (rows, width)
            ),
            require_flags(f"{name}.terminated", batch.terminated, (rows,)),
        )

    def learn(self, batches: Sequence[Transitions]) -> float:
        """Take one gradient step per minibatch, all in one call of the compiled training step.

        Every minibatch is checked before the first step: a NaN reward or an action out of
        range would otherwise spread NaN or garbage into every weight.

        Parameters
        ----------
        batches : sequence of Transitions
            One or more minibatches of equal size (from :meth:`ReplayBuffer.sample`).

        Returns
        -------
        float
            The mean loss over the gradient steps (before each step).

        Raises
        ------
        TypeError
            If ``batches`` is not a sequence of :class:`Transitions`, or a field has the
            wrong dtype.
        ValueError
            If ``batches`` is empty, the minibatches differ in size, or a field has the
            wrong shape, a non-finite value, an action out of range or a flag not 0/1.
        """
        if isinstance(batches, Transitions) or not isinstance(batches, Sequence):
            raise TypeError(
                f"batches must be a list of Transitions minibatches, got {describe(batches)}"
            )
        if not batches:
            raise ValueError("batches must hold at least one minibatch, got none")
        checked = [self._checked_batch(f"batches[{i}]", batch) for i, batch in enumerate(batches)]
        sizes = sorted({len(batch.rewards) for batch in checked})
        if len(sizes) != 1:
            raise ValueError(f"minibatches must have equal sizes, got sizes {sizes}")
        stacked = Transitions(*(np.stack(parts) for parts in zip(*checked, strict=True)))
        loss, weights = self._train(stacked)
        self._numpy_weights = [weight.numpy() for weight in weights]
        return float(loss)

    def update_target(self) -> None:
        """Copy the online weights into the target network (a hard update)."""
        for target_weight, online_weight in zip(
            self.target.weights, self.online.weights, strict=True
        ):
            target_weight.assign(online_weight)

    def get_weights(self) -> list[np.ndarray]:
        """A copy of the online network's weights."""
        return [weight.copy() for weight in self._numpy_weights]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Load weights into the online and target networks.

        Raises
        ------
        TypeError, ValueError
            If ``weights`` is not a list of finite arrays shaped like the network's; then
            neither network is changed.
        """
        shapes = [tuple(weight.shape) for weight in self.online.weights]
        if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
            raise TypeError(f"weights must be a list of arrays, got {describe(weights)}")
        if len(weights) != len(shapes):
            raise ValueError(f"weights must hold {len(shapes)} arrays, got {len(weights)}")
        checked = [
            require_finite_array(f"weights[{index}]", weight, shape)
            for index, (weight, shape) in enumerate(zip(weights, shapes, strict=True))
        ]
        self.online.set_weights(checked)
        self.update_target()
        self._numpy_weights = self.online.get_weights()

    def q_values(self, observations: np.ndarray) -> np.ndarray:
        """Action values of a batch of observations (NumPy forward pass of the online network).

        Raises
        ------
        TypeError, ValueError
            If ``observations`` is not a finite ``(n, observation_size)`` array.
        """
        shape = ("n", self.observation_size)
        return _forward(
            self._numpy_weights, require_finite_array("observations", observations, shape)
        )

    def greedy_policy(self, observations: np.ndarray) -> np.ndarray:
        """The greedy action :math:`\\arg\\max_a Q_\\theta(s, a)` of each observation."""
        return np.argmax(self.q_values(observations), axis=1)
