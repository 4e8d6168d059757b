"""Tests of dlbigdata.rl: replay buffer, exploration, Bellman targets, losses, agent, evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.rl import (
    DQNAgent,
    DQNConfig,
    ReplayBuffer,
    Transitions,
    bellman_targets,
    build_q_network,
    dqn_loss,
    epsilon_greedy_actions,
    epsilon_schedule,
    evaluate_policy,
    huber_loss,
    lean_policy,
    numpy_q_values,
    random_policy,
    record_frames,
    train_dqn,
)


def filled_buffer(count: int, capacity: int = 100) -> ReplayBuffer:
    """A buffer whose i-th transition has reward i, action i % 2 and observations [i, i]."""
    buffer = ReplayBuffer(capacity, 2)
    for i in range(count):
        buffer.add(np.array([i, i]), i % 2, float(i), np.array([i + 1, i + 1]), i % 3 == 0)
    return buffer


# ---------------------------------------------------------------------------
# ReplayBuffer
# ---------------------------------------------------------------------------


def test_buffer_stores_transitions_and_counts_them():
    buffer = filled_buffer(5)
    assert len(buffer) == 5 and buffer.capacity == 100
    batch = buffer.sample(200, np.random.default_rng(0))
    rewards = batch.rewards.astype(int)
    assert set(rewards) == {0, 1, 2, 3, 4}
    assert_array_equal(batch.actions, rewards % 2)
    assert_allclose(batch.observations, np.stack([rewards, rewards], axis=1))
    assert_allclose(batch.next_observations, batch.observations + 1)
    assert_array_equal(batch.terminated, (rewards % 3 == 0).astype(np.float32))


def test_buffer_sample_shapes_and_dtypes():
    batch = filled_buffer(10).sample(4, np.random.default_rng(1))
    assert isinstance(batch, Transitions)
    assert batch.observations.shape == batch.next_observations.shape == (4, 2)
    assert batch.actions.shape == batch.rewards.shape == batch.terminated.shape == (4,)
    assert batch.observations.dtype == np.float32 and batch.actions.dtype == np.int32
    assert batch.rewards.dtype == batch.terminated.dtype == np.float32


def test_buffer_samples_uniformly():
    buffer = filled_buffer(10)
    draws = buffer.sample(100_000, np.random.default_rng(2)).rewards.astype(int)
    counts = np.bincount(draws, minlength=10)
    assert_allclose(counts / len(draws), np.full(10, 0.1), atol=0.005)
    chi_square = np.sum((counts - 10_000) ** 2 / 10_000)
    assert chi_square < 27.9  # 99.9th percentile of chi-square with 9 degrees of freedom


def test_buffer_overwrites_the_oldest_transitions_when_full():
    buffer = filled_buffer(7, capacity=4)
    assert len(buffer) == 4
    seen = set(buffer.sample(500, np.random.default_rng(3)).rewards.astype(int))
    assert seen == {3, 4, 5, 6}


def test_buffer_contents_keep_insertion_order():
    assert_array_equal(filled_buffer(3, capacity=5).contents().rewards, [0, 1, 2])
    wrapped = filled_buffer(7, capacity=4).contents()
    assert_array_equal(wrapped.rewards, [3, 4, 5, 6])
    assert_array_equal(wrapped.terminated, [1, 0, 0, 1])
    assert ReplayBuffer(3, 2).contents().observations.shape == (0, 2)


def test_buffer_sampling_is_reproducible():
    buffer = filled_buffer(50)
    first = buffer.sample(8, np.random.default_rng(4))
    second = buffer.sample(8, np.random.default_rng(4))
    for a, b in zip(first, second):
        assert_array_equal(a, b)


def test_sampled_batch_is_a_copy():
    buffer = filled_buffer(3)
    batch = buffer.sample(3, np.random.default_rng(5))
    batch.rewards[:] = -1
    assert buffer.sample(50, np.random.default_rng(5)).rewards.min() >= 0


@pytest.mark.parametrize(
    "capacity, error, message",
    [
        (0, ValueError, "capacity must be an int >= 1, got 0"),
        (2.5, TypeError, "capacity must be an int >= 1, got float 2.5"),
    ],
)
def test_buffer_rejects_bad_capacity(capacity, error, message):
    with pytest.raises(error, match=message):
        ReplayBuffer(capacity, 4)


def test_buffer_rejects_bad_transitions():
    buffer = ReplayBuffer(10, 2)
    good = np.zeros(2)
    with pytest.raises(ValueError, match=r"observation must have shape \(2,\), got \(3,\)"):
        buffer.add(np.zeros(3), 0, 1.0, good, False)
    with pytest.raises(ValueError, match=r"next_observation must have shape \(2,\), got \(1, 2\)"):
        buffer.add(good, 0, 1.0, np.zeros((1, 2)), False)
    with pytest.raises(ValueError, match="observation must be finite"):
        buffer.add(np.array([0.0, np.nan]), 0, 1.0, good, False)
    with pytest.raises(ValueError, match="action must be an int >= 0, got -1"):
        buffer.add(good, -1, 1.0, good, False)
    with pytest.raises(TypeError, match="action must be an int >= 0, got float 1.0"):
        buffer.add(good, 1.0, 1.0, good, False)
    with pytest.raises(TypeError, match="terminated must be a bool, got int 1"):
        buffer.add(good, 0, 1.0, good, 1)
    with pytest.raises(TypeError, match="reward must be a number, got str 'a'"):
        buffer.add(good, 0, "a", good, False)
    with pytest.raises(ValueError, match="reward must be finite, got inf"):
        buffer.add(good, 0, float("inf"), good, False)
    assert len(buffer) == 0, "a rejected transition must not be stored"


def test_buffer_rejects_bad_sample_requests():
    buffer = filled_buffer(3)
    with pytest.raises(ValueError, match="batch_size must be an int >= 1, got 0"):
        buffer.sample(0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator, got int"):
        buffer.sample(2, 42)
    with pytest.raises(ValueError, match="cannot sample from an empty replay buffer"):
        ReplayBuffer(5, 2).sample(1, np.random.default_rng(0))


# ---------------------------------------------------------------------------
# Exploration
# ---------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(step=-1), ValueError, "step must be non-negative, got -1"),
        (dict(step=1.5), TypeError, "step must be an int or an array of ints"),
        (
            dict(step=1, start=0.1, end=0.5),
            ValueError,
            r"end \(0.5\) must not exceed start \(0.1\)",
        ),
        (dict(step=1, start=1.5), ValueError, r"start must be in \[0, 1\], got 1.5"),
        (dict(step=1, decay_steps=0), ValueError, "decay_steps must be an int >= 1, got 0"),
    ],
)
def test_epsilon_schedule_rejects_bad_input(kwargs, error, message):
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
    with pytest.raises(ValueError, match=r"epsilon must be in \[0, 1\], got -0.1"):
        epsilon_greedy_actions(q_values, -0.1, np.random.default_rng(0))


# ---------------------------------------------------------------------------
# Bellman targets and losses
# ---------------------------------------------------------------------------


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
            (np.ones(2), np.ones((2, 2)), np.zeros(3), 0.9),
            ValueError,
            r"terminated must have shape \(2,\), got \(3,\)",
        ),
        (
            (np.ones(2), np.ones((2, 2)), np.array([0, 2]), 0.9),
            ValueError,
            "terminated must hold only 0/1",
        ),
        (
            (np.ones(2), np.ones((2, 2)), np.zeros(2), 1.2),
            ValueError,
            r"gamma must be in \[0, 1\], got 1.2",
        ),
        ((np.ones(2), np.ones((2, 2)), np.zeros(2), "0.9"), TypeError, "gamma must be a number"),
    ],
)
def test_bellman_targets_reject_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        bellman_targets(*args)


def test_huber_loss_is_quadratic_then_linear():
    errors = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    assert_allclose(huber_loss(errors, 1.0), [2.5, 0.5, 0.125, 0.0, 0.125, 0.5, 2.5])
    assert_allclose(huber_loss(errors, 2.0), [4.0, 0.5, 0.125, 0.0, 0.125, 0.5, 4.0])


def test_huber_loss_matches_keras():
    import keras

    errors = np.random.default_rng(0).normal(scale=3.0, size=50).astype(np.float32)
    expected = keras.losses.Huber(delta=1.5)(np.zeros_like(errors), errors)
    assert_allclose(np.mean(huber_loss(errors, 1.5)), float(expected), rtol=1e-5)


@pytest.mark.parametrize(
    "delta, error, message",
    [
        (0.0, ValueError, "delta must be positive and finite, got 0.0"),
        (float("nan"), ValueError, "delta must be positive and finite, got nan"),
        ("1", TypeError, "delta must be a positive number, got str '1'"),
    ],
)
def test_huber_loss_rejects_bad_delta(delta, error, message):
    with pytest.raises(error, match=message):
        huber_loss(np.ones(2), delta)


def small_batch() -> Transitions:
    rng = np.random.default_rng(7)
    return Transitions(
        rng.normal(size=(6, 4)).astype(np.float32),
        rng.integers(0, 2, 6).astype(np.int32),
        np.ones(6, np.float32),
        rng.normal(size=(6, 4)).astype(np.float32),
        np.array([0, 1, 0, 0, 1, 0], np.float32),
    )


def test_dqn_loss_equals_the_formula():
    online = build_q_network(4, 2, (8,), seed=1)
    target = build_q_network(4, 2, (8,), seed=2)
    batch = small_batch()
    next_q = numpy_q_values(target.get_weights(), batch.next_observations)
    y = bellman_targets(batch.rewards, next_q, batch.terminated, 0.9)
    chosen = numpy_q_values(online.get_weights(), batch.observations)[np.arange(6), batch.actions]
    expected = np.mean(huber_loss(y - chosen, 1.0))
    assert_allclose(float(dqn_loss(online, target, batch, 0.9, 1.0)), expected, rtol=1e-5)


def test_double_dqn_loss_lets_the_online_network_choose():
    online = build_q_network(4, 2, (8,), seed=1)
    target = build_q_network(4, 2, (8,), seed=2)
    batch = small_batch()
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


# ---------------------------------------------------------------------------
# Networks and the agent
# ---------------------------------------------------------------------------


def test_numpy_forward_pass_matches_keras():
    network = build_q_network(4, 3, (16, 8), seed=0)
    observations = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    assert_allclose(
        numpy_q_values(network.get_weights(), observations),
        np.asarray(network(observations)),
        rtol=1e-5,
        atol=1e-6,
    )
    assert network.output_shape == (None, 3)


def test_network_initialisation_is_seeded():
    first = build_q_network(4, 2, (8,), seed=3).get_weights()
    again = build_q_network(4, 2, (8,), seed=3).get_weights()
    other = build_q_network(4, 2, (8,), seed=4).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])


def test_network_and_numpy_forward_reject_bad_input():
    with pytest.raises(ValueError, match="action_count must be an int >= 1, got 0"):
        build_q_network(4, 0, (8,), seed=0)
    with pytest.raises(
        ValueError, match=r"weights must be pairs \[kernel, bias, ...\], got 3 arrays"
    ):
        numpy_q_values([np.zeros((4, 2))] * 3, np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"observations must have shape \(n, 4\), got \(4,\)"):
        numpy_q_values([np.zeros((4, 2)), np.zeros(2)], np.zeros(4))


def tiny_config(**changes) -> DQNConfig:
    settings = dict(
        hidden_units=(16,),
        batch_size=8,
        learning_starts=8,
        gradient_steps=2,
        train_every=2,
        learning_rate=1e-2,
    )
    settings.update(changes)
    return DQNConfig(**settings)


def test_agent_learning_lowers_the_loss_on_a_fixed_batch():
    config = tiny_config(gradient_steps=4)
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
    agent = DQNAgent(4, 2, tiny_config(), seed=0)
    frozen = [w.copy() for w in agent.target.get_weights()]
    agent.learn([small_batch(), small_batch()])
    assert all(np.array_equal(a, b) for a, b in zip(frozen, agent.target.get_weights()))
    assert not np.array_equal(agent.online.get_weights()[0], frozen[0])
    agent.update_target()
    assert all(
        np.array_equal(a, b)
        for a, b in zip(agent.online.get_weights(), agent.target.get_weights())
    )


def test_agent_weights_round_trip_and_batch_size_check():
    agent = DQNAgent(4, 2, tiny_config(), seed=0)
    other = DQNAgent(4, 2, tiny_config(), seed=5)
    other.set_weights(agent.get_weights())
    observations = small_batch().observations
    assert_allclose(other.q_values(observations), agent.q_values(observations))
    assert_array_equal(
        other.greedy_policy(observations), agent.q_values(observations).argmax(axis=1)
    )
    with pytest.raises(ValueError, match="batches must hold at least one minibatch, got none"):
        agent.learn([])
    shorter = Transitions(*(part[:4] for part in small_batch()))
    with pytest.raises(ValueError, match=r"minibatches must have equal sizes, got sizes \[4, 6\]"):
        agent.learn([small_batch(), shorter])
    with pytest.raises(TypeError, match="config must be a DQNConfig, got dict"):
        DQNAgent(4, 2, {}, seed=0)


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(gamma=1.5), r"gamma must be in \[0, 1\], got 1.5"),
        (dict(batch_size=0), "batch_size must be an int >= 1, got 0"),
        (dict(learning_rate=0.0), "learning_rate must be a positive number, got 0.0"),
        (dict(hidden_units=()), "hidden_units must name at least one layer width"),
        (
            dict(epsilon_start=0.1, epsilon_end=0.2),
            r"epsilon_end \(0.2\) must not exceed epsilon_start",
        ),
        (
            dict(learning_starts=10, batch_size=64),
            r"learning_starts \(10\) must be at least batch_size \(64\)",
        ),
    ],
)
def test_config_rejects_bad_values(changes, message):
    with pytest.raises(ValueError, match=message):
        DQNConfig(**changes)


def test_config_rejects_a_non_boolean_double_q():
    with pytest.raises(TypeError, match="double_q must be a bool, got int 1"):
        DQNConfig(double_q=1)


# ---------------------------------------------------------------------------
# Policies, evaluation and pictures
# ---------------------------------------------------------------------------


def test_lean_policy_pushes_towards_the_lean():
    observations = np.array([[0, 0, 0.1, 0], [0, 0, -0.1, 0], [5, 5, 0.0, 1]])
    assert_array_equal(lean_policy(observations), [1, 0, 0])
    # With a velocity gain the rule also reacts to how fast the pole falls.
    assert_array_equal(lean_policy(observations, velocity_gain=0.5), [1, 0, 1])
    with pytest.raises(ValueError, match=r"observations must have shape \(n, 4\), got \(3,\)"):
        lean_policy(np.zeros(3))
    with pytest.raises(ValueError, match="velocity_gain must be a non-negative number, got -1"):
        lean_policy(observations, velocity_gain=-1)


def test_random_policy_draws_valid_actions():
    actions = random_policy(3, np.random.default_rng(0))(np.zeros((3000, 4)))
    assert set(np.unique(actions)) == {0, 1, 2}
    with pytest.raises(ValueError, match="action_count must be an int >= 1, got 0"):
        random_policy(0, np.random.default_rng(0))


def test_evaluate_policy_is_deterministic_per_seed():
    first = evaluate_policy(lean_policy, [3, 1, 2])
    again = evaluate_policy(lean_policy, [3, 1, 2])
    single = evaluate_policy(lean_policy, [1])
    assert_array_equal(first.returns, again.returns)
    assert first.returns[1] == single.returns[0], "episodes must not depend on their neighbours"
    assert_array_equal(first.returns, first.lengths)  # CartPole pays 1 per step
    assert first.total_steps == int(first.lengths.sum())
    assert first.mean_return == pytest.approx(first.returns.mean())


def test_evaluate_policy_rejects_bad_input():
    with pytest.raises(ValueError, match="seeds must name at least one episode seed"):
        evaluate_policy(lean_policy, [])
    with pytest.raises(ValueError, match=r"seeds must be distinct, got 1 duplicate\(s\)"):
        evaluate_policy(lean_policy, [1, 1])
    with pytest.raises(ValueError, match="each seed must be an int >= 0, got -3"):
        evaluate_policy(lean_policy, [-3])
    with pytest.raises(TypeError, match="policy must be callable, got int"):
        evaluate_policy(3, [1])
    with pytest.raises(ValueError, match=r"policy must return 2 actions, got shape \(1,\)"):
        evaluate_policy(lambda observations: np.zeros(1, dtype=int), [1, 2])


def test_record_frames_returns_rgb_images():
    frames, length = record_frames(lean_policy, seed=0, frame_steps=[0, 5, 10_000])
    assert len(frames) == 2, "a step after the end of the episode yields no frame"
    assert frames[0].ndim == 3 and frames[0].shape[2] == 3 and frames[0].dtype == np.uint8
    assert length == evaluate_policy(lean_policy, [0]).lengths[0]
    with pytest.raises(ValueError, match="frame_steps must name at least one step"):
        record_frames(lean_policy, seed=0, frame_steps=[])


# ---------------------------------------------------------------------------
# Training loop
# ---------------------------------------------------------------------------


def test_train_dqn_stores_truncation_as_not_terminal_and_counts_steps():
    lines = []
    config = tiny_config(max_steps=200, validate_every=100, buffer_capacity=1_000)
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
    assert len(result.buffer) == 200
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
    config = tiny_config(max_steps=1_000, validate_every=50, solved_return=5.0)
    result = train_dqn(config, seed=1, validation_seeds=[3, 4], max_episode_steps=8, log=None)
    assert result.stopped_early
    first_solved = int(np.argmax(result.validation_returns >= 5.0))
    assert result.training_steps == result.validation_at_steps[first_solved] == result.best_step
    assert len(result.validation_returns) == first_solved + 1


def test_train_dqn_is_reproducible():
    config = tiny_config(max_steps=120, validate_every=60)
    first = train_dqn(config, seed=3, validation_seeds=[1], max_episode_steps=20, log=None)
    second = train_dqn(config, seed=3, validation_seeds=[1], max_episode_steps=20, log=None)
    assert_array_equal(first.episode_returns, second.episode_returns)
    assert_allclose(first.losses, second.losses, rtol=1e-5)


def test_train_dqn_rejects_bad_arguments():
    with pytest.raises(TypeError, match="config must be a DQNConfig, got NoneType"):
        train_dqn(None, seed=0, validation_seeds=[1])
    with pytest.raises(ValueError, match="seeds must name at least one episode seed"):
        train_dqn(tiny_config(), seed=0, validation_seeds=[])
    with pytest.raises(ValueError, match="seed must be an int >= 0, got -1"):
        train_dqn(tiny_config(), seed=-1, validation_seeds=[1])
