"""Gymnasium plumbing shared by evaluation and training (private)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation import require_int, require_string
from dlbigdata.rl._checks import require_actions

__all__ = [
    "action_count_of",
    "make_env",
    "observation_size_of",
    "policy_actions",
    "require_episode_steps",
]


def require_episode_steps(max_episode_steps: Any) -> int | None:
    """``max_episode_steps``: ``None`` (the environment's own limit) or a positive int."""
    if max_episode_steps is None:
        return None
    return require_int("max_episode_steps", max_episode_steps, minimum=1)


def make_env(env_id: str, max_episode_steps: int | None = None, **kwargs: Any):
    """``gymnasium.make``, with the environment's own time limit unless one is given."""
    import gymnasium as gym

    env_id = require_string("env_id", env_id)
    max_episode_steps = require_episode_steps(max_episode_steps)
    if max_episode_steps is None:
        return gym.make(env_id, **kwargs)
    return gym.make(env_id, max_episode_steps=max_episode_steps, **kwargs)


def action_count_of(env: Any, env_id: str) -> int:
    """Number of actions of an environment whose actions are ``0, 1, ..., n - 1``."""
    from gymnasium.spaces import Discrete

    space = env.action_space
    if not isinstance(space, Discrete) or int(space.start) != 0:
        raise ValueError(
            f"env_id must name an environment with discrete actions 0..n-1, "
            f"got {env_id!r} with action space {space}"
        )
    return int(space.n)


def policy_actions(policy: Any, observations: np.ndarray, action_count: int) -> np.ndarray:
    """The policy's actions for ``observations``: one integer in ``[0, action_count)`` per row."""
    actions = np.asarray(policy(observations))
    if actions.shape != (len(observations),):
        raise ValueError(
            f"policy must return {len(observations)} actions, got shape {actions.shape}"
        )
    return require_actions("the policy's actions", actions, len(observations), action_count)


def observation_size_of(env: Any, env_id: str) -> int:
    """Length of the observation vector of an environment with one-dimensional observations."""
    shape = getattr(env.observation_space, "shape", None)
    if shape is None or len(shape) != 1:
        raise ValueError(
            f"env_id must name an environment with vector observations, "
            f"got {env_id!r} with observation space {env.observation_space}"
        )
    return int(shape[0])
