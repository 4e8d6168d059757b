"""Tests of dlbigdata.rl.exploration: the epsilon schedule and epsilon-greedy actions."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.rl import epsilon_greedy_actions, epsilon_schedule


def test_epsilon_schedule_endpoints_and_midpoint():
    assert epsilon_schedule(0, 1.0, 0.05, 10_000) == 1.0
    assert_allclose(epsilon_schedule(5_000, 1.0, 0.05, 10_000), 0.525)
    assert_allclose(epsilon_schedule(10_000, 1.0, 0.05, 10_000), 0.05)
    assert_allclose(epsilon_schedule(59_999, 1.0, 0.05, 10_000), 0.05)
    assert isinstance(epsilon_schedule(3), float)


def test_epsilon_schedule_is_monotone_and_bounded():
    values = epsilon_schedule(np.arange(0, 30_000, 7), 0.9, 0.1, 12_000)
    assert values.shape == (len(np.arange(0, 30_000, 7)),)
    assert np.all(np.diff(values) <= 0)
    assert values.max() == pytest.approx(0.9) and values.min() == pytest.approx(0.1)


def test_epsilon_schedule_constant_when_start_equals_end():
    assert_allclose(epsilon_schedule(np.arange(5), 0.2, 0.2, 3), np.full(5, 0.2))


def test_epsilon_schedule_accepts_numpy_integers():
    assert epsilon_schedule(np.int64(5_000), np.float32(1.0), 0.05, np.int32(10_000)) == (
        pytest.approx(0.525)
    )


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"step": -1}, ValueError, "step must be non-negative, got -1"),
        ({"step": np.array([3, -2])}, ValueError, r"step must be non-negative, got array\("),
        ({"step": 1.5}, TypeError, "step must be an int or an array of ints"),
        ({"step": True}, TypeError, "step must be an int or an array of ints, got bool True"),
        ({"step": "3"}, TypeError, "step must be an int or an array of ints, got <U1 '3'"),
        (
            {"step": 1, "start": 0.1, "end": 0.5},
            ValueError,
            r"end \(0.5\) must not exceed start \(0.1\)",
        ),
        ({"step": 1, "start": 1.5}, ValueError, r"start must be a finite number .*, got 1.5"),
        ({"step": 1, "decay_steps": 0}, ValueError, "decay_steps must be an integer >= 1, got 0"),
        ({"step": 1, "decay_steps": 1e4}, TypeError, "decay_steps must be an integer, got float"),
    ],
)
def test_epsilon_schedule_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        epsilon_schedule(**kwargs)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"step": float("nan")}, TypeError, "step must be an int or an array of ints, got float"),
        ({"step": np.array([1.0, np.inf])}, TypeError, "step must be an int or an array of ints"),
        ({"step": 1, "start": float("nan")}, ValueError, "start must be a finite number.*nan"),
        ({"step": 1, "end": float("nan")}, ValueError, "end must be a finite number.*nan"),
        ({"step": 1, "end": -np.inf}, ValueError, "end must be a finite number.*-inf"),
        ({"step": 1, "decay_steps": float("inf")}, TypeError, "decay_steps must be an integer"),
    ],
)
def test_epsilon_schedule_refuses_nan_and_infinite_parameters(kwargs, error, message):
    with pytest.raises(error, match=message):
        epsilon_schedule(**kwargs)


def test_epsilon_greedy_actions():
    q_values = np.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.6]] * 1000)
    greedy = epsilon_greedy_actions(q_values, 0.0, np.random.default_rng(0))
    assert_array_equal(greedy, np.tile([1, 0, 1], 1000))
    random_actions = epsilon_greedy_actions(q_values, 1.0, np.random.default_rng(0))
    assert 0.45 < random_actions.mean() < 0.55
    half = epsilon_greedy_actions(q_values, 0.5, np.random.default_rng(0))
    assert 0.70 < np.mean(half == greedy) < 0.80  # greedy half + half of the random half
    with pytest.raises(
        ValueError, match=r"q_values must have shape \(n, action_count\), got \(3,\)"
    ):
        epsilon_greedy_actions(np.zeros(3), 0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"epsilon must be a finite number .*, got -0.1"):
        epsilon_greedy_actions(q_values, -0.1, np.random.default_rng(0))


def test_epsilon_greedy_keeps_float64_values_apart():
    """Values closer than float32 can tell apart must still pick the larger one."""
    q_values = np.array([[1.0, 1.0 + 1e-12]])
    assert epsilon_greedy_actions(q_values, 0.0, np.random.default_rng(0)).tolist() == [1]


@pytest.mark.hostile("nan_parameter")
def test_epsilon_greedy_refuses_nan_epsilon_and_nan_values():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"epsilon must be a finite number.*nan"):
        epsilon_greedy_actions(np.zeros((2, 2)), float("nan"), rng)
    with pytest.raises(ValueError, match=r"q_values must be finite, got np.float64.nan"):
        epsilon_greedy_actions(np.array([[0.0, np.nan]]), 0.0, rng)
    with pytest.raises(ValueError, match=r"q_values must be finite, got np.float64.inf"):
        epsilon_greedy_actions(np.array([[0.0, np.inf]]), 0.0, rng)


@pytest.mark.hostile("bad_input")
def test_epsilon_greedy_rejects_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got int: 0"):
        epsilon_greedy_actions(np.zeros((2, 2)), 0.1, 0)
    with pytest.raises(TypeError, match=r"epsilon must be a number, got str: '0.1'"):
        epsilon_greedy_actions(np.zeros((2, 2)), "0.1", rng)
    with pytest.raises(TypeError, match=r"q_values must hold real numbers, got dtype <U1"):
        epsilon_greedy_actions(np.array([["a", "b"]]), 0.1, rng)
    with pytest.raises(ValueError, match=r"q_values must have shape \(n, action_count\)"):
        epsilon_greedy_actions(np.zeros((2, 0)), 0.1, rng)
