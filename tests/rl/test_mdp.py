"""Tests of dlbigdata.rl.mdp: transition tables, policy evaluation, value and policy iteration."""

from __future__ import annotations

import math

import gymnasium as gym
import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlbigdata.rl.mdp import (
    MDPSolution,
    TabularMDP,
    action_values,
    expected_return,
    policy_evaluation,
    policy_iteration,
    tabular_mdp,
    value_iteration,
)


def stay_or_exit_table(stay_reward: float = 2.0, exit_reward: float = 10.0) -> dict:
    """One state: action 0 stays (reward ``stay_reward``), action 1 ends the episode."""
    return {0: {0: [(1.0, 0, stay_reward, False)], 1: [(1.0, 0, exit_reward, True)]}}


def gamble_table() -> dict:
    """State 0: action 0 is a coin flip between goal (reward 1) and hole; action 1 waits
    (back to state 0 with probability 0.8, to the goal with 0.2). State 1: a spare state."""
    return {
        0: {
            0: [(0.5, 1, 1.0, True), (0.5, 1, 0.0, True)],
            1: [(0.8, 0, 0.0, False), (0.2, 1, 1.0, True)],
        },
        1: {0: [(1.0, 1, 0.0, True)], 1: [(1.0, 1, 0.0, True)]},
    }


def random_mdp(seed: int, states: int = 6, actions: int = 3) -> TabularMDP:
    """A random MDP in which every action ends the episode with probability 0.1."""
    rng = np.random.default_rng(seed)
    transitions = rng.dirichlet(np.ones(states), size=(states, actions)) * 0.9
    return TabularMDP(transitions, rng.normal(size=(states, actions)))


def test_tabular_mdp_of_a_hand_made_table():
    mdp = tabular_mdp(gamble_table())
    assert mdp.transitions.shape == (2, 2, 2) and mdp.rewards.shape == (2, 2)
    assert_allclose(mdp.rewards, [[0.5, 0.2], [0.0, 0.0]])
    assert_allclose(mdp.transitions[0, 1], [0.8, 0.0])  # the terminating 0.2 is not a move
    assert_allclose(mdp.transitions[0, 0], [0.0, 0.0])


def test_tabular_mdp_of_frozen_lake_keeps_every_probability():
    env = gym.make("FrozenLake-v1", map_name="4x4", is_slippery=True)
    mdp = tabular_mdp(env.unwrapped.P)
    assert mdp.transitions.shape == (16, 4, 16)
    goal, holes = 15, [5, 7, 11, 12]
    # Only the moves into the goal pay, and they end the episode.
    assert_allclose(mdp.rewards[14, 1], 1 / 3)
    assert mdp.rewards[[0, 1, 2, 3, 4, 6, 8, 9, 10, 13]].max() == 0.0
    assert mdp.transitions[:, :, [goal, *holes]].sum() == 0.0
    assert_allclose(mdp.transitions[0, 0], np.eye(16)[0] * 2 / 3 + np.eye(16)[4] / 3)


def test_the_optimal_policy_depends_on_gamma():
    mdp = tabular_mdp(stay_or_exit_table())
    patient = value_iteration(mdp, 0.9)  # staying forever is worth 2 / (1 - 0.9) = 20
    assert_allclose(patient.values, [20.0], rtol=1e-9)
    assert patient.policy.tolist() == [0]
    hasty = value_iteration(mdp, 0.5)  # 2 / (1 - 0.5) = 4 < 10
    assert_allclose(hasty.values, [10.0])
    assert hasty.policy.tolist() == [1]


def test_policy_evaluation_of_the_gamble_is_the_success_probability():
    mdp = tabular_mdp(gamble_table())
    assert_allclose(policy_evaluation(mdp, np.array([0, 0]), 1.0), [0.5, 0.0])
    # Waiting succeeds for sure, eventually: V = 0.2 + 0.8 V.
    assert_allclose(policy_evaluation(mdp, np.array([1, 0]), 1.0), [1.0, 0.0])
    # Within H steps it succeeds with probability 1 - 0.8^H.
    for horizon in (0, 1, 5):
        values = policy_evaluation(mdp, np.array([1, 0]), 1.0, horizon=horizon)
        assert math.isclose(values[0], 1 - 0.8**horizon)
    # Discounted: V = 0.2 + 0.9 * 0.8 V.
    assert math.isclose(policy_evaluation(mdp, [1, 0], 0.9)[0], 0.2 / (1 - 0.72))


def test_value_and_policy_iteration_agree_on_the_gamble():
    mdp = tabular_mdp(gamble_table())
    by_values = value_iteration(mdp, 1.0)
    by_policies = policy_iteration(mdp, 1.0)
    assert isinstance(by_values, MDPSolution)
    assert by_values.policy[0] == by_policies.policy[0] == 1
    assert_allclose(by_values.values, by_policies.values, atol=1e-10)
    assert by_policies.iterations == 2  # start with action 0, switch once, confirm


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_solvers_satisfy_the_bellman_optimality_equation(seed):
    mdp = random_mdp(seed)
    by_values = value_iteration(mdp, 0.9)
    by_policies = policy_iteration(mdp, 0.9)
    q_values = action_values(mdp, by_values.values, 0.9)
    assert_allclose(q_values.max(axis=1), by_values.values, atol=1e-10)
    assert_allclose(by_values.values, by_policies.values, atol=1e-10)
    assert_allclose(policy_evaluation(mdp, by_policies.policy, 0.9), by_policies.values)
    # No deterministic policy does better than the optimum in any state.
    rng = np.random.default_rng(seed)
    for _ in range(20):
        other = rng.integers(3, size=6)
        assert (policy_evaluation(mdp, other, 0.9) <= by_values.values + 1e-9).all()


def test_action_values_by_hand():
    mdp = tabular_mdp(gamble_table())
    assert_allclose(action_values(mdp, [1.0, 5.0], 0.5), [[0.5, 0.2 + 0.5 * 0.8], [0.0, 0.0]])


def test_expected_return_weighs_the_initial_states():
    mdp = tabular_mdp(gamble_table())
    policy = np.array([1, 0])
    assert math.isclose(expected_return(mdp, policy, [0.25, 0.75]), 0.25)
    assert math.isclose(expected_return(mdp, policy, [1.0, 0.0], horizon=2), 1 - 0.64)
    assert math.isclose(expected_return(mdp, policy, [1.0, 0.0], gamma=0.0), 0.2)


def test_frozen_lake_success_probability_is_the_known_optimum():
    env = gym.make("FrozenLake-v1", map_name="4x4", is_slippery=True)
    mdp = tabular_mdp(env.unwrapped.P)
    solution = value_iteration(mdp, 1.0)
    start = env.unwrapped.initial_state_distrib
    assert math.isclose(expected_return(mdp, solution.policy, start), 14 / 17, rel_tol=1e-9)
    assert_allclose(policy_iteration(mdp, 1.0).values, solution.values, atol=1e-8)


def test_solvers_do_not_change_their_input():
    mdp = random_mdp(3)
    before = (mdp.transitions.copy(), mdp.rewards.copy())
    value_iteration(mdp, 0.9)
    policy_iteration(mdp, 0.9)
    expected_return(mdp, np.zeros(6, dtype=int), np.full(6, 1 / 6), 0.9, horizon=3)
    assert np.array_equal(mdp.transitions, before[0]) and np.array_equal(mdp.rewards, before[1])


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize(
    "table, error, message",
    [
        ([[(1.0, 0, 0.0, True)]], TypeError, "table must be"),
        ({}, ValueError, "table must have the states"),
        ({0: stay_or_exit_table()[0], 2: stay_or_exit_table()[0]}, ValueError, r"\[0, 2\]"),
        ({"0": stay_or_exit_table()[0]}, ValueError, "table must have the states"),
        ({0: [[(1.0, 0, 0.0, True)]]}, TypeError, r"table\[0\] must be"),
        ({0: {0: []}}, ValueError, r"table\[0\]\[0\] must be a non-empty list"),
        ({0: {0: [(1.0, 0, 0.0)]}}, ValueError, r"table\[0\]\[0\]\[0\] must be a tuple"),
        ({0: {0: [(0.5, 0, 0.0, True)]}}, ValueError, "must sum to 1, got 0.5"),
        ({0: {0: [(1.0, 3, 0.0, True)]}}, ValueError, "next state of table"),
        ({0: {0: [(1.0, 0, 0.0, 1)]}}, TypeError, "terminated flag of table"),
        ({0: {0: [(1.5, 0, 0.0, True), (-0.5, 0, 0.0, True)]}}, ValueError, "probability of"),
        ({0: {0: [(1.0, 0, "1", True)]}}, TypeError, "reward of table"),
    ],
)
def test_tabular_mdp_refuses_malformed_tables(table, error, message):
    with pytest.raises(error, match=message):
        tabular_mdp(table)


@pytest.mark.hostile("bad_input")
def test_tabular_mdp_refuses_states_with_different_actions():
    table = {
        0: {0: [(1.0, 1, 0.0, True)]},
        1: {0: [(1.0, 1, 0.0, True)], 1: [(1.0, 1, 0.0, True)]},
    }
    with pytest.raises(ValueError, match=r"table\[1\] must offer the 1 actions"):
        tabular_mdp(table)


@pytest.mark.hostile("single_string")
def test_tabular_mdp_refuses_a_string_as_outcomes():
    with pytest.raises(ValueError, match=r"table\[0\]\[0\] must be a non-empty list"):
        tabular_mdp({0: {0: "abcd"}})


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("where", ["probability", "reward"])
def test_tabular_mdp_refuses_nan(where):
    outcome = (math.nan, 0, 0.0, True) if where == "probability" else (1.0, 0, math.nan, True)
    with pytest.raises(ValueError, match=f"the {where} of table"):
        tabular_mdp({0: {0: [outcome]}})


SOLVERS = {
    "value_iteration": lambda mdp, gamma: value_iteration(mdp, gamma),
    "policy_iteration": lambda mdp, gamma: policy_iteration(mdp, gamma),
    "policy_evaluation": lambda mdp, gamma: policy_evaluation(mdp, [1, 0], gamma),
    "action_values": lambda mdp, gamma: action_values(mdp, [0.0, 0.0], gamma),
    "expected_return": lambda mdp, gamma: expected_return(mdp, [1, 0], [1.0, 0.0], gamma),
}


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    "gamma, error, message",
    [(1.5, ValueError, "gamma must be"), (-0.1, ValueError, "gamma"), ("0.9", TypeError, "gamma")],
)
def test_every_function_refuses_a_bad_gamma(solver, gamma, error, message):
    with pytest.raises(error, match=message):
        SOLVERS[solver](tabular_mdp(gamble_table()), gamma)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("solver", SOLVERS)
def test_every_function_refuses_a_nan_gamma(solver):
    with pytest.raises(ValueError, match=r"gamma must be .* got nan"):
        SOLVERS[solver](tabular_mdp(gamble_table()), math.nan)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("solver", SOLVERS)
def test_every_function_refuses_what_is_not_an_mdp(solver):
    with pytest.raises(TypeError, match="mdp must be a TabularMDP"):
        SOLVERS[solver](gamble_table(), 0.9)


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    "transitions, rewards, message",
    [
        (
            np.zeros((2, 2, 2)),
            np.array([[math.nan, 0.0], [0.0, 0.0]]),
            "mdp.rewards must be finite",
        ),
        (np.full((2, 2, 2), 0.6), np.zeros((2, 2)), "rows sum to at most 1"),
        (np.full((2, 2, 2), -0.1), np.zeros((2, 2)), "probabilities >= 0"),
        (np.zeros((2, 2, 3)), np.zeros((2, 2)), r"mdp.transitions must have shape \(2, 2, 2\)"),
        (np.zeros((2, 2, 2)), np.zeros(2), "mdp.rewards must have shape"),
    ],
)
def test_every_function_refuses_a_corrupted_mdp(solver, transitions, rewards, message):
    with pytest.raises(ValueError, match=message):
        SOLVERS[solver](TabularMDP(transitions, rewards), 0.9)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "policy, error, message",
    [
        ([0.0, 1.0], TypeError, "policy must hold integer actions"),
        ([True, False], TypeError, "policy must hold integer actions"),
        ([0], ValueError, r"policy must have shape \(2,\)"),
        ([0, 2], ValueError, r"actions in \[0, 2\), got 2"),
        ([-1, 0], ValueError, r"actions in \[0, 2\)"),
    ],
)
def test_policies_must_name_one_valid_action_per_state(policy, error, message):
    mdp = tabular_mdp(gamble_table())
    with pytest.raises(error, match=message):
        policy_evaluation(mdp, policy, 0.9)
    with pytest.raises(error, match=message):
        expected_return(mdp, policy, [1.0, 0.0])
    with pytest.raises(error, match=message):
        policy_iteration(mdp, 0.9, initial_policy=policy)


@pytest.mark.hostile("masked_error")
def test_a_policy_that_never_ends_is_named_not_a_singular_matrix():
    mdp = tabular_mdp(stay_or_exit_table(stay_reward=0.0))
    with pytest.raises(ValueError, match=r"from states \[0\] it never terminates"):
        policy_evaluation(mdp, [0], 1.0)
    with pytest.raises(ValueError, match="never terminates"):
        policy_iteration(mdp, 1.0)  # starts from action 0: stay forever
    assert_allclose(policy_evaluation(mdp, [0], 1.0, horizon=50), [0.0])  # a time limit ends it
    assert_allclose(policy_iteration(mdp, 1.0, initial_policy=[1]).values, [10.0])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "horizon, error", [(-1, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)]
)
def test_horizon_must_be_a_number_of_steps(horizon, error):
    mdp = tabular_mdp(gamble_table())
    with pytest.raises(error, match="horizon must be an integer"):
        policy_evaluation(mdp, [1, 0], 1.0, horizon=horizon)
    with pytest.raises(error, match="horizon must be an integer"):
        expected_return(mdp, [1, 0], [1.0, 0.0], horizon=horizon)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "distribution, error, message",
    [
        ([0.5, 0.4], ValueError, "sum to 1, got sum 0.9"),
        ([1.5, -0.5], ValueError, "probabilities >= 0"),
        ([math.nan, 1.0], ValueError, "initial_distribution must be finite"),
        ([1.0], ValueError, r"initial_distribution must have shape \(2,\)"),
        (["1", "0"], TypeError, "initial_distribution must hold real numbers"),
    ],
)
def test_initial_distribution_must_be_probabilities(distribution, error, message):
    with pytest.raises(error, match=message):
        expected_return(tabular_mdp(gamble_table()), [1, 0], distribution)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "keywords, error, message",
    [
        ({"tolerance": 0.0}, ValueError, "tolerance must be a finite number > 0"),
        ({"tolerance": math.nan}, ValueError, "tolerance"),
        ({"max_iterations": 0}, ValueError, "max_iterations must be an integer >= 1"),
        ({"max_iterations": 10.0}, TypeError, "max_iterations must be an integer"),
    ],
)
def test_value_iteration_refuses_bad_limits(keywords, error, message):
    with pytest.raises(error, match=message):
        value_iteration(tabular_mdp(gamble_table()), 0.9, **keywords)


@pytest.mark.hostile("bad_input")
def test_values_must_match_the_states():
    mdp = tabular_mdp(gamble_table())
    with pytest.raises(ValueError, match=r"values must have shape \(2,\)"):
        action_values(mdp, [0.0, 0.0, 0.0], 0.9)
    with pytest.raises(ValueError, match="values must be finite"):
        action_values(mdp, [math.inf, 0.0], 0.9)


def test_solvers_say_when_they_did_not_converge():
    mdp = random_mdp(4)
    with pytest.raises(RuntimeError, match="value iteration did not converge within"):
        value_iteration(mdp, 0.99, max_iterations=3)
    with pytest.raises(RuntimeError, match="policy iteration did not converge within"):
        policy_iteration(mdp, 0.99, max_iterations=1)
    with pytest.raises(ValueError, match="max_iterations must be an integer >= 1"):
        policy_iteration(mdp, 0.99, max_iterations=0)
