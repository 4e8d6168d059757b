"""Tests of dlbigdata.reproducibility: one seed makes every generator repeat itself."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from dlbigdata.reproducibility import (
    episode_seeds,
    parse_seed,
    seed_everything,
    seed_from_environment,
)


def draw_everything(seed: int) -> tuple:
    rng = seed_everything(seed)
    import keras

    return (
        random.random(),
        np.random.rand(),
        rng.random(),
        float(keras.random.uniform((1,), seed=None)[0]),
    )


def test_same_seed_same_numbers_everywhere():
    assert draw_everything(7) == draw_everything(7)


def test_different_seeds_differ():
    assert draw_everything(1) != draw_everything(2)


def test_without_tensorflow_still_seeds_python_and_numpy():
    a = seed_everything(3, tensorflow=False)
    first = (random.random(), np.random.rand(), a.random())
    b = seed_everything(3, tensorflow=False)
    assert first == (random.random(), np.random.rand(), b.random())


@pytest.mark.parametrize("bad", [-1, 2**32])
def test_out_of_range_seed_is_rejected(bad):
    with pytest.raises(ValueError, match=r"seed must be in \[0, 2\*\*32\)"):
        seed_everything(bad, tensorflow=False)


@pytest.mark.parametrize("bad", [1.5, "0", None, True])
def test_non_integer_seed_is_rejected(bad):
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        seed_everything(bad, tensorflow=False)


def test_episode_seeds_are_distinct_and_reproducible():
    seeds = episode_seeds(np.random.default_rng(0), 100)
    assert len(set(seeds)) == 100
    assert all(0 <= s < 2**31 for s in seeds)
    assert seeds == episode_seeds(np.random.default_rng(0), 100)


def test_episode_seeds_validate_their_arguments():
    with pytest.raises(ValueError, match="count must be a positive int, got 0"):
        episode_seeds(np.random.default_rng(0), 0)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        episode_seeds(42, 3)


def test_seed_from_environment(monkeypatch):
    monkeypatch.delenv("DLBIGDATA_SEED", raising=False)
    assert seed_from_environment() == 0
    monkeypatch.setenv("DLBIGDATA_SEED", "2")
    assert seed_from_environment() == 2
    monkeypatch.setenv("DLBIGDATA_SEED", "two")
    with pytest.raises(
        ValueError, match=r"DLBIGDATA_SEED must be a non-negative integer below 2\*\*32, got 'two'"
    ):
        seed_from_environment()
    monkeypatch.setenv("DLBIGDATA_SEED", str(2**32))
    with pytest.raises(ValueError, match="DLBIGDATA_SEED must be .* got '4294967296'"):
        seed_from_environment()


@pytest.mark.parametrize("text", ["-1", "two", "1.5", "", " ", str(2**32)])
def test_parse_seed_names_the_source_and_the_value(text):
    expected = (
        rf"--seeds must be a non-negative integer below 2\*\*32, got {re.escape(repr(text))}"
    )
    with pytest.raises(ValueError, match=expected):
        parse_seed(text, source="--seeds")


def test_parse_seed_accepts_digits_with_spaces():
    assert [parse_seed(text) for text in ("0", " 7 ", str(2**32 - 1))] == [0, 7, 2**32 - 1]
