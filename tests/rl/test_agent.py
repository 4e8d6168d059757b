"""Tests of dlbigdata.rl.agent: the hyperparameters and the DQN agent."""

from __future__ import annotations

import re

import numpy as np
import pytest
from factories import rl_tiny_config, rl_transitions
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.rl import DQNAgent, DQNConfig, Transitions, dqn_loss


def test_agent_learning_lowers_the_loss_on_a_fixed_batch():
    config = rl_tiny_config(gradient_steps=4)
    agent = DQNAgent(4, 2, config, seed=0)
    rng = np.random.default_rng(0)
    batch = Transitions(
        rng.normal(size=(32, 4)).astype(np.float32),
        rng.integers(0, 2, 32).astype(np.int32),
        np.ones(32, np.float32),
        rng.normal(size=(32, 4)).astype(np.float32),
        np.zeros(32, np.float32),
    )
    before = float(dqn_loss(agent.online, agent.target, batch, config.gamma, config.huber_delta))
    for _ in range(25):
        agent.learn([batch] * 4)
    after = float(dqn_loss(agent.online, agent.target, batch, config.gamma, config.huber_delta))
    assert after < 0.5 * before, (before, after)
    # The NumPy copy used for acting follows the trained Keras weights.
    assert_allclose(
        agent.q_values(batch.observations),
        np.asarray(agent.online(batch.observations)),
        rtol=1e-5,
        atol=1e-5,
    )


def test_agent_target_network_changes_only_on_update():
    agent = DQNAgent(4, 2, rl_tiny_config(), seed=0)
    frozen = [w.copy() for w in agent.target.get_weights()]
    agent.learn([rl_transitions(), rl_transitions()])
    assert all(
        np.array_equal(a, b) for a, b in zip(frozen, agent.target.get_weights(), strict=True)
    )
    assert not np.array_equal(agent.online.get_weights()[0], frozen[0])
    agent.update_target()
    assert all(
        np.array_equal(a, b)
        for a, b in zip(agent.online.get_weights(), agent.target.get_weights(), strict=True)
    )


@pytest.mark.hostile("bad_input")
def test_agent_weights_round_trip_and_batch_size_check():
    agent = DQNAgent(4, 2, rl_tiny_config(), seed=0)
    other = DQNAgent(4, 2, rl_tiny_config(), seed=5)
    other.set_weights(agent.get_weights())
    observations = rl_transitions().observations
    assert_allclose(other.q_values(observations), agent.q_values(observations))
    assert_array_equal(
        other.greedy_policy(observations), agent.q_values(observations).argmax(axis=1)
    )
    with pytest.raises(ValueError, match=r"batches must hold at least one minibatch, got none"):
        agent.learn([])
    shorter = Transitions(*(part[:4] for part in rl_transitions()))
    with pytest.raises(ValueError, match=r"minibatches must have equal sizes, got sizes \[4, 6\]"):
        agent.learn([rl_transitions(), shorter])
    with pytest.raises(TypeError, match=r"config must be a DQNConfig, got dict"):
        DQNAgent(4, 2, {}, seed=0)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "args, error, message",
    [
        ((4, 2, "seed"), TypeError, "seed must be an integer, got str: 'seed'"),
        ((4, 2, -1), ValueError, "seed must be an integer >= 0, got -1"),
        ((4, 2, False), TypeError, "seed must be an integer, got bool: False"),
        ((4, 0, 0), ValueError, "action_count must be an integer >= 1, got 0"),
        ((4.0, 2, 0), TypeError, "observation_size must be an integer, got float: 4.0"),
    ],
)
def test_agent_rejects_bad_sizes_and_seeds(args, error, message):
    observation_size, action_count, seed = args
    with pytest.raises(error, match=message):
        DQNAgent(observation_size, action_count, rl_tiny_config(), seed)


def assert_same_weights(copies, expected):
    """Every list of weights in ``copies`` equals ``expected``, array by array."""
    for weights in copies:
        for kept, was in zip(weights, expected, strict=True):
            assert_array_equal(kept, was)


def corrupted(**fields) -> Transitions:
    """The factory batch with some fields replaced."""
    return rl_transitions()._replace(**fields)


BAD_BATCHES = {
    "NaN reward": (corrupted(rewards=np.array([1, np.nan, 1, 1, 1, 1], np.float32)), ValueError,
                   r"batches\[1\].rewards must be finite, got np.float32\(nan\)"),
    "inf observation": (corrupted(observations=np.full((6, 4), np.inf)), ValueError,
                        r"batches\[1\].observations must be finite"),
    "action out of range": (corrupted(actions=np.array([0, 1, 2, 0, 1, 0])), ValueError,
                            r"batches\[1\].actions must hold actions in \[0, 2\), got np.int64"),
    "float actions": (corrupted(actions=np.zeros(6)), TypeError,
                      r"batches\[1\].actions must be integer actions, got dtype float64"),
    "terminated not 0/1": (corrupted(terminated=np.full(6, 0.5)), ValueError,
                           r"batches\[1\].terminated must hold only 0/1"),
    "wrong observation width": (corrupted(next_observations=np.zeros((6, 3))), ValueError,
                                r"batches\[1\].next_observations must have shape \(6, 4\)"),
    "a plain tuple": (tuple(rl_transitions()), TypeError,
                      r"batches\[1\] must be a Transitions batch, got tuple"),
}  # fmt: skip


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("batch, error, message", BAD_BATCHES.values(), ids=BAD_BATCHES.keys())
def test_a_rejected_minibatch_changes_no_weight(batch, error, message):
    agent = DQNAgent(4, 2, rl_tiny_config(), seed=0)
    before = agent.get_weights()
    with pytest.raises(error, match=message):
        agent.learn([rl_transitions(), batch])
    assert_same_weights([agent.online.get_weights(), agent.get_weights()], before)


@pytest.mark.hostile("bad_input")
def test_learn_refuses_a_single_batch_passed_without_a_list():
    agent = DQNAgent(4, 2, rl_tiny_config(), seed=0)
    with pytest.raises(TypeError, match=r"batches must be a list of Transitions minibatches"):
        agent.learn(rl_transitions())


@pytest.mark.hostile("state_corruption")
def test_set_weights_checks_everything_before_changing_a_network():
    agent = DQNAgent(4, 2, rl_tiny_config(), seed=0)
    before = agent.get_weights()
    poisoned = [weight.copy() for weight in before]
    poisoned[-1][0] = np.nan
    with pytest.raises(ValueError, match=r"weights\[3\] must be finite, got np.float32\(nan\)"):
        agent.set_weights(poisoned)
    with pytest.raises(ValueError, match=r"weights\[2\] must have shape \(16, 2\), got \(16, 3\)"):
        agent.set_weights([*before[:2], np.zeros((16, 3)), before[3]])
    with pytest.raises(ValueError, match=r"weights must hold 4 arrays, got 2"):
        agent.set_weights(before[:2])
    assert_same_weights([agent.online.get_weights(), agent.target.get_weights()], before)


@pytest.mark.hostile("nan_parameter")
def test_agent_q_values_refuse_nan_observations():
    agent = DQNAgent(4, 2, rl_tiny_config(), seed=0)
    with pytest.raises(ValueError, match=r"observations must be finite, got np.float64.nan"):
        agent.greedy_policy(np.array([[0.0, 0.0, np.nan, 0.0]]))
    with pytest.raises(ValueError, match=r"observations must have shape \(n, 4\), got \(4,\)"):
        agent.q_values(np.zeros(4))


def test_config_stores_plain_values():
    config = DQNConfig(
        max_steps=np.int64(5_000), learning_rate=np.float32(0.5), hidden_units=[np.int64(8)]
    )
    assert type(config.max_steps) is int and type(config.learning_rate) is float
    assert config.hidden_units == (8,) and type(config.hidden_units[0]) is int
    assert DQNConfig() == DQNConfig(), "the defaults are unchanged by the checks"


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"gamma": 1.5}, r"gamma must be a finite number >= 0 and <= 1, got 1.5"),
        ({"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
        ({"learning_rate": 0.0}, "learning_rate must be a finite number > 0, got 0.0"),
        ({"hidden_units": ()}, "hidden_units must name at least one layer width"),
        (
            {"epsilon_start": 0.1, "epsilon_end": 0.2},
            r"epsilon_end \(0.2\) must not exceed epsilon_start",
        ),
        (
            {"learning_starts": 10, "batch_size": 64},
            r"learning_starts \(10\) must be at least batch_size \(64\)",
        ),
        (
            {"learning_starts": 500, "max_steps": 500},
            r"learning_starts \(500\) must be below max_steps \(500\)",
        ),
        (
            {"validate_every": 2_000, "max_steps": 1_500},
            r"validate_every \(2000\) must be at most max_steps \(1500\)",
        ),
        ({"solved_return": -1.0}, "solved_return must be a finite number > 0, got -1.0"),
    ],
)
def test_config_rejects_bad_values(changes, message):
    with pytest.raises(ValueError, match=message):
        DQNConfig(**changes)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"double_q": 1}, "double_q must be True or False, got int: 1"),
        ({"max_steps": True}, "max_steps must be an integer, got bool: True"),
        ({"batch_size": 64.0}, "batch_size must be an integer, got float: 64.0"),
        ({"learning_rate": "1e-3"}, "learning_rate must be a number, got str: '1e-3'"),
        ({"hidden_units": 64}, "hidden_units must be a list of integers, got int: 64"),
    ],
)
def test_config_rejects_wrong_types(changes, message):
    with pytest.raises(TypeError, match=message):
        DQNConfig(**changes)


@pytest.mark.hostile("single_string")
def test_config_refuses_a_string_of_widths():
    with pytest.raises(TypeError, match=r"hidden_units must be a list of integers, got str: '64'"):
        DQNConfig(hidden_units="64")


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("name", ["learning_rate", "huber_delta", "max_gradient_norm"])
@pytest.mark.parametrize("value", [float("inf"), -float("inf"), float("nan")])
def test_config_refuses_values_that_would_put_nan_in_every_weight(name, value):
    with pytest.raises(ValueError, match=rf"{name} must be a finite number > 0, got {value}"):
        DQNConfig(**{name: value})


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("name", ["learning_rate", "huber_delta", "max_gradient_norm"])
@pytest.mark.parametrize("value", [1e300, np.float64(1e39)])
def test_config_refuses_values_that_overflow_float32(name, value):
    # Finite, but inf once cast to float32: one learn() would make every weight NaN.
    with pytest.raises(
        ValueError, match=rf"{name} must fit a float32 .*, got " + re.escape(repr(float(value)))
    ):
        DQNConfig(**{name: value})


def test_config_accepts_the_largest_float32():
    largest = float(np.finfo(np.float32).max)
    assert DQNConfig(max_gradient_norm=largest).max_gradient_norm == largest


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("name", ["gamma", "epsilon_start", "epsilon_end", "solved_return"])
def test_config_refuses_nan(name):
    with pytest.raises(ValueError, match=rf"{name} must be a finite number .*, got nan"):
        DQNConfig(**{name: float("nan")})
