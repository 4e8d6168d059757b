"""Tests of dlbigdata.rl.policies: the random baseline and the CartPole lean rule."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from dlbigdata.rl import lean_policy, random_policy


@pytest.mark.hostile("bad_input")
def test_lean_policy_pushes_towards_the_lean():
    observations = np.array([[0, 0, 0.1, 0], [0, 0, -0.1, 0], [5, 5, 0.0, 1]])
    assert_array_equal(lean_policy(observations), [1, 0, 0])
    # With a velocity gain the rule also reacts to how fast the pole falls.
    assert_array_equal(lean_policy(observations, velocity_gain=0.5), [1, 0, 1])
    with pytest.raises(ValueError, match=r"observations must have shape \(n, 4\), got \(3,\)"):
        lean_policy(np.zeros(3))
    with pytest.raises(ValueError, match=r"velocity_gain must be a finite number >= 0, got -1"):
        lean_policy(observations, velocity_gain=-1)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    "observations, gain, error, message",
    [
        (np.zeros((1, 4)), float("nan"), ValueError, "velocity_gain must be .*, got nan"),
        (np.zeros((1, 4)), float("inf"), ValueError, "velocity_gain must be .*, got inf"),
        (np.array([[0, 0, np.nan, 0]]), 0.0, ValueError, "observations must be finite, got np"),
        (np.zeros((1, 4)), True, TypeError, "velocity_gain must be a number, got bool: True"),
        (np.zeros((1, 4)), "0.5", TypeError, "velocity_gain must be a number, got str: '0.5'"),
    ],
)
def test_lean_policy_refuses_nan_gains_and_observations(observations, gain, error, message):
    with pytest.raises(error, match=message):
        lean_policy(observations, velocity_gain=gain)


@pytest.mark.hostile("bad_input")
def test_random_policy_draws_valid_actions():
    actions = random_policy(3, np.random.default_rng(0))(np.zeros((3000, 4)))
    assert set(np.unique(actions)) == {0, 1, 2}
    with pytest.raises(ValueError, match=r"action_count must be an integer >= 1, got 0"):
        random_policy(0, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"action_count must be an integer, got bool: True"):
        random_policy(True, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got int: 0"):
        random_policy(2, 0)
