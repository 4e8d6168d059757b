"""Exact solvers of small Markov decision processes: evaluation, value and policy iteration.

A gymnasium toy-text environment (FrozenLake, Taxi, CliffWalking) publishes its exact
dynamics as ``env.unwrapped.P``: ``P[s][a]`` is a list of outcomes
``(probability, next_state, reward, terminated)``. :func:`tabular_mdp` turns that table into
two arrays, a :class:`TabularMDP`:

- ``transitions[s, a, s']``, the probability of moving from ``s`` to ``s'`` under ``a``
  *without* the episode terminating (a row sums to 1 minus the probability of
  terminating);
- ``rewards[s, a]``, the expected immediate reward :math:`r(s, a)`.

With them the Bellman equations are matrix products,
:math:`Q(s, a) = r(s, a) + \\gamma \\sum_{s'} P(s' \\mid s, a) V(s')`
(:func:`action_values`), and the solvers are a few lines each:
:func:`policy_evaluation` (exact, by a linear solve, or over a finite horizon),
:func:`value_iteration`, :func:`policy_iteration`, and :func:`expected_return` of a policy
from an initial-state distribution (with reward 1 for reaching a goal, its success
probability).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral
from typing import Any, NamedTuple

import numpy as np

from dlbigdata._validation import (
    describe,
    require_finite_array,
    require_fraction,
    require_int,
    require_number,
    require_type,
)

__all__ = [
    "MDPSolution",
    "TabularMDP",
    "action_values",
    "expected_return",
    "policy_evaluation",
    "policy_iteration",
    "tabular_mdp",
    "value_iteration",
]

_SUM_TOLERANCE = 1e-9
"""How far the outcome probabilities of one state and action may sum away from 1."""

_TIE_TOLERANCE = 1e-12
"""Policy iteration keeps the current action unless another is better by more than this."""


class TabularMDP(NamedTuple):
    """A finite MDP as arrays: non-terminating transition probabilities and expected rewards.

    ``transitions`` has shape ``(states, actions, states)``; ``rewards`` has shape
    ``(states, actions)``. The probability that taking ``a`` in ``s`` ends the episode is
    ``1 - transitions[s, a].sum()``.

    Used in chapter 07.
    """

    transitions: np.ndarray
    rewards: np.ndarray


class MDPSolution(NamedTuple):
    """Optimal state values, a greedy (optimal) policy and the iterations a solver took.

    Used in chapter 07.
    """

    values: np.ndarray
    policy: np.ndarray
    iterations: int


def _require_outcome(where: str, outcome: Any, state_count: int) -> tuple[float, int, float, bool]:
    """One outcome ``(probability, next_state, reward, terminated)`` of ``P[s][a]``, checked."""
    if not isinstance(outcome, Sequence) or isinstance(outcome, (str, bytes)) or len(outcome) != 4:
        raise ValueError(
            f"{where} must be a tuple (probability, next_state, reward, terminated), "
            f"got {describe(outcome)}"
        )
    probability, next_state, reward, terminated = outcome
    probability = require_fraction(f"the probability of {where}", probability)
    next_state = require_int(
        f"the next state of {where}", next_state, minimum=0, maximum=state_count - 1
    )
    reward = require_number(f"the reward of {where}", reward)
    if not isinstance(terminated, (bool, np.bool_)):
        raise TypeError(
            f"the terminated flag of {where} must be a bool, got {describe(terminated)}"
        )
    return probability, next_state, reward, bool(terminated)


def _require_keys(name: str, mapping: Any, kind: str) -> int:
    """The size of a mapping whose keys are exactly ``0, 1, ..., n - 1`` (``n >= 1``)."""
    require_type(name, mapping, Mapping, f"a dict of {kind}s")
    keys = list(mapping)
    if not keys or not all(
        isinstance(key, Integral) and not isinstance(key, (bool, np.bool_)) for key in keys
    ):
        raise ValueError(f"{name} must have the {kind}s 0, 1, ..., n - 1 as keys, got {keys!r}")
    if sorted(int(key) for key in keys) != list(range(len(keys))):
        raise ValueError(
            f"{name} must have the {kind}s 0, 1, ..., n - 1 as keys, got {sorted(keys)!r}"
        )
    return len(keys)


def _fill_outcomes(where: str, outcomes: Any, state_count: int, row: np.ndarray) -> float:
    """Add the non-terminating probabilities of ``outcomes`` to ``row``; the expected reward."""
    if not isinstance(outcomes, Sequence) or isinstance(outcomes, (str, bytes)) or not outcomes:
        raise ValueError(f"{where} must be a non-empty list of outcomes, got {describe(outcomes)}")
    checked = [
        _require_outcome(f"{where}[{index}]", outcome, state_count)
        for index, outcome in enumerate(outcomes)
    ]
    total = sum(probability for probability, *_ in checked)
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ValueError(f"the probabilities of {where} must sum to 1, got {total!r}")
    for probability, next_state, _, terminated in checked:
        if not terminated:
            row[next_state] += probability
    return sum(probability * reward for probability, _, reward, _ in checked)


def tabular_mdp(table: Any) -> TabularMDP:
    """Arrays of a gymnasium transition table ``P[s][a] = [(p, s', r, terminated), ...]``.

    Parameters
    ----------
    table : dict
        ``env.unwrapped.P`` of a toy-text environment: for every state ``0 .. S-1`` a dict
        over the same actions ``0 .. A-1`` of non-empty outcome lists whose probabilities
        sum to 1.

    Returns
    -------
    TabularMDP
        ``transitions`` of shape ``(S, A, S)`` (non-terminating moves only) and expected
        ``rewards`` of shape ``(S, A)``, float64.

    Raises
    ------
    TypeError
        If the table or a row is not a dict, or an outcome holds a wrong type.
    ValueError
        If states or actions are not numbered ``0 .. n-1``, the states offer different
        actions, an outcome is malformed, a probability or reward is NaN or out of range,
        or the probabilities of an action do not sum to 1.

    Used in chapter 07.
    """
    state_count = _require_keys("table", table, "state")
    action_count = _require_keys("table[0]", table[0], "action")
    transitions = np.zeros((state_count, action_count, state_count))
    rewards = np.zeros((state_count, action_count))
    for state in range(state_count):
        row = table[state]
        if _require_keys(f"table[{state}]", row, "action") != action_count:
            raise ValueError(
                f"table[{state}] must offer the {action_count} actions of table[0], got {len(row)}"
            )
        for action in range(action_count):
            rewards[state, action] = _fill_outcomes(
                f"table[{state}][{action}]", row[action], state_count, transitions[state, action]
            )
    return TabularMDP(transitions, rewards)


def _require_mdp(mdp: Any) -> TabularMDP:
    """A :class:`TabularMDP` with consistent shapes and probabilities (float64 copies)."""
    require_type("mdp", mdp, TabularMDP, "a TabularMDP (from tabular_mdp)")
    rewards = require_finite_array(
        "mdp.rewards", mdp.rewards, ("states", "actions"), as_float32=False
    )
    states, actions = rewards.shape
    if states < 1 or actions < 1:
        raise ValueError(
            f"mdp.rewards must have at least one state and action, got {rewards.shape}"
        )
    transitions = require_finite_array(
        "mdp.transitions", mdp.transitions, (states, actions, states), as_float32=False
    )
    totals = transitions.sum(axis=2)
    if (transitions < 0).any() or (totals > 1 + _SUM_TOLERANCE).any():
        raise ValueError(
            "mdp.transitions must hold probabilities >= 0 whose rows sum to at most 1, "
            f"got row sums up to {float(totals.max())!r} and a minimum of "
            f"{float(transitions.min())!r}"
        )
    return TabularMDP(transitions.astype(float), rewards.astype(float))


def _require_policy(policy: Any, mdp: TabularMDP) -> np.ndarray:
    """A deterministic policy: one action in ``[0, A)`` per state, as an int64 array."""
    states, actions = mdp.rewards.shape
    array = np.asarray(policy)
    if array.dtype.kind not in "iu":
        raise TypeError(f"policy must hold integer actions, got dtype {array.dtype}")
    if array.shape != (states,):
        raise ValueError(
            f"policy must have shape ({states},), one action per state, got {array.shape}"
        )
    outside = (array < 0) | (array >= actions)
    if outside.any():
        raise ValueError(
            f"policy must hold actions in [0, {actions}), got {int(array[outside][0])}"
        )
    return array.astype(np.int64)


def _action_values(mdp: TabularMDP, values: np.ndarray, gamma: float) -> np.ndarray:
    """Bellman backup :math:`r + \\gamma P V` without checks (the solvers' inner loop)."""
    return mdp.rewards + gamma * mdp.transitions @ values


def action_values(mdp: TabularMDP, values: np.ndarray, gamma: float) -> np.ndarray:
    """Action values of state values, :math:`Q = r + \\gamma P V` (one Bellman backup).

    :math:`Q(s, a) = r(s, a) + \\gamma \\sum_{s'} P(s' \\mid s, a)\\, V(s')`.

    Parameters
    ----------
    mdp : TabularMDP
        The dynamics.
    values : array_like
        State values :math:`V`, shape ``(S,)``, finite.
    gamma : float
        Discount factor in [0, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``(S, A)``.

    Raises
    ------
    TypeError, ValueError
        If ``mdp`` is not a valid :class:`TabularMDP`, ``values`` has another shape or a
        NaN, or ``gamma`` lies outside [0, 1].

    Used in chapter 07.
    """
    gamma = require_fraction("gamma", gamma)
    mdp = _require_mdp(mdp)
    states = mdp.rewards.shape[0]
    values = require_finite_array("values", values, (states,), as_float32=False)
    return _action_values(mdp, values.astype(float), gamma)


def _never_terminating(transitions: np.ndarray) -> np.ndarray:
    """States from which a Markov chain with sub-stochastic ``transitions`` never terminates."""
    reaches_end = transitions.sum(axis=1) < 1 - _SUM_TOLERANCE
    while True:
        grown = reaches_end | ((transitions > 0) & reaches_end[None, :]).any(axis=1)
        if (grown == reaches_end).all():
            return np.flatnonzero(~reaches_end)
        reaches_end = grown


def _evaluate(
    mdp: TabularMDP, policy: np.ndarray, gamma: float, horizon: int | None
) -> np.ndarray:
    """Values of ``policy`` (checked arguments): a linear solve, or ``horizon`` backups."""
    rows = np.arange(len(policy))
    transitions, rewards = mdp.transitions[rows, policy], mdp.rewards[rows, policy]
    if horizon is not None:
        values = np.zeros(len(policy))
        for _ in range(horizon):
            values = rewards + gamma * transitions @ values
        return values
    if gamma == 1.0:
        endless = _never_terminating(transitions)
        if endless.size:
            raise ValueError(
                "with gamma=1 the policy must end every episode with probability 1, but from "
                f"states {endless[:10].tolist()} it never terminates; pass gamma < 1 or a "
                "horizon"
            )
    return np.linalg.solve(np.eye(len(policy)) - gamma * transitions, rewards)


def _require_horizon(horizon: Any) -> int | None:
    """``None`` (infinite horizon) or a number of steps >= 0."""
    return None if horizon is None else require_int("horizon", horizon, minimum=0)


def policy_evaluation(
    mdp: TabularMDP, policy: np.ndarray, gamma: float, horizon: int | None = None
) -> np.ndarray:
    """Exact state values of a deterministic policy (Bellman expectation equation).

    Without ``horizon``, solves :math:`(I - \\gamma P_\\pi) V = r_\\pi`; with it, returns the
    expected return of the first ``horizon`` steps, :math:`V_H = r_\\pi + \\gamma P_\\pi V_{H-1}`
    from :math:`V_0 = 0` (what an environment with a time limit of ``horizon`` steps pays).

    Parameters
    ----------
    mdp : TabularMDP
        The dynamics.
    policy : array_like of int
        One action per state, shape ``(S,)``.
    gamma : float
        Discount factor in [0, 1].
    horizon : int, optional
        Number of steps (>= 0); ``None`` for no time limit.

    Returns
    -------
    numpy.ndarray
        :math:`V_\\pi`, shape ``(S,)``.

    Raises
    ------
    TypeError, ValueError
        If an argument is not as described, or, with ``gamma=1`` and no horizon, the
        policy never terminates from some state (its values would be undefined).

    Used in chapter 07.
    """
    gamma = require_fraction("gamma", gamma)
    horizon = _require_horizon(horizon)
    mdp = _require_mdp(mdp)
    return _evaluate(mdp, _require_policy(policy, mdp), gamma, horizon)


def _solver_limits(gamma: Any, tolerance: Any, max_iterations: Any) -> tuple[float, float, int]:
    """``gamma`` in [0, 1], ``tolerance`` > 0 and ``max_iterations`` >= 1, checked."""
    return (
        require_fraction("gamma", gamma),
        require_number("tolerance", tolerance, minimum=0.0, low_open=True),
        require_int("max_iterations", max_iterations, minimum=1),
    )


def value_iteration(
    mdp: TabularMDP, gamma: float, tolerance: float = 1e-12, max_iterations: int = 100_000
) -> MDPSolution:
    """Optimal values by repeating the Bellman optimality backup :math:`V \\leftarrow \\max_a Q`.

    Starts from :math:`V = 0` and stops when no value changes by more than ``tolerance``;
    the policy is greedy in the final values (ties go to the lowest action).

    Parameters
    ----------
    mdp : TabularMDP
        The dynamics.
    gamma : float
        Discount factor in [0, 1]; with 1, the values converge only if every episode ends.
    tolerance : float, default 1e-12
        Stopping threshold on the largest change of a value (positive).
    max_iterations : int, default 100000
        Backups allowed (positive).

    Returns
    -------
    MDPSolution
        Values, greedy policy and the number of backups.

    Raises
    ------
    TypeError, ValueError
        If an argument is not as described.
    RuntimeError
        If the values have not converged after ``max_iterations`` backups.

    Used in chapter 07.
    """
    gamma, tolerance, max_iterations = _solver_limits(gamma, tolerance, max_iterations)
    mdp = _require_mdp(mdp)
    values = np.zeros(mdp.rewards.shape[0])
    for iteration in range(1, max_iterations + 1):
        updated = _action_values(mdp, values, gamma).max(axis=1)
        change = np.max(np.abs(updated - values))
        values = updated
        if change <= tolerance:
            policy = _action_values(mdp, values, gamma).argmax(axis=1)
            return MDPSolution(values, policy, iteration)
    raise RuntimeError(
        f"value iteration did not converge within max_iterations={max_iterations} backups "
        f"(last change {change!r} > tolerance={tolerance!r}, gamma={gamma!r})"
    )


def policy_iteration(
    mdp: TabularMDP,
    gamma: float,
    initial_policy: np.ndarray | None = None,
    max_iterations: int = 1_000,
) -> MDPSolution:
    """Optimal policy by alternating exact evaluation and greedy improvement.

    The improvement keeps a state's action unless another is better by more than
    ``1e-12``, so ties cannot make it cycle; it stops when no action changes.

    Parameters
    ----------
    mdp : TabularMDP
        The dynamics.
    gamma : float
        Discount factor in [0, 1]; with 1, every policy met must end every episode.
    initial_policy : array_like of int, optional
        Starting policy (default: action 0 everywhere).
    max_iterations : int, default 1000
        Evaluations allowed (positive).

    Returns
    -------
    MDPSolution
        Values of the final policy, the policy and the number of evaluations.

    Raises
    ------
    TypeError, ValueError
        If an argument is not as described, or (``gamma=1``) a policy never terminates.
    RuntimeError
        If the policy still changes after ``max_iterations`` evaluations.

    Used in chapter 07.
    """
    gamma = require_fraction("gamma", gamma)
    max_iterations = require_int("max_iterations", max_iterations, minimum=1)
    mdp = _require_mdp(mdp)
    states = mdp.rewards.shape[0]
    start = np.zeros(states, dtype=np.int64) if initial_policy is None else initial_policy
    policy = _require_policy(start, mdp)
    rows = np.arange(states)
    for iteration in range(1, max_iterations + 1):
        values = _evaluate(mdp, policy, gamma, None)
        q_values = _action_values(mdp, values, gamma)
        better = q_values.max(axis=1) > q_values[rows, policy] + _TIE_TOLERANCE
        if not better.any():
            return MDPSolution(values, policy, iteration)
        policy = np.where(better, q_values.argmax(axis=1), policy)
    raise RuntimeError(
        f"policy iteration did not converge within max_iterations={max_iterations} evaluations"
    )


def expected_return(
    mdp: TabularMDP,
    policy: np.ndarray,
    initial_distribution: np.ndarray,
    gamma: float = 1.0,
    horizon: int | None = None,
) -> float:
    """Expected return of a policy from a random initial state, :math:`\\sum_s \\mu(s) V_\\pi(s)`.

    With reward 1 for reaching a goal and 0 otherwise (FrozenLake) and ``gamma=1``, this is
    the probability that an episode succeeds; ``horizon`` gives the same within a time limit.

    Parameters
    ----------
    mdp : TabularMDP
        The dynamics.
    policy : array_like of int
        One action per state, shape ``(S,)``.
    initial_distribution : array_like
        :math:`\\mu`, probabilities of the initial states, shape ``(S,)``, summing to 1
        (``env.unwrapped.initial_state_distrib``).
    gamma : float, default 1.0
        Discount factor in [0, 1].
    horizon : int, optional
        Time limit in steps (>= 0); ``None`` for none.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        If an argument is not as described (see :func:`policy_evaluation`), or
        ``initial_distribution`` has a negative entry or does not sum to 1.

    Used in chapter 07.
    """
    gamma = require_fraction("gamma", gamma)
    horizon = _require_horizon(horizon)
    mdp = _require_mdp(mdp)
    policy = _require_policy(policy, mdp)
    states = mdp.rewards.shape[0]
    mu = require_finite_array(
        "initial_distribution", initial_distribution, (states,), as_float32=False
    ).astype(float)
    if (mu < 0).any() or abs(mu.sum() - 1.0) > _SUM_TOLERANCE:
        raise ValueError(
            "initial_distribution must hold probabilities >= 0 that sum to 1, got sum "
            f"{float(mu.sum())!r} and minimum {float(mu.min())!r}"
        )
    return float(mu @ _evaluate(mdp, policy, gamma, horizon))
