"""Tests of dlbigdata.rl.training: the DQN training loop."""

from __future__ import annotations

import numpy as np
import pytest
from factories import rl_tiny_config
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.rl import evaluate_policy, train_dqn


def test_train_dqn_stores_truncation_as_not_terminal_and_counts_steps():
    lines = []
    config = rl_tiny_config(max_steps=200, validate_every=100, buffer_capacity=1_000)
    result = train_dqn(
        config, seed=0, validation_seeds=[11, 12], max_episode_steps=10, log=lines.append
    )
    assert result.training_steps == 200 and not result.stopped_early
    assert len(lines) == 2 and "validation return" in lines[0]
    assert_array_equal(result.validation_at_steps, [100, 200])
    # Every validation episode is cut at 10 steps or ends earlier: 2 runs x 2 episodes.
    assert 2 <= result.validation_steps <= 2 * 2 * 10
    lengths = np.diff(np.concatenate([[0], result.episode_end_steps]))
    assert_array_equal(lengths, result.episode_returns)
    assert len(result.buffer) == 200 and result.buffer.action_count == 2
    stored = result.buffer.contents()
    # Ground truth from the physics: CartPole terminates when the pole passes 12 degrees or the
    # cart leaves the track. Exactly those transitions may be stored as terminal; the episodes
    # cut by the 10-step limit with the pole still up are stored as non-terminal.
    fallen = (np.abs(stored.next_observations[:, 2]) > 12 * 2 * np.pi / 360) | (
        np.abs(stored.next_observations[:, 0]) > 2.4
    )
    assert_array_equal(stored.terminated, fallen.astype(np.float32))
    truncated_episodes = len(result.episode_end_steps) - int(stored.terminated.sum())
    assert truncated_episodes >= 5, "the test needs episodes cut by the time limit"
    assert np.all(lengths <= 10)
    assert result.training_reset_seed >= 0 and result.wall_seconds > 0
    assert result.best_validation_return == result.validation_returns.max()
    # The agent comes back with the selected (best) weights: replaying the validation
    # episodes gives the best validation return again.
    replay = evaluate_policy(result.agent.greedy_policy, [11, 12], max_episode_steps=10)
    assert replay.mean_return == result.best_validation_return


def test_train_dqn_stops_at_the_first_solved_validation():
    config = rl_tiny_config(max_steps=1_000, validate_every=50, solved_return=5.0)
    result = train_dqn(config, seed=1, validation_seeds=[3, 4], max_episode_steps=8, log=None)
    assert result.stopped_early
    first_solved = int(np.argmax(result.validation_returns >= 5.0))
    assert result.training_steps == result.validation_at_steps[first_solved] == result.best_step
    assert len(result.validation_returns) == first_solved + 1


def test_train_dqn_is_reproducible():
    config = rl_tiny_config(max_steps=120, validate_every=60)
    first = train_dqn(config, seed=3, validation_seeds=[1], max_episode_steps=20, log=None)
    second = train_dqn(config, seed=3, validation_seeds=[1], max_episode_steps=20, log=None)
    assert_array_equal(first.episode_returns, second.episode_returns)
    assert_allclose(first.losses, second.losses, rtol=1e-5)


@pytest.mark.hostile("bad_input")
def test_train_dqn_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"config must be a DQNConfig, got NoneType"):
        train_dqn(None, seed=0, validation_seeds=[1])
    with pytest.raises(ValueError, match=r"validation_seeds must name at least one episode seed"):
        train_dqn(rl_tiny_config(), seed=0, validation_seeds=[])
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0, got -1"):
        train_dqn(rl_tiny_config(), seed=-1, validation_seeds=[1])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"seed": True}, TypeError, "seed must be an integer, got bool: True"),
        ({"seed": 0.0}, TypeError, "seed must be an integer, got float: 0.0"),
        ({"seed": 2**32}, ValueError, "seed must be an integer <= 4294967295"),
        ({"validation_seeds": 7}, TypeError, "validation_seeds must be a list of integers"),
        (
            {"validation_seeds": [1, 1]},
            ValueError,
            r"validation_seeds must be distinct, got \[1\]",
        ),
        ({"log": "print"}, TypeError, "log must be callable, got str: 'print'"),
        ({"max_episode_steps": -5}, ValueError, "max_episode_steps must be an integer >= 1"),
        ({"env_id": "Pendulum-v1"}, ValueError, "env_id must name an environment with discrete"),
    ],
)
def test_train_dqn_checks_every_argument_before_the_first_step(kwargs, error, message):
    arguments = {"seed": 0, "validation_seeds": [1], "log": None, "max_episode_steps": 5}
    with pytest.raises(error, match=message):
        train_dqn(rl_tiny_config(max_steps=20, validate_every=10), **{**arguments, **kwargs})


def _frozen_run_lengths(config, seed, seeds, max_episode_steps):
    """Episode lengths of the untrained greedy policy (what a run that never learns plays)."""
    from dlbigdata.rl import DQNAgent

    agent = DQNAgent(4, 2, config, seed)
    return evaluate_policy(agent.greedy_policy, seeds, max_episode_steps=max_episode_steps).lengths


# learning_starts 39, train_every 7, max_steps 40: no gradient step is ever taken, so every
# validation run plays the same fixed greedy policy and its steps can be counted exactly.
_FROZEN = {"max_steps": 40, "validate_every": 10, "learning_starts": 39, "train_every": 7}
_SEEDS = [21, 22, 23, 24, 25]


def test_sequential_validation_plays_only_the_screen_when_it_fails():
    config = rl_tiny_config(**_FROZEN, solved_return=1_000.0)
    lines = []
    result = train_dqn(
        config,
        seed=0,
        validation_seeds=_SEEDS,
        max_episode_steps=30,
        log=lines.append,
        screening_episodes=2,
    )
    screen = _frozen_run_lengths(config, 0, _SEEDS[:2], 30)
    assert len(lines) == 4 and all("( 2 episodes)" in line for line in lines)
    assert_array_equal(result.validation_episodes, [2, 2, 2, 2])
    assert result.validation_steps == 4 * int(screen.sum())
    assert result.total_environment_steps == 40 + result.validation_steps
    assert not result.stopped_early


def test_sequential_validation_plays_every_episode_when_the_screen_is_solved():
    config = rl_tiny_config(**_FROZEN, solved_return=1.0)  # every episode returns >= 1
    result = train_dqn(
        config,
        seed=0,
        validation_seeds=_SEEDS,
        max_episode_steps=30,
        log=None,
        screening_episodes=2,
    )
    every = _frozen_run_lengths(config, 0, _SEEDS, 30)
    assert result.stopped_early and result.training_steps == 10
    assert_array_equal(result.validation_episodes, [5])
    assert result.validation_steps == int(every.sum())
    assert result.total_environment_steps == 10 + int(every.sum())


def test_sequential_validation_does_not_stop_on_a_solved_screen_alone():
    probe = rl_tiny_config(**_FROZEN)
    lengths = _frozen_run_lengths(probe, 0, _SEEDS, 30)
    assert len(set(lengths.tolist())) > 1, "the test needs episodes of different lengths"
    # Longest episodes first: the screen's mean is then above the mean of all five.
    seeds = [_SEEDS[i] for i in np.argsort(-lengths, kind="stable")]
    screen_mean = float(np.sort(lengths)[::-1][:2].mean())
    config = rl_tiny_config(**_FROZEN, solved_return=screen_mean)
    result = train_dqn(
        config,
        seed=0,
        validation_seeds=seeds,
        max_episode_steps=30,
        log=None,
        screening_episodes=2,
    )
    assert_array_equal(result.validation_episodes, [5, 5, 5, 5])
    assert_allclose(result.validation_returns, lengths.mean())
    assert result.validation_steps == 4 * int(lengths.sum()) and not result.stopped_early


@pytest.mark.hostile("bad_input")
def test_train_dqn_rejects_a_screen_of_no_episodes():
    with pytest.raises(ValueError, match=r"screening_episodes must be an integer >= 1, got 0"):
        train_dqn(rl_tiny_config(), seed=0, validation_seeds=[1], screening_episodes=0)
    with pytest.raises(TypeError, match=r"screening_episodes must be an integer, got str"):
        train_dqn(rl_tiny_config(), seed=0, validation_seeds=[1], screening_episodes="3")
