"""Tests of dlbigdata.rl.buffer: the replay buffer and its transitions."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.rl import ReplayBuffer, Transitions


def filled_buffer(count: int, capacity: int = 100, **options) -> ReplayBuffer:
    """A buffer whose i-th transition has reward i, action i % 2 and observations [i, i]."""
    buffer = ReplayBuffer(capacity, 2, **options)
    for i in range(count):
        buffer.add(np.array([i, i]), i % 2, float(i), np.array([i + 1, i + 1]), i % 3 == 0)
    return buffer


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
    for a, b in zip(first, second, strict=True):
        assert_array_equal(a, b)


def test_sampled_batch_is_a_copy():
    buffer = filled_buffer(3)
    batch = buffer.sample(3, np.random.default_rng(5))
    batch.rewards[:] = -1
    assert buffer.sample(50, np.random.default_rng(5)).rewards.min() >= 0


def test_a_batch_larger_than_the_buffer_repeats_transitions():
    """The documented choice: draws are with replacement, so batch_size may exceed len."""
    buffer = filled_buffer(3)
    batch = buffer.sample(8, np.random.default_rng(6))
    assert len(batch.rewards) == 8 and set(batch.rewards.astype(int)) <= {0, 1, 2}


def test_buffer_sizes_are_read_only():
    buffer = filled_buffer(2, capacity=4, action_count=2)
    assert (buffer.capacity, buffer.observation_size, buffer.action_count) == (4, 2, 2)
    with pytest.raises(AttributeError):
        buffer.capacity = 1


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "args, options, error, message",
    [
        ((0, 4), {}, ValueError, "capacity must be an integer >= 1, got 0"),
        ((2.5, 4), {}, TypeError, "capacity must be an integer, got float: 2.5"),
        ((True, 4), {}, TypeError, "capacity must be an integer, got bool: True"),
        ((5, -1), {}, ValueError, "observation_size must be an integer >= 1, got -1"),
        ((5, 4), {"action_count": 0}, ValueError, "action_count must be an integer >= 1, got 0"),
    ],
)
def test_buffer_rejects_bad_sizes(args, options, error, message):
    with pytest.raises(error, match=message):
        ReplayBuffer(*args, **options)


@pytest.mark.hostile("bad_input")
def test_buffer_rejects_bad_transitions():
    buffer = ReplayBuffer(10, 2)
    good = np.zeros(2)
    with pytest.raises(ValueError, match=r"observation must have shape \(2,\), got \(3,\)"):
        buffer.add(np.zeros(3), 0, 1.0, good, False)
    with pytest.raises(ValueError, match=r"next_observation must have shape \(2,\), got \(1, 2\)"):
        buffer.add(good, 0, 1.0, np.zeros((1, 2)), False)
    with pytest.raises(ValueError, match=r"observation must be finite, got np.float64.nan"):
        buffer.add(np.array([0.0, np.nan]), 0, 1.0, good, False)
    with pytest.raises(ValueError, match=r"action must be an integer >= 0, got -1"):
        buffer.add(good, -1, 1.0, good, False)
    with pytest.raises(TypeError, match=r"action must be an integer, got float: 1.0"):
        buffer.add(good, 1.0, 1.0, good, False)
    with pytest.raises(TypeError, match=r"terminated must be True or False, got int: 1"):
        buffer.add(good, 0, 1.0, good, 1)
    with pytest.raises(TypeError, match=r"reward must be a number, got str: 'a'"):
        buffer.add(good, 0, "a", good, False)
    with pytest.raises(ValueError, match=r"reward must be a finite number, got inf"):
        buffer.add(good, 0, float("inf"), good, False)
    with pytest.raises(TypeError, match=r"observation must hold real numbers, got dtype <U1"):
        buffer.add(np.array(["a", "b"]), 0, 1.0, good, False)
    with pytest.raises(
        TypeError, match=r"next_observation must hold real numbers, got dtype bool"
    ):
        buffer.add(good, 0, 1.0, np.array([True, False]), False)
    assert len(buffer) == 0, "a rejected transition must not be stored"


@pytest.mark.hostile("bad_input")
def test_buffer_accepts_numpy_scalars_and_lists():
    buffer = ReplayBuffer(3, 2, action_count=2)
    buffer.add([1, 2], np.int64(1), np.float32(0.5), (2.0, 3.0), np.bool_(True))
    stored = buffer.contents()
    assert_array_equal(stored.observations, [[1, 2]])
    assert stored.actions.tolist() == [1] and stored.rewards.tolist() == [0.5]
    assert stored.terminated.tolist() == [1.0]


BAD_TRANSITIONS = {
    "observation too long": (np.zeros(3), 0, 1.0, np.zeros(2), False),
    "NaN in next observation": (np.zeros(2), 0, 1.0, np.array([0.0, np.nan]), False),
    "inf in observation": (np.array([np.inf, 0.0]), 0, 1.0, np.zeros(2), False),
    "observation overflows float32": (np.array([1e300, 0.0]), 0, 1.0, np.zeros(2), False),
    "action beyond action_count": (np.zeros(2), 2, 1.0, np.zeros(2), False),
    "action beyond int32": (np.zeros(2), 2**40, 1.0, np.zeros(2), False),
    "negative action": (np.zeros(2), -1, 1.0, np.zeros(2), False),
    "bool action": (np.zeros(2), True, 1.0, np.zeros(2), False),
    "NaN reward": (np.zeros(2), 0, float("nan"), np.zeros(2), False),
    "reward overflows float32": (np.zeros(2), 0, 1e300, np.zeros(2), False),
    "reward is a string": (np.zeros(2), 0, "1", np.zeros(2), False),
    "terminated is a string": (np.zeros(2), 0, 1.0, np.zeros(2), "no"),
    "terminated is None": (np.zeros(2), 0, 1.0, np.zeros(2), None),
}


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("count", [3, 4, 6], ids=["partly filled", "just full", "wrapped"])
@pytest.mark.parametrize("transition", BAD_TRANSITIONS.values(), ids=BAD_TRANSITIONS.keys())
def test_a_rejected_add_leaves_the_buffer_exactly_as_it_was(count, transition):
    buffer = filled_buffer(count, capacity=4, action_count=2)
    before = buffer.contents()
    with pytest.raises((TypeError, ValueError)):
        buffer.add(*transition)
    assert len(buffer) == min(count, 4)
    for kept, was in zip(buffer.contents(), before, strict=True):
        assert_array_equal(kept, was)
    # The ring position did not move either: the next good add replaces the oldest.
    buffer.add(np.array([9, 9]), 1, 9.0, np.array([9, 9]), False)
    assert_array_equal(buffer.contents().rewards, [*before.rewards[-3:], 9.0][-4:])


@pytest.mark.hostile("state_corruption")
def test_a_reward_too_large_for_float32_is_refused_not_stored_as_inf():
    buffer = filled_buffer(4, capacity=4)
    with pytest.raises(ValueError, match=r"reward must fit a float32 .*, got 1e\+300"):
        buffer.add(np.zeros(2), 0, 1e300, np.zeros(2), False)
    with pytest.raises(
        ValueError, match=r"each entry of observation must fit a float32 .*1e\+300"
    ):
        buffer.add(np.array([1e300, 0.0]), 0, 1.0, np.zeros(2), False)
    assert np.isfinite(buffer.contents().rewards).all()
    assert_array_equal(buffer.contents().rewards, [0, 1, 2, 3])


@pytest.mark.hostile("state_corruption")
def test_an_action_outside_the_action_set_is_refused():
    with pytest.raises(ValueError, match=r"action must be an integer <= 1, got 2"):
        filled_buffer(1, action_count=2).add(np.zeros(2), 2, 1.0, np.zeros(2), False)
    with pytest.raises(
        ValueError, match=r"action must be an integer <= 2147483647, got 1099511627776"
    ):
        filled_buffer(1).add(np.zeros(2), 2**40, 1.0, np.zeros(2), False)


@pytest.mark.hostile("bad_input")
def test_buffer_rejects_bad_sample_requests():
    buffer = filled_buffer(3)
    with pytest.raises(ValueError, match=r"batch_size must be an integer >= 1, got 0"):
        buffer.sample(0, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"batch_size must be an integer, got float: 2.0"):
        buffer.sample(2.0, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator .*, got int: 42"):
        buffer.sample(2, 42)
    with pytest.raises(ValueError, match=r"cannot sample from an empty replay buffer"):
        ReplayBuffer(5, 2).sample(1, np.random.default_rng(0))
