"""Experience replay: :class:`Transitions` and the ring buffer :class:`ReplayBuffer`."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlbigdata._validation import (
    require_bool,
    require_finite_array,
    require_float32,
    require_generator,
    require_int,
    require_number,
)
from dlbigdata.rl._checks import action_limit

__all__ = ["ReplayBuffer", "Transitions"]


class Transitions(NamedTuple):
    """A batch of transitions :math:`(s, a, r, s', \\text{terminated})`, one row per transition.

    Used in chapter 12.
    """

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_observations: np.ndarray
    terminated: np.ndarray


class ReplayBuffer:
    """Fixed-size memory of transitions in preallocated NumPy arrays.

    When full, each new transition overwrites the oldest one (a ring buffer).
    Only ``terminated`` is stored, never ``truncated``: a time limit ends an
    episode but not the task, so the learner must still bootstrap from ``s'``.
    Observations and rewards are stored as float32, actions as int32.

    Parameters
    ----------
    capacity : int
        Largest number of transitions kept (positive).
    observation_size : int
        Length of one observation vector (positive).
    action_count : int, optional
        Number of discrete actions; when given, :meth:`add` refuses an action outside
        ``[0, action_count)``. Without it, any action that fits an int32 is accepted.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is not positive.

    Used in chapter 12.
    """

    def __init__(
        self, capacity: int, observation_size: int, *, action_count: int | None = None
    ) -> None:
        self._capacity = require_int("capacity", capacity, minimum=1)
        self._observation_size = require_int("observation_size", observation_size, minimum=1)
        self._action_count = (
            None if action_count is None else require_int("action_count", action_count, minimum=1)
        )
        shape = (self._capacity, self._observation_size)
        self._observations = np.zeros(shape, dtype=np.float32)
        self._next_observations = np.zeros(shape, dtype=np.float32)
        self._actions = np.zeros(self._capacity, dtype=np.int32)
        self._rewards = np.zeros(self._capacity, dtype=np.float32)
        self._terminated = np.zeros(self._capacity, dtype=np.float32)
        self._next_index = 0
        self._size = 0

    @property
    def capacity(self) -> int:
        """Largest number of transitions kept."""
        return self._capacity

    @property
    def observation_size(self) -> int:
        """Length of one observation vector."""
        return self._observation_size

    @property
    def action_count(self) -> int | None:
        """Number of discrete actions, if the buffer was told (else ``None``)."""
        return self._action_count

    def __len__(self) -> int:
        return self._size

    def _checked(
        self, observation: Any, action: Any, reward: Any, next_observation: Any, terminated: Any
    ) -> tuple[np.ndarray, int, float, np.ndarray, bool]:
        """Every field of one transition, validated and converted; nothing is stored."""
        shape = (self._observation_size,)
        observation = require_finite_array("observation", observation, shape)
        next_observation = require_finite_array("next_observation", next_observation, shape)
        action = require_int(
            "action", action, minimum=0, maximum=action_limit(self._action_count) - 1
        )
        reward = require_float32("reward", require_number("reward", reward))
        terminated = require_bool("terminated", terminated)
        return observation, action, reward, next_observation, terminated

    def add(
        self,
        observation: np.ndarray,
        action: int,
        reward: float,
        next_observation: np.ndarray,
        terminated: bool,
    ) -> None:
        """Store one transition, overwriting the oldest one when the buffer is full.

        Every field is checked before anything is written: a rejected transition leaves
        the buffer exactly as it was.

        Parameters
        ----------
        observation, next_observation : numpy.ndarray
            The states before and after the action, shape ``(observation_size,)``.
        action : int
            The action taken (non-negative, below ``action_count`` when the buffer has one).
        reward : float
            The reward received (finite, small enough for a float32).
        terminated : bool
            Whether ``next_observation`` is a terminal state of the task (not a time limit).

        Raises
        ------
        TypeError
            If ``action`` is not an integer, ``terminated`` is not a bool, ``reward`` is not
            a number or an observation does not hold real numbers.
        ValueError
            If an observation has the wrong shape, is not finite or overflows float32, the
            action is out of range, or the reward is not finite or overflows float32.
        """
        fields = self._checked(observation, action, reward, next_observation, terminated)
        observation, action, reward, next_observation, terminated = fields
        index = self._next_index
        self._observations[index] = observation
        self._actions[index] = action
        self._rewards[index] = reward
        self._next_observations[index] = next_observation
        self._terminated[index] = float(terminated)
        self._next_index = (index + 1) % self._capacity
        self._size = min(self._size + 1, self._capacity)

    def _rows(self, indices: np.ndarray) -> Transitions:
        """Copies of the stored transitions at ``indices``."""
        return Transitions(
            self._observations[indices],
            self._actions[indices],
            self._rewards[indices],
            self._next_observations[indices],
            self._terminated[indices],
        )

    def contents(self) -> Transitions:
        """Every stored transition, oldest first (copies).

        Returns
        -------
        Transitions
            Arrays with ``len(self)`` rows, in the order the transitions were added
            (after an overwrite, the oldest surviving transition comes first).
        """
        start = self._next_index if self._size == self._capacity else 0
        return self._rows((start + np.arange(self._size)) % self._capacity)

    def sample(self, batch_size: int, rng: np.random.Generator) -> Transitions:
        """Draw ``batch_size`` stored transitions uniformly at random, with replacement.

        Parameters
        ----------
        batch_size : int
            Number of transitions (positive). It may exceed ``len(self)``: the draws are
            independent, so a small buffer simply repeats transitions.
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
        batch_size = require_int("batch_size", batch_size, minimum=1)
        rng = require_generator("rng", rng)
        if self._size == 0:
            raise ValueError("cannot sample from an empty replay buffer; add transitions first")
        return self._rows(rng.integers(0, self._size, size=batch_size))
