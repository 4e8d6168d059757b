"""Evaluation on seeded episodes: :func:`evaluate_policy`, :func:`record_frames`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from dlbigdata._validation import (
    require_callable,
    require_int,
    require_int_sequence,
    require_seed,
    require_seeds,
)
from dlbigdata.rl._env import action_count_of, make_env, policy_actions, require_episode_steps
from dlbigdata.rl.policies import Policy

__all__ = ["EvaluationResult", "evaluate_policy", "record_frames"]


@dataclass(frozen=True)
class EvaluationResult:
    """Returns and lengths of evaluation episodes, one per seed.

    Used in chapter 12.
    """

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


def _run_episodes(envs: list, seeds: list[int], policy: Policy, env_id: str) -> EvaluationResult:
    """Play one episode per environment, side by side, until every one has ended."""
    action_count = action_count_of(envs[0], env_id)
    observations = np.stack(
        [env.reset(seed=seed)[0] for env, seed in zip(envs, seeds, strict=True)]
    )
    returns = np.zeros(len(seeds))
    lengths = np.zeros(len(seeds), dtype=np.int64)
    running = np.ones(len(seeds), dtype=bool)
    while running.any():
        active = np.flatnonzero(running)
        actions = policy_actions(policy, observations[active], action_count)
        for index, action in zip(active, actions, strict=True):
            observation, reward, terminated, truncated, _ = envs[index].step(int(action))
            observations[index] = observation
            returns[index] += reward
            lengths[index] += 1
            running[index] = not (terminated or truncated)
    return EvaluationResult(returns=returns, lengths=lengths)


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
        Maps observations ``(n, observation_size)`` to ``n`` integer actions.
    seeds : sequence of int
        Distinct ``env.reset`` seeds in ``[0, 2**32)``, one per episode (at least one).
    env_id : str
        A gymnasium environment with discrete actions ``0..n-1``.
    max_episode_steps : int, optional
        Override the environment's time limit (positive).

    Returns
    -------
    EvaluationResult
        Return and length of each episode, in the order of ``seeds``.

    Raises
    ------
    TypeError
        If ``policy`` is not callable, ``seeds`` is not a sequence of ints, or the policy
        returns actions that are not integers.
    ValueError
        If ``seeds`` is empty, has duplicates or values out of range, the environment's
        actions are not discrete, or the policy returns the wrong number of actions or an
        action out of range.

    Used in chapter 12.
    """
    policy = require_callable("policy", policy)
    seeds = require_seeds("seeds", seeds)
    max_episode_steps = require_episode_steps(max_episode_steps)
    envs = [make_env(env_id, max_episode_steps)]
    try:
        envs += [make_env(env_id, max_episode_steps) for _ in seeds[1:]]
        return _run_episodes(envs, seeds, policy, env_id)
    finally:
        for env in envs:
            env.close()


def _require_frame_steps(frame_steps: Any) -> list[int]:
    """Steps to picture: at least one, non-negative, strictly increasing."""
    steps = require_int_sequence("frame_steps", frame_steps)
    if not steps:
        raise ValueError("frame_steps must name at least one step, got none")
    steps = [require_int(f"frame_steps[{i}]", step, minimum=0) for i, step in enumerate(steps)]
    for earlier, later in pairwise(steps):
        if later <= earlier:
            raise ValueError(
                f"frame_steps must be strictly increasing (one frame per step, in order), "
                f"got {later} after {earlier}"
            )
    return steps


def record_frames(
    policy: Policy, seed: int, frame_steps: Sequence[int], env_id: str = "CartPole-v1"
) -> tuple[list[np.ndarray], int]:
    """Pictures (``render_mode="rgb_array"``) of one episode at the chosen steps.

    Parameters
    ----------
    policy : callable
        Maps observations ``(1, observation_size)`` to one integer action.
    seed : int
        ``env.reset`` seed of the episode, in ``[0, 2**32)``.
    frame_steps : sequence of int
        Strictly increasing steps (0 = the initial state) whose frames to keep; steps
        after the end of the episode are skipped, so the frames match the first steps.
    env_id : str
        A gymnasium environment with discrete actions that supports ``rgb_array`` rendering.

    Returns
    -------
    frames : list of numpy.ndarray
        One RGB image ``(height, width, 3)`` per kept step.
    length : int
        Length of the episode.

    Raises
    ------
    TypeError
        If ``policy`` is not callable, ``seed`` is not an int or ``frame_steps`` is not a
        sequence of ints.
    ValueError
        If ``frame_steps`` is empty, holds a negative step or is not strictly increasing,
        or the policy returns an action out of range.

    Used in chapter 12.
    """
    policy = require_callable("policy", policy)
    seed = require_seed("seed", seed)
    wanted = set(_require_frame_steps(frame_steps))
    env = make_env(env_id, render_mode="rgb_array")
    try:
        action_count = action_count_of(env, env_id)
        observation, _ = env.reset(seed=seed)
        frames, step, done = [], 0, False
        while not done:
            if step in wanted:
                frames.append(env.render())
            action = int(policy_actions(policy, observation[None, :], action_count)[0])
            observation, _, terminated, truncated, _ = env.step(action)
            done = terminated or truncated
            step += 1
    finally:
        env.close()
    return frames, step
