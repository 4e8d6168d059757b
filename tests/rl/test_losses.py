"""Tests of dlbigdata.rl.losses: Bellman targets, the Huber loss and the DQN loss."""

from __future__ import annotations

import re

import numpy as np
import pytest
from factories import rl_transitions
from numpy.testing import assert_allclose

from dlbigdata.rl import bellman_targets, build_q_network, dqn_loss, huber_loss, numpy_q_values


def test_bellman_targets_by_hand():
    rewards = np.array([1.0, 1.0, 0.0])
    next_q_values = np.array([[2.0, 3.0], [5.0, 4.0], [-1.0, -2.0]])
    terminated = np.array([False, True, False])
    expected = [1.0 + 0.9 * 3.0, 1.0, 0.9 * -1.0]
    assert_allclose(bellman_targets(rewards, next_q_values, terminated, 0.9), expected, rtol=1e-6)


def test_terminal_transitions_do_not_bootstrap_but_truncated_ones_do():
    next_q_values = np.array([[10.0, 20.0], [10.0, 20.0]])
    # Same transition twice: once at a real terminal state, once cut off by the time limit.
    # Only `terminated` reaches the target; truncation is stored as terminated=False.
    targets = bellman_targets(np.ones(2), next_q_values, np.array([1, 0]), 0.99)
    assert_allclose(targets, [1.0, 1.0 + 0.99 * 20.0], rtol=1e-6)


def test_bellman_targets_with_gamma_zero_are_the_rewards():
    rewards = np.array([0.5, -2.0])
    assert_allclose(bellman_targets(rewards, np.ones((2, 3)), np.zeros(2), 0.0), rewards)
    assert bellman_targets(rewards, np.ones((2, 3)), np.zeros(2), 0.0).dtype == np.float32


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "args, error, message",
    [
        (
            (np.ones((2, 1)), np.ones((2, 2)), np.zeros(2), 0.9),
            ValueError,
            r"rewards must have shape \(n,\)",
        ),
        (
            (np.ones(2), np.ones((3, 2)), np.zeros(2), 0.9),
            ValueError,
            r"next_q_values must have shape \(2, action_count\), got \(3, 2\)",
        ),
        (
            (np.ones(2), np.ones((2, 0)), np.zeros(2), 0.9),
            ValueError,
            r"next_q_values must have at least one action, got \(2, 0\)",
        ),
        (
            (np.ones(2), np.ones((2, 2)), np.zeros(3), 0.9),
            ValueError,
            r"terminated must have shape \(2,\), got \(3,\)",
        ),
        (
            (np.ones(2), np.ones((2, 2)), np.array([0, 2]), 0.9),
            ValueError,
            "terminated must hold only 0/1 or False/True, got np.int64.2.",
        ),
        (
            (np.ones(2), np.ones((2, 2)), np.array(["0", "1"]), 0.9),
            TypeError,
            "terminated must hold 0/1 or False/True, got dtype <U1",
        ),
        (
            (np.ones(2), np.ones((2, 2)), np.zeros(2), 1.2),
            ValueError,
            r"gamma must be a finite number >= 0 and <= 1, got 1.2",
        ),
        ((np.ones(2), np.ones((2, 2)), np.zeros(2), "0.9"), TypeError, "gamma must be a number"),
        (
            (["a", "b"], np.ones((2, 2)), np.zeros(2), 0.9),
            TypeError,
            "rewards must hold real numbers, got dtype <U1",
        ),
    ],
)
def test_bellman_targets_reject_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        bellman_targets(*args)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    "args, message",
    [
        ((np.ones(2), np.ones((2, 2)), np.zeros(2), float("nan")), "gamma must be .*, got nan"),
        ((np.array([1.0, np.nan]), np.ones((2, 2)), np.zeros(2), 0.9), "rewards must be finite"),
        ((np.ones(2), np.array([[1, np.inf]] * 2), np.zeros(2), 0.9), "next_q_values must be fin"),
        ((np.ones(2), np.ones((2, 2)), np.array([0.0, np.nan]), 0.9), "terminated must hold only"),
        (
            (np.array([1e300, 0.0]), np.ones((2, 2)), np.zeros(2), 0.9),
            r"each entry of rewards must fit a float32 .*, got 1e\+300",
        ),
    ],
)
def test_bellman_targets_refuse_nan_inf_and_overflow(args, message):
    with pytest.raises(ValueError, match=message):
        bellman_targets(*args)


def test_huber_loss_is_quadratic_then_linear():
    errors = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    assert_allclose(huber_loss(errors, 1.0), [2.5, 0.5, 0.125, 0.0, 0.125, 0.5, 2.5])
    assert_allclose(huber_loss(errors, 2.0), [4.0, 0.5, 0.125, 0.0, 0.125, 0.5, 4.0])
    assert huber_loss(np.ones((3, 2)), 1.0).shape == (3, 2)


def test_huber_loss_matches_keras():
    import keras

    errors = np.random.default_rng(0).normal(scale=3.0, size=50).astype(np.float32)
    expected = keras.losses.Huber(delta=1.5)(np.zeros_like(errors), errors)
    assert_allclose(np.mean(huber_loss(errors, 1.5)), float(expected), rtol=1e-5)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "errors, delta, error, message",
    [
        (np.ones(2), 0.0, ValueError, "delta must be a finite number > 0, got 0.0"),
        (np.ones(2), -1, ValueError, "delta must be a finite number > 0, got -1"),
        (np.ones(2), "1", TypeError, "delta must be a number, got str: '1'"),
        (np.ones(2), True, TypeError, "delta must be a number, got bool: True"),
        (["x"], 1.0, TypeError, "errors must hold real numbers, got dtype <U1"),
    ],
)
def test_huber_loss_rejects_bad_input(errors, delta, error, message):
    with pytest.raises(error, match=message):
        huber_loss(errors, delta)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    "errors, delta, message",
    [
        (np.ones(2), float("nan"), "delta must be a finite number > 0, got nan"),
        (np.ones(2), float("inf"), "delta must be a finite number > 0, got inf"),
        (np.array([0.5, np.nan]), 1.0, "errors must be finite, got np.float64.nan"),
        (np.array([1e40]), 1.0, r"each entry of errors must fit a float32 .*, got 1e\+40"),
    ],
)
def test_huber_loss_refuses_nan_and_infinity(errors, delta, message):
    with pytest.raises(ValueError, match=message):
        huber_loss(errors, delta)


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("delta", [1e300, np.float64(1e39)])
def test_huber_loss_refuses_a_delta_that_overflows_float32(delta):
    with pytest.raises(
        ValueError, match=r"delta must fit a float32 .*, got " + re.escape(repr(float(delta)))
    ):
        huber_loss(np.ones(2), delta)


def test_dqn_loss_equals_the_formula():
    online = build_q_network(4, 2, (8,), seed=1)
    target = build_q_network(4, 2, (8,), seed=2)
    batch = rl_transitions()
    next_q = numpy_q_values(target.get_weights(), batch.next_observations)
    y = bellman_targets(batch.rewards, next_q, batch.terminated, 0.9)
    chosen = numpy_q_values(online.get_weights(), batch.observations)[np.arange(6), batch.actions]
    expected = np.mean(huber_loss(y - chosen, 1.0))
    assert_allclose(float(dqn_loss(online, target, batch, 0.9, 1.0)), expected, rtol=1e-5)


def test_double_dqn_loss_lets_the_online_network_choose():
    online = build_q_network(4, 2, (8,), seed=1)
    target = build_q_network(4, 2, (8,), seed=2)
    batch = rl_transitions()
    online_next = numpy_q_values(online.get_weights(), batch.next_observations)
    target_next = numpy_q_values(target.get_weights(), batch.next_observations)
    evaluated = target_next[np.arange(6), online_next.argmax(axis=1)][:, None]
    y = bellman_targets(batch.rewards, evaluated, batch.terminated, 0.9)
    chosen = numpy_q_values(online.get_weights(), batch.observations)[np.arange(6), batch.actions]
    expected = np.mean(huber_loss(y - chosen, 2.0))
    assert_allclose(
        float(dqn_loss(online, target, batch, 0.9, 2.0, double=True)), expected, rtol=1e-5
    )
    plain = float(dqn_loss(online, target, batch, 0.9, 2.0))
    disagree = online_next.argmax(axis=1) != target_next.argmax(axis=1)
    assert disagree.any() == (not np.isclose(plain, expected)), (
        "the two targets differ where the networks disagree"
    )


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize(
    "gamma, delta, double, error, message",
    [
        (float("nan"), 1.0, False, ValueError, "gamma must be .*, got nan"),
        (0.9, float("inf"), False, ValueError, "delta must be a finite number > 0, got inf"),
        (0.9, 0.0, False, ValueError, "delta must be a finite number > 0, got 0.0"),
        (0.9, 1e300, False, ValueError, r"delta must fit a float32 .*, got 1e\+300"),
        (0.9, 1.0, "yes", TypeError, "double must be True or False, got str: 'yes'"),
    ],
)
def test_dqn_loss_refuses_parameters_that_would_spread_nan(gamma, delta, double, error, message):
    network = build_q_network(4, 2, (8,), seed=1)
    with pytest.raises(error, match=message):
        dqn_loss(network, network, rl_transitions(), gamma, delta, double)
