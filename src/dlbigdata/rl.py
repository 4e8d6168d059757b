"""Reinforcement learning: a deep Q-network (DQN) in Keras 3 for gymnasium environments.

The parts of DQN (Mnih et al. 2015) are small, separate and tested one by one:

- :class:`ReplayBuffer`: preallocated NumPy arrays of transitions, sampled uniformly;
- :func:`epsilon_schedule` and :func:`epsilon_greedy_actions`: exploration;
- :func:`bellman_targets`: :math:`y = r + \\gamma (1 - \\text{terminated}) \\max_{a'} Q_{\\text{target}}(s', a')`;
- :func:`huber_loss` and :func:`dqn_loss`: the regression loss of the online network
  (optionally with double-DQN targets);
- :class:`DQNAgent`: online and target networks, a compiled training step with gradient
  clipping, and a NumPy copy of the weights for fast acting;
- :func:`train_dqn`: the training loop, with periodic greedy validation that keeps the best
  weights (model selection) and stops early once validation is solved;
- :func:`evaluate_policy`, :func:`random_policy`, :func:`lean_policy` and
  :func:`record_frames`: evaluation on seeded episodes, baselines and pictures.

Chapter 12 of the book explains each part next to its equation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

__all__ = [
    "DQNAgent",
    "DQNConfig",
    "EvaluationResult",
    "ReplayBuffer",
    "TrainingResult",
    "Transitions",
    "bellman_targets",
    "build_q_network",
    "dqn_loss",
    "epsilon_greedy_actions",
    "epsilon_schedule",
    "evaluate_policy",
    "huber_loss",
    "lean_policy",
    "numpy_q_values",
    "random_policy",
    "record_frames",
    "train_dqn",
]

Policy = Callable[[np.ndarray], np.ndarray]
"""A policy maps a batch of observations, shape ``(n, observation_size)``, to ``n`` actions."""


def _require_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` as an int, or raise if it is not an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name} must be an int >= {minimum}, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value}")
    return int(value)


def _require_rng(rng: object) -> np.random.Generator:
    """Return ``rng`` if it is a NumPy generator, else raise TypeError."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _require_probability(name: str, value: object) -> float:
    """Return ``value`` as a float in [0, 1], or raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in [0, 1], got {type(value).__name__} {value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value}")
    return float(value)


# ---------------------------------------------------------------------------
# Replay buffer
# ---------------------------------------------------------------------------


class Transitions(NamedTuple):
    """A batch of transitions :math:`(s, a, r, s', \\text{terminated})`, one row per transition."""

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_observations: np.ndarray
    terminated: np.ndarray


class ReplayBuffer:
    """Fixed-size memory of transitions in preallocated NumPy arrays (chapter 12).

    When full, each new transition overwrites the oldest one (a ring buffer).
    Only ``terminated`` is stored, never ``truncated``: a time limit ends an
    episode but not the task, so the learner must still bootstrap from ``s'``.

    Parameters
    ----------
    capacity : int
        Largest number of transitions kept (positive).
    observation_size : int
        Length of one observation vector (positive).

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is not positive.
    """

    def __init__(self, capacity: int, observation_size: int) -> None:
        self.capacity = _require_int("capacity", capacity, 1)
        self.observation_size = _require_int("observation_size", observation_size, 1)
        self._observations = np.zeros((self.capacity, self.observation_size), dtype=np.float32)
        self._next_observations = np.zeros(
            (self.capacity, self.observation_size), dtype=np.float32
        )
        self._actions = np.zeros(self.capacity, dtype=np.int32)
        self._rewards = np.zeros(self.capacity, dtype=np.float32)
        self._terminated = np.zeros(self.capacity, dtype=np.float32)
        self._next_index = 0
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _observation(self, name: str, value: object) -> np.ndarray:
        array = np.asarray(value, dtype=np.float32)
        if array.shape != (self.observation_size,):
            raise ValueError(
                f"{name} must have shape ({self.observation_size},), got {array.shape}"
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be finite, got {array}")
        return array

    def add(
        self,
        observation: np.ndarray,
        action: int,
        reward: float,
        next_observation: np.ndarray,
        terminated: bool,
    ) -> None:
        """Store one transition, overwriting the oldest one when the buffer is full.

        Parameters
        ----------
        observation, next_observation : numpy.ndarray
            The states before and after the action, shape ``(observation_size,)``.
        action : int
            The action taken (non-negative).
        reward : float
            The reward received (finite).
        terminated : bool
            Whether ``next_observation`` is a terminal state of the task (not a time limit).

        Raises
        ------
        TypeError
            If ``action`` is not an integer or ``terminated`` is not a bool.
        ValueError
            If an observation has the wrong shape or is not finite, the action is
            negative, or the reward is not finite.
        """
        observation = self._observation("observation", observation)
        next_observation = self._observation("next_observation", next_observation)
        action = _require_int("action", action, 0)
        if not isinstance(terminated, (bool, np.bool_)):
            raise TypeError(
                f"terminated must be a bool, got {type(terminated).__name__} {terminated!r}"
            )
        if isinstance(reward, bool) or not isinstance(
            reward, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"reward must be a number, got {type(reward).__name__} {reward!r}")
        if not math.isfinite(reward):
            raise ValueError(f"reward must be finite, got {reward}")
        index = self._next_index
        self._observations[index] = observation
        self._actions[index] = action
        self._rewards[index] = reward
        self._next_observations[index] = next_observation
        self._terminated[index] = float(terminated)
        self._next_index = (index + 1) % self.capacity
        self._size = min(self._size + 1, self.capacity)

    def contents(self) -> Transitions:
        """Every stored transition, oldest first (copies).

        Returns
        -------
        Transitions
            Arrays with ``len(self)`` rows, in the order the transitions were added
            (after an overwrite, the oldest surviving transition comes first).
        """
        start = self._next_index if self._size == self.capacity else 0
        order = (start + np.arange(self._size)) % self.capacity
        return Transitions(
            self._observations[order],
            self._actions[order],
            self._rewards[order],
            self._next_observations[order],
            self._terminated[order],
        )

    def sample(self, batch_size: int, rng: np.random.Generator) -> Transitions:
        """Draw ``batch_size`` stored transitions uniformly at random, with replacement.

        Parameters
        ----------
        batch_size : int
            Number of transitions (positive; may exceed ``len(self)``, since the
            draws are independent).
        rng : numpy.random.Generator
            Source of randomness.

        Returns
        -------
        Transitions
            Arrays with ``batch_size`` rows: observations ``float32 (n, d)``, actions
            ``int32 (n,)``, rewards ``float32 (n,)``, next observations ``float32 (n, d)``
            and terminated flags ``float32 (n,)`` (1.0 for terminal).

        Raises
        ------
        TypeError
            If ``batch_size`` is not an int or ``rng`` is not a NumPy generator.
        ValueError
            If ``batch_size`` is not positive or the buffer is empty.
        """
        batch_size = _require_int("batch_size", batch_size, 1)
        rng = _require_rng(rng)
        if self._size == 0:
            raise ValueError("cannot sample from an empty replay buffer; add transitions first")
        indices = rng.integers(0, self._size, size=batch_size)
        return Transitions(
            self._observations[indices],
            self._actions[indices],
            self._rewards[indices],
            self._next_observations[indices],
            self._terminated[indices],
        )


# ---------------------------------------------------------------------------
# Exploration
# ---------------------------------------------------------------------------


def epsilon_schedule(
    step: int | np.ndarray, start: float = 1.0, end: float = 0.05, decay_steps: int = 10_000
) -> float | np.ndarray:
    """Exploration rate at ``step``: linear from ``start`` to ``end`` over ``decay_steps``, then flat.

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
        If ``decay_steps`` is not an int or ``step`` is not integer-valued.
    ValueError
        If a step is negative, ``decay_steps`` is not positive, or the rates are not
        ordered ``0 <= end <= start <= 1``.
    """
    start = _require_probability("start", start)
    end = _require_probability("end", end)
    if end > start:
        raise ValueError(f"end ({end}) must not exceed start ({start}): epsilon decays")
    decay_steps = _require_int("decay_steps", decay_steps, 1)
    steps = np.asarray(step)
    if steps.dtype == bool or not np.issubdtype(steps.dtype, np.integer):
        raise TypeError(f"step must be an int or an array of ints, got {steps.dtype} {step!r}")
    if np.any(steps < 0):
        raise ValueError(f"step must be non-negative, got {step!r}")
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
        Action values, shape ``(n, action_count)``.
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
        If ``rng`` is not a NumPy generator or ``epsilon`` is not a number.
    ValueError
        If ``q_values`` is not two-dimensional with at least one action, or
        ``epsilon`` is outside [0, 1].
    """
    epsilon = _require_probability("epsilon", epsilon)
    rng = _require_rng(rng)
    q_values = np.asarray(q_values)
    if q_values.ndim != 2 or q_values.shape[1] < 1:
        raise ValueError(f"q_values must have shape (n, action_count), got {q_values.shape}")
    actions = np.argmax(q_values, axis=1)
    explore = rng.random(len(actions)) < epsilon
    if explore.any():
        actions[explore] = rng.integers(0, q_values.shape[1], size=int(explore.sum()))
    return actions


# ---------------------------------------------------------------------------
# Targets and losses (written with keras.ops, so the training step reuses them)
# ---------------------------------------------------------------------------


def _bellman_targets_ops(rewards, next_q_values, terminated, gamma):
    """:math:`r + \\gamma (1 - \\text{terminated}) \\max_{a'} Q(s', a')` with ``keras.ops``."""
    from keras import ops

    return rewards + gamma * (1.0 - terminated) * ops.max(next_q_values, axis=1)


def _huber_ops(errors, delta):
    """Element-wise Huber function with ``keras.ops``."""
    from keras import ops

    absolute = ops.abs(errors)
    return ops.where(absolute <= delta, 0.5 * ops.square(errors), delta * (absolute - 0.5 * delta))


def bellman_targets(
    rewards: np.ndarray, next_q_values: np.ndarray, terminated: np.ndarray, gamma: float
) -> np.ndarray:
    """DQN regression targets :math:`y = r + \\gamma (1 - \\text{terminated}) \\max_{a'} Q_{\\text{target}}(s', a')`.

    A transition cut off by a time limit is *not* terminated: its target still
    bootstraps from :math:`s'`.

    Parameters
    ----------
    rewards : array_like
        Rewards, shape ``(n,)``.
    next_q_values : array_like
        Target-network action values of the next states, shape ``(n, action_count)``.
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
        If ``gamma`` is not a number.
    ValueError
        If the shapes disagree, ``terminated`` holds values other than 0 and 1,
        or ``gamma`` is outside [0, 1].
    """
    from keras import ops

    gamma = _require_probability("gamma", gamma)
    rewards = np.asarray(rewards, dtype=np.float32)
    next_q_values = np.asarray(next_q_values, dtype=np.float32)
    terminated_array = np.asarray(terminated)
    if rewards.ndim != 1:
        raise ValueError(f"rewards must have shape (n,), got {rewards.shape}")
    if (
        next_q_values.ndim != 2
        or next_q_values.shape[0] != len(rewards)
        or next_q_values.shape[1] < 1
    ):
        raise ValueError(
            f"next_q_values must have shape ({len(rewards)}, action_count), "
            f"got {next_q_values.shape}"
        )
    if terminated_array.shape != rewards.shape:
        raise ValueError(
            f"terminated must have shape {rewards.shape}, got {terminated_array.shape}"
        )
    if not np.all(np.isin(terminated_array, [0, 1])):
        raise ValueError(f"terminated must hold only 0/1 or False/True, got {terminated_array}")
    targets = _bellman_targets_ops(
        rewards, next_q_values, terminated_array.astype(np.float32), np.float32(gamma)
    )
    return ops.convert_to_numpy(targets).astype(np.float32)


def huber_loss(errors: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """Element-wise Huber loss: :math:`e^2/2` for :math:`|e| \\le \\delta`, else :math:`\\delta(|e| - \\delta/2)`.

    Parameters
    ----------
    errors : array_like
        Temporal-difference errors :math:`y - Q(s, a)`.
    delta : float
        Where the quadratic part turns linear (positive).

    Returns
    -------
    numpy.ndarray
        The loss of each error, same shape as ``errors``, float32.

    Raises
    ------
    TypeError
        If ``delta`` is not a number.
    ValueError
        If ``delta`` is not positive and finite.
    """
    from keras import ops

    if isinstance(delta, bool) or not isinstance(delta, (int, float, np.integer, np.floating)):
        raise TypeError(f"delta must be a positive number, got {type(delta).__name__} {delta!r}")
    if not (math.isfinite(delta) and delta > 0):
        raise ValueError(f"delta must be positive and finite, got {delta}")
    errors = np.asarray(errors, dtype=np.float32)
    return ops.convert_to_numpy(_huber_ops(errors, np.float32(delta))).astype(np.float32)


def dqn_loss(online, target, batch: Transitions, gamma: float, delta: float, double: bool = False):
    """Mean Huber loss between :math:`Q_\\theta(s, a)` and the Bellman targets of ``batch``.

    No gradient flows through the targets (they come from the target network).
    Works eagerly and inside the compiled training step.

    Parameters
    ----------
    online, target : keras.Model
        Online network :math:`Q_\\theta` and target network :math:`Q_{\\theta^-}`.
    batch : Transitions
        A batch of transitions (arrays or tensors).
    gamma : float
        Discount factor.
    delta : float
        Huber threshold.

    Returns
    -------
    tensor
        The scalar loss.
    """
    from keras import ops

    next_q_values = ops.stop_gradient(target(batch.next_observations))
    if double:  # the online network chooses a', the target network evaluates it
        choice = ops.expand_dims(ops.argmax(online(batch.next_observations), axis=1), 1)
        next_q_values = ops.stop_gradient(ops.take_along_axis(next_q_values, choice, axis=1))
    targets = _bellman_targets_ops(batch.rewards, next_q_values, batch.terminated, gamma)
    q_values = online(batch.observations)
    chosen = ops.take_along_axis(q_values, ops.expand_dims(batch.actions, 1), axis=1)[:, 0]
    return ops.mean(_huber_ops(targets - chosen, delta))


# ---------------------------------------------------------------------------
# Networks and the agent
# ---------------------------------------------------------------------------


def build_q_network(
    observation_size: int, action_count: int, hidden_units: Sequence[int], seed: int
):
    """A ReLU multilayer perceptron with one linear output per action: :math:`Q_\\theta(s, \\cdot)`.

    Parameters
    ----------
    observation_size, action_count : int
        Input and output sizes (positive).
    hidden_units : sequence of int
        Width of each hidden layer (positive).
    seed : int
        Seed of the weight initialisers (layer ``i`` uses ``seed + i``).

    Returns
    -------
    keras.Sequential
        The (built) network.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer.
    """
    import keras

    observation_size = _require_int("observation_size", observation_size, 1)
    action_count = _require_int("action_count", action_count, 1)
    widths = [_require_int("hidden_units[i]", width, 1) for width in hidden_units]
    seed = _require_int("seed", seed, 0)
    layers = [keras.Input((observation_size,))]
    for index, width in enumerate(widths):
        layers.append(
            keras.layers.Dense(
                width,
                activation="relu",
                kernel_initializer=keras.initializers.GlorotUniform(seed=seed + index),
            )
        )
    layers.append(
        keras.layers.Dense(
            action_count,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + len(widths)),
        )
    )
    return keras.Sequential(layers)


def numpy_q_values(weights: Sequence[np.ndarray], observations: np.ndarray) -> np.ndarray:
    """Forward pass of :func:`build_q_network` in NumPy (fast for one observation at a time).

    Parameters
    ----------
    weights : sequence of numpy.ndarray
        Kernels and biases in Keras order ``[W1, b1, W2, b2, ...]``.
    observations : numpy.ndarray
        Shape ``(n, observation_size)``.

    Returns
    -------
    numpy.ndarray
        Action values, shape ``(n, action_count)``.

    Raises
    ------
    ValueError
        If there is not an even, non-zero number of weight arrays, or shapes do not chain.
    """
    if len(weights) == 0 or len(weights) % 2:
        raise ValueError(f"weights must be pairs [kernel, bias, ...], got {len(weights)} arrays")
    hidden = np.asarray(observations, dtype=np.float32)
    if hidden.ndim != 2 or hidden.shape[1] != np.shape(weights[0])[0]:
        raise ValueError(
            f"observations must have shape (n, {np.shape(weights[0])[0]}), got {hidden.shape}"
        )
    last = len(weights) // 2 - 1
    for layer in range(last + 1):
        hidden = hidden @ weights[2 * layer] + weights[2 * layer + 1]
        if layer < last:
            hidden = np.maximum(hidden, 0.0)
    return hidden


@dataclass(frozen=True)
class DQNConfig:
    """Hyperparameters of :func:`train_dqn` (the defaults solve CartPole-v1; see chapter 12).

    Attributes
    ----------
    max_steps : int
        Training budget: environment steps taken by the learning agent, i.e.
        transitions added to the replay buffer. Validation episodes are extra.
    hidden_units : tuple of int
        Widths of the hidden layers.
    learning_rate : float
        Adam step size.
    gamma : float
        Discount factor.
    batch_size : int
        Transitions per gradient step.
    buffer_capacity : int
        Replay-buffer size.
    learning_starts : int
        Steps of pure collection before the first gradient step.
    train_every : int
        Environment steps between two calls of the compiled training step.
    gradient_steps : int
        Gradient steps per call, each on its own minibatch.
    epsilon_start, epsilon_end : float
        Exploration rate at the start and after the decay.
    epsilon_decay_steps : int
        Steps of the linear decay of epsilon.
    target_update_every : int
        Environment steps between hard copies of the online weights into the target network.
    huber_delta : float
        Threshold of the Huber loss, in units of return. It must be large next to the
        typical error (CartPole's values reach 100): with a small threshold the loss is
        nearly the absolute error, whose minimiser is a median, and rare failures are ignored.
    max_gradient_norm : float
        Gradients are rescaled so their global norm is at most this.
    validate_every : int
        Environment steps between greedy validation runs.
    solved_return : float
        Mean validation return regarded as solved.
    solved_checks_to_stop : int
        Stop after this many consecutive validation runs at ``solved_return`` or above.
    double_q : bool
        Double DQN targets (van Hasselt et al. 2016): the online network chooses the next
        action, the target network evaluates it. ``False`` gives the original DQN target.
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
        for name in (
            "max_steps",
            "batch_size",
            "buffer_capacity",
            "train_every",
            "gradient_steps",
            "epsilon_decay_steps",
            "target_update_every",
            "validate_every",
            "solved_checks_to_stop",
        ):
            _require_int(name, getattr(self, name), 1)
        _require_int("learning_starts", self.learning_starts, 0)
        if not isinstance(self.double_q, bool):
            raise TypeError(
                f"double_q must be a bool, got {type(self.double_q).__name__} {self.double_q!r}"
            )
        if not self.hidden_units:
            raise ValueError("hidden_units must name at least one layer width, got ()")
        for width in self.hidden_units:
            _require_int("hidden_units[i]", width, 1)
        _require_probability("gamma", self.gamma)
        _require_probability("epsilon_start", self.epsilon_start)
        _require_probability("epsilon_end", self.epsilon_end)
        if self.epsilon_end > self.epsilon_start:
            raise ValueError(
                f"epsilon_end ({self.epsilon_end}) must not exceed epsilon_start "
                f"({self.epsilon_start})"
            )
        for name in ("learning_rate", "huber_delta", "max_gradient_norm", "solved_return"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        if self.learning_starts < self.batch_size:
            raise ValueError(
                f"learning_starts ({self.learning_starts}) must be at least batch_size "
                f"({self.batch_size}) so the first minibatch can be drawn"
            )


class DQNAgent:
    """Online and target Q-networks, Adam, and a compiled training step (chapter 12).

    Parameters
    ----------
    observation_size, action_count : int
        Sizes of the observation vector and of the discrete action set.
    config : DQNConfig
        Hyperparameters (network widths, learning rate, gamma, Huber delta, clipping).
    seed : int
        Seed of the weight initialisers.

    Raises
    ------
    TypeError
        If ``config`` is not a :class:`DQNConfig`.
    """

    def __init__(
        self, observation_size: int, action_count: int, config: DQNConfig, seed: int
    ) -> None:
        import keras
        import tensorflow as tf

        if not isinstance(config, DQNConfig):
            raise TypeError(f"config must be a DQNConfig, got {type(config).__name__}")
        self.config = config
        self.action_count = _require_int("action_count", action_count, 1)
        self.online = build_q_network(observation_size, action_count, config.hidden_units, seed)
        self.target = build_q_network(observation_size, action_count, config.hidden_units, seed)
        self.optimizer = keras.optimizers.Adam(learning_rate=config.learning_rate)
        self.optimizer.build(self.online.trainable_variables)
        # A fixed input signature (minibatches stacked on a leading axis) spares tf.function
        # from matching arguments against its traces at every call.
        stacked = [None, None]
        signature = Transitions(
            tf.TensorSpec(stacked + [observation_size], tf.float32),
            tf.TensorSpec(stacked, tf.int32),
            tf.TensorSpec(stacked, tf.float32),
            tf.TensorSpec(stacked + [observation_size], tf.float32),
            tf.TensorSpec(stacked, tf.float32),
        )
        self._train = tf.function(self._train_steps, input_signature=[signature])
        self.update_target()
        self._numpy_weights = self.online.get_weights()

    def _train_steps(self, batches: Transitions):
        """Run one Adam step per minibatch in ``batches`` (leading axis); compiled by tf.function."""
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
            self.optimizer.apply_gradients(zip(gradients, variables))
            total += loss
        mean_loss = total / tf.cast(tf.shape(batches.rewards)[0], tf.float32)
        return mean_loss, [tf.identity(variable) for variable in self.online.weights]

    def learn(self, batches: Sequence[Transitions]) -> float:
        """Take one gradient step per minibatch, all in one call of the compiled training step.

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
        ValueError
            If ``batches`` is empty or the minibatches differ in size.
        """
        batches = list(batches)
        if not batches:
            raise ValueError("batches must hold at least one minibatch, got none")
        sizes = sorted({len(batch.rewards) for batch in batches})
        if len(sizes) != 1:
            raise ValueError(f"minibatches must have equal sizes, got sizes {sizes}")
        stacked = Transitions(*(np.stack(parts) for parts in zip(*batches)))
        loss, weights = self._train(stacked)
        self._numpy_weights = [weight.numpy() for weight in weights]
        return float(loss)

    def update_target(self) -> None:
        """Copy the online weights into the target network (a hard update)."""
        for target_weight, online_weight in zip(self.target.weights, self.online.weights):
            target_weight.assign(online_weight)

    def get_weights(self) -> list[np.ndarray]:
        """A copy of the online network's weights."""
        return [weight.copy() for weight in self._numpy_weights]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Load weights into the online and target networks."""
        self.online.set_weights(list(weights))
        self.update_target()
        self._numpy_weights = self.online.get_weights()

    def q_values(self, observations: np.ndarray) -> np.ndarray:
        """Action values of a batch of observations (NumPy forward pass of the online network)."""
        return numpy_q_values(self._numpy_weights, observations)

    def greedy_policy(self, observations: np.ndarray) -> np.ndarray:
        """The greedy action :math:`\\arg\\max_a Q_\\theta(s, a)` of each observation."""
        return np.argmax(self.q_values(observations), axis=1)


# ---------------------------------------------------------------------------
# Policies and evaluation
# ---------------------------------------------------------------------------


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
        ``policy(observations) -> actions``.

    Raises
    ------
    TypeError, ValueError
        If ``action_count`` is not a positive int or ``rng`` is not a generator.
    """
    action_count = _require_int("action_count", action_count, 1)
    rng = _require_rng(rng)
    return lambda observations: rng.integers(0, action_count, size=len(observations))


def lean_policy(observations: np.ndarray, velocity_gain: float = 0.0) -> np.ndarray:
    """CartPole rule of thumb: push the cart towards the side the pole leans (or falls) to.

    The rule pushes right when :math:`\\theta + k\\,\\dot\\theta > 0`: with :math:`k = 0` it
    follows the lean only; a positive gain :math:`k` also reacts to the pole's angular
    velocity (a proportional-derivative controller).

    Parameters
    ----------
    observations : numpy.ndarray
        CartPole observations ``[x, x_dot, theta, theta_dot]``, shape ``(n, 4)``.
    velocity_gain : float, default 0.0
        The gain :math:`k` (seconds), non-negative.

    Returns
    -------
    numpy.ndarray
        1 (push right) where :math:`\\theta + k\\,\\dot\\theta > 0`, else 0 (push left).

    Raises
    ------
    ValueError
        If ``observations`` does not have shape ``(n, 4)`` or the gain is negative.
    """
    observations = np.asarray(observations)
    if observations.ndim != 2 or observations.shape[1] != 4:
        raise ValueError(f"observations must have shape (n, 4), got {observations.shape}")
    if not (
        isinstance(velocity_gain, (int, float, np.integer, np.floating)) and velocity_gain >= 0
    ):
        raise ValueError(f"velocity_gain must be a non-negative number, got {velocity_gain!r}")
    return (observations[:, 2] + velocity_gain * observations[:, 3] > 0).astype(np.int64)


@dataclass(frozen=True)
class EvaluationResult:
    """Returns and lengths of evaluation episodes, one per seed."""

    returns: np.ndarray
    lengths: np.ndarray

    @property
    def mean_return(self) -> float:
        """Mean undiscounted return over the episodes."""
        return float(np.mean(self.returns))

    @property
    def total_steps(self) -> int:
        """Environment steps the evaluation took."""
        return int(np.sum(self.lengths))


def _validate_seeds(seeds: Sequence[int]) -> list[int]:
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must name at least one episode seed, got none")
    for seed in seeds:
        _require_int("each seed", seed, 0)
    if len(set(seeds)) != len(seeds):
        raise ValueError(
            f"seeds must be distinct, got {len(seeds) - len(set(seeds))} duplicate(s)"
        )
    return [int(seed) for seed in seeds]


def _make_env(env_id: str, max_episode_steps: int | None = None, **kwargs):
    """``gymnasium.make``, with the environment's own time limit unless one is given."""
    import gymnasium as gym

    if max_episode_steps is None:
        return gym.make(env_id, **kwargs)
    return gym.make(
        env_id, max_episode_steps=_require_int("max_episode_steps", max_episode_steps, 1), **kwargs
    )


def evaluate_policy(
    policy: Policy,
    seeds: Sequence[int],
    env_id: str = "CartPole-v1",
    max_episode_steps: int | None = None,
) -> EvaluationResult:
    """Run one episode per seed with ``policy``, all episodes side by side.

    Parameters
    ----------
    policy : callable
        Maps observations ``(n, observation_size)`` to ``n`` actions.
    seeds : sequence of int
        Distinct, non-negative ``env.reset`` seeds, one per episode.
    env_id : str
        A gymnasium environment with a discrete action space.
    max_episode_steps : int, optional
        Override the environment's time limit.

    Returns
    -------
    EvaluationResult
        Return and length of each episode, in the order of ``seeds``.

    Raises
    ------
    TypeError
        If ``policy`` is not callable or a seed is not an int.
    ValueError
        If ``seeds`` is empty, has duplicates or negative values, or the policy
        returns the wrong number of actions.
    """
    if not callable(policy):
        raise TypeError(f"policy must be callable, got {type(policy).__name__}")
    seeds = _validate_seeds(seeds)
    envs = [_make_env(env_id, max_episode_steps) for _ in seeds]
    observations = np.stack([env.reset(seed=seed)[0] for env, seed in zip(envs, seeds)])
    returns = np.zeros(len(seeds))
    lengths = np.zeros(len(seeds), dtype=np.int64)
    running = np.ones(len(seeds), dtype=bool)
    while running.any():
        active = np.flatnonzero(running)
        actions = np.asarray(policy(observations[active]))
        if actions.shape != (len(active),):
            raise ValueError(
                f"policy must return {len(active)} actions, got shape {actions.shape}"
            )
        for index, action in zip(active, actions):
            observation, reward, terminated, truncated, _ = envs[index].step(int(action))
            observations[index] = observation
            returns[index] += reward
            lengths[index] += 1
            running[index] = not (terminated or truncated)
    for env in envs:
        env.close()
    return EvaluationResult(returns=returns, lengths=lengths)


def record_frames(
    policy: Policy, seed: int, frame_steps: Sequence[int], env_id: str = "CartPole-v1"
) -> tuple[list[np.ndarray], int]:
    """Pictures (``render_mode="rgb_array"``) of one episode at the chosen steps.

    Parameters
    ----------
    policy : callable
        Maps observations ``(1, observation_size)`` to one action.
    seed : int
        ``env.reset`` seed of the episode.
    frame_steps : sequence of int
        Steps (0 = the initial state) whose frames to keep; steps after the end
        of the episode are skipped.
    env_id : str
        A gymnasium environment that supports ``rgb_array`` rendering.

    Returns
    -------
    frames : list of numpy.ndarray
        One RGB image ``(height, width, 3)`` per kept step.
    length : int
        Length of the episode.

    Raises
    ------
    ValueError
        If ``frame_steps`` is empty or holds a negative step.
    """
    seed = _require_int("seed", seed, 0)
    wanted = sorted({_require_int("each frame step", step, 0) for step in frame_steps})
    if not wanted:
        raise ValueError("frame_steps must name at least one step, got none")
    env = _make_env(env_id, render_mode="rgb_array")
    observation, _ = env.reset(seed=seed)
    frames, step, done = [], 0, False
    while not done and step <= wanted[-1]:
        if step in wanted:
            frames.append(env.render())
        action = int(np.asarray(policy(observation[None, :]))[0])
        observation, _, terminated, truncated, _ = env.step(action)
        done = terminated or truncated
        step += 1
    if not done and step in wanted:
        frames.append(env.render())
    while not done:
        action = int(np.asarray(policy(observation[None, :]))[0])
        observation, _, terminated, truncated, _ = env.step(action)
        done = terminated or truncated
        step += 1
    env.close()
    return frames, step


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


@dataclass
class TrainingResult:
    """What :func:`train_dqn` returns: the agent (with the best weights) and its history."""

    agent: DQNAgent
    buffer: ReplayBuffer
    training_steps: int
    validation_steps: int
    episode_returns: np.ndarray
    episode_end_steps: np.ndarray
    validation_at_steps: np.ndarray
    validation_returns: np.ndarray
    best_step: int
    best_validation_return: float
    stopped_early: bool
    training_reset_seed: int
    wall_seconds: float
    losses: list[float] = field(default_factory=list)


def train_dqn(
    config: DQNConfig,
    *,
    seed: int,
    validation_seeds: Sequence[int],
    env_id: str = "CartPole-v1",
    log: Callable[[str], None] | None = print,
    max_episode_steps: int | None = None,
) -> TrainingResult:
    """Train a DQN agent, validating it greedily every ``config.validate_every`` steps.

    The weights with the best mean validation return are kept (model selection on
    validation episodes); training stops early after ``config.solved_checks_to_stop``
    consecutive validation runs at ``config.solved_return`` or above.

    Parameters
    ----------
    config : DQNConfig
        Hyperparameters; ``config.max_steps`` is the training budget in environment steps.
    seed : int
        Seeds the network initialisation, exploration, minibatch sampling and the
        training environment's first reset.
    validation_seeds : sequence of int
        Distinct ``env.reset`` seeds of the validation episodes (keep them apart from
        the seeds of the final test).
    env_id : str
        A gymnasium environment with a vector observation and discrete actions.
    log : callable or None
        Receives one progress line per validation run; ``None`` for silence.
    max_episode_steps : int, optional
        Override the environment's time limit, in training and validation (used by the tests).

    Returns
    -------
    TrainingResult
        The agent holding the best validated weights, and the training history.

    Raises
    ------
    TypeError
        If ``config`` is not a :class:`DQNConfig` or ``seed`` is not an int.
    ValueError
        If ``seed`` is negative or ``validation_seeds`` is empty or has duplicates.
    """
    if not isinstance(config, DQNConfig):
        raise TypeError(f"config must be a DQNConfig, got {type(config).__name__}")
    seed = _require_int("seed", seed, 0)
    validation_seeds = _validate_seeds(validation_seeds)
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    env = _make_env(env_id, max_episode_steps)
    observation_size, action_count = env.observation_space.shape[0], int(env.action_space.n)
    agent = DQNAgent(observation_size, action_count, config, seed)
    buffer = ReplayBuffer(config.buffer_capacity, observation_size)
    reset_seed = int(rng.integers(2**31))
    observation, _ = env.reset(seed=reset_seed)
    episode_return, episode_returns, episode_end_steps, losses = 0.0, [], [], []
    validation_at, validation_returns, validation_steps = [], [], 0
    best_weights, best_return, best_step, solved_streak = agent.get_weights(), -np.inf, 0, 0
    step = 0
    while step < config.max_steps:
        epsilon = epsilon_schedule(
            step, config.epsilon_start, config.epsilon_end, config.epsilon_decay_steps
        )
        action = int(epsilon_greedy_actions(agent.q_values(observation[None, :]), epsilon, rng)[0])
        next_observation, reward, terminated, truncated, _ = env.step(action)
        buffer.add(observation, action, float(reward), next_observation, bool(terminated))
        step += 1
        episode_return += float(reward)
        observation = next_observation
        if terminated or truncated:
            episode_returns.append(episode_return)
            episode_end_steps.append(step)
            episode_return = 0.0
            observation, _ = env.reset()
        if step >= config.learning_starts and step % config.train_every == 0:
            batches = [buffer.sample(config.batch_size, rng) for _ in range(config.gradient_steps)]
            losses.append(agent.learn(batches))
        if step % config.target_update_every == 0:
            agent.update_target()
        if step % config.validate_every == 0:
            result = evaluate_policy(
                agent.greedy_policy, validation_seeds, env_id, max_episode_steps
            )
            validation_steps += result.total_steps
            validation_at.append(step)
            validation_returns.append(result.mean_return)
            if result.mean_return > best_return:
                best_weights, best_return, best_step = (
                    agent.get_weights(),
                    result.mean_return,
                    step,
                )
            solved_streak = solved_streak + 1 if result.mean_return >= config.solved_return else 0
            if log is not None:
                recent = np.mean(episode_returns[-20:]) if episode_returns else float("nan")
                log(
                    f"step {step:>6,} | episodes {len(episode_returns):>4} | "
                    f"training return (last 20) {recent:6.1f} | epsilon {epsilon:.3f} | "
                    f"loss {np.mean(losses[-50:]) if losses else float('nan'):.4f} | "
                    f"validation return {result.mean_return:6.1f} | "
                    f"{time.perf_counter() - started:5.1f} s"
                )
            if solved_streak >= config.solved_checks_to_stop:
                break
    env.close()
    agent.set_weights(best_weights)
    return TrainingResult(
        agent=agent,
        buffer=buffer,
        training_steps=step,
        validation_steps=validation_steps,
        episode_returns=np.asarray(episode_returns),
        episode_end_steps=np.asarray(episode_end_steps),
        validation_at_steps=np.asarray(validation_at),
        validation_returns=np.asarray(validation_returns),
        best_step=best_step,
        best_validation_return=float(best_return),
        stopped_early=solved_streak >= config.solved_checks_to_stop,
        training_reset_seed=reset_seed,
        wall_seconds=time.perf_counter() - started,
        losses=losses,
    )
