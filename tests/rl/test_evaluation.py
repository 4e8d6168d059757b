"""Tests of dlbigdata.rl.evaluation: seeded evaluation episodes and recorded frames."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from dlbigdata.rl import evaluate_policy, lean_policy, record_frames


def test_evaluate_policy_is_deterministic_per_seed():
    first = evaluate_policy(lean_policy, [3, 1, 2])
    again = evaluate_policy(lean_policy, np.array([3, 1, 2]))
    single = evaluate_policy(lean_policy, (np.int64(1),))
    assert_array_equal(first.returns, again.returns)
    assert first.returns[1] == single.returns[0], "episodes must not depend on their neighbours"
    assert_array_equal(first.returns, first.lengths)  # CartPole pays 1 per step
    assert first.total_steps == int(first.lengths.sum())
    assert first.mean_return == pytest.approx(first.returns.mean())


def test_evaluate_policy_honours_the_time_limit():
    assert evaluate_policy(lean_policy, [0, 1], max_episode_steps=5).lengths.tolist() == [5, 5]


@pytest.mark.hostile("bad_input")
def test_evaluate_policy_rejects_bad_input():
    with pytest.raises(ValueError, match=r"seeds must name at least one episode seed"):
        evaluate_policy(lean_policy, [])
    with pytest.raises(ValueError, match=r"seeds must be distinct, got \[1\] more than once"):
        evaluate_policy(lean_policy, [1, 1])
    with pytest.raises(ValueError, match=r"seeds\[0\] must be an integer >= 0, got -3"):
        evaluate_policy(lean_policy, [-3])
    with pytest.raises(TypeError, match=r"policy must be callable, got int: 3"):
        evaluate_policy(3, [1])
    with pytest.raises(ValueError, match=r"policy must return 2 actions, got shape \(1,\)"):
        evaluate_policy(lambda observations: np.zeros(1, dtype=int), [1, 2])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "seeds, error, message",
    [
        (5, TypeError, "seeds must be a list of integers, got int: 5"),
        ("12", TypeError, "seeds must be a list of integers, got str: '12'"),
        ([True], TypeError, r"seeds\[0\] must be an integer, got bool: True"),
        ([1.0], TypeError, r"seeds\[0\] must be an integer, got float: 1.0"),
        ([2**32], ValueError, r"seeds\[0\] must be an integer <= 4294967295"),
        (np.zeros((1, 1), dtype=int), ValueError, "seeds must be one-dimensional"),
    ],
)
def test_evaluate_policy_rejects_bad_seeds(seeds, error, message):
    with pytest.raises(error, match=message):
        evaluate_policy(lean_policy, seeds)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "policy, error, message",
    [
        (lambda obs: np.full(len(obs), 0.7), TypeError, "the policy's actions must be integer"),
        (lambda obs: np.full(len(obs), 2), ValueError, r"actions in \[0, 2\), got np.int64\(2\)"),
        (lambda obs: np.full(len(obs), -1), ValueError, r"actions in \[0, 2\), got np.int64\(-1"),
    ],
)
def test_evaluate_policy_refuses_actions_the_environment_does_not_have(policy, error, message):
    with pytest.raises(error, match=message):
        evaluate_policy(policy, [1, 2])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"max_episode_steps": 0}, ValueError, "max_episode_steps must be an integer >= 1, got 0"),
        ({"max_episode_steps": True}, TypeError, "max_episode_steps must be an integer, got bool"),
        ({"env_id": ""}, ValueError, "env_id must be a non-empty string, got ''"),
        ({"env_id": 1}, TypeError, "env_id must be a string, got int: 1"),
        ({"env_id": "Pendulum-v1"}, ValueError, "env_id must name an environment with discrete"),
    ],
)
def test_evaluate_policy_rejects_bad_environments(kwargs, error, message):
    with pytest.raises(error, match=message):
        evaluate_policy(lean_policy, [1], **kwargs)


def test_record_frames_returns_rgb_images():
    frames, length = record_frames(lean_policy, seed=0, frame_steps=[0, 5, 10_000])
    assert len(frames) == 2, "a step after the end of the episode yields no frame"
    assert frames[0].ndim == 3 and frames[0].shape[2] == 3 and frames[0].dtype == np.uint8
    assert length == evaluate_policy(lean_policy, [0]).lengths[0]
    with pytest.raises(ValueError, match=r"frame_steps must name at least one step"):
        record_frames(lean_policy, seed=0, frame_steps=[])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"frame_steps": [0, -5]}, ValueError, r"frame_steps\[1\] must be an integer >= 0"),
        (
            {"frame_steps": [5, 0]},
            ValueError,
            "frame_steps must be strictly increasing.*0 after 5",
        ),
        (
            {"frame_steps": [3, 3]},
            ValueError,
            "frame_steps must be strictly increasing.*3 after 3",
        ),
        ({"frame_steps": 5}, TypeError, "frame_steps must be a list of integers, got int: 5"),
        ({"frame_steps": [0.0]}, TypeError, r"frame_steps\[0\] must be an integer, got float"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0, got -1"),
        ({"seed": 0.5}, TypeError, "seed must be an integer, got float: 0.5"),
        ({"policy": None}, TypeError, "policy must be callable, got NoneType: None"),
        (
            {"policy": lambda obs: np.array([3])},
            ValueError,
            r"the policy's actions must hold actions in \[0, 2\), got np.int64\(3\)",
        ),
    ],
)
def test_record_frames_rejects_bad_input(kwargs, error, message):
    arguments = {"policy": lean_policy, "seed": 0, "frame_steps": [0, 1]}
    with pytest.raises(error, match=message):
        record_frames(**{**arguments, **kwargs})
