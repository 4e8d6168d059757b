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
        np.random.rand(),  # noqa: NPY002  (the legacy global state is what is tested)
        rng.random(),
        float(keras.random.uniform((1,), seed=None)[0]),
    )


def test_same_seed_same_numbers_everywhere():
    assert draw_everything(7) == draw_everything(7)


def test_different_seeds_differ():
    assert draw_everything(1) != draw_everything(2)


def test_without_tensorflow_still_seeds_python_and_numpy():
    a = seed_everything(3, tensorflow=False)
    first = (random.random(), np.random.rand(), a.random())  # noqa: NPY002
    b = seed_everything(3, tensorflow=False)
    assert first == (random.random(), np.random.rand(), b.random())  # noqa: NPY002


@pytest.mark.parametrize("bad", [-1, 2**32])
def test_out_of_range_seed_is_rejected(bad):
    with pytest.raises(ValueError, match=r"seed must be an integer (>= 0|<= 4294967295), got"):
        seed_everything(bad, tensorflow=False)


@pytest.mark.parametrize("bad", [1.5, "0", None, True])
def test_non_integer_seed_is_rejected(bad):
    with pytest.raises(TypeError, match="seed must be an integer, got"):
        seed_everything(bad, tensorflow=False)


def test_episode_seeds_are_distinct_and_reproducible():
    seeds = episode_seeds(np.random.default_rng(0), 100)
    assert len(set(seeds)) == 100
    assert all(0 <= s < 2**31 for s in seeds)
    assert seeds == episode_seeds(np.random.default_rng(0), 100)


def test_episode_seeds_validate_their_arguments():
    with pytest.raises(ValueError, match="count must be an integer >= 1, got 0"):
        episode_seeds(np.random.default_rng(0), 0)
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
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
    with pytest.raises(ValueError, match=r"DLBIGDATA_SEED must be .* got '4294967296'"):
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


# --- hostile input (issue 8) ------------------------------------------------------------------


@pytest.mark.hostile("bad_input")
def test_numpy_integers_are_seeds_but_floats_and_booleans_are_not():
    assert seed_everything(np.int64(5), tensorflow=False).random() == (
        np.random.default_rng(5).random()
    )
    with pytest.raises(TypeError, match=r"seed must be an integer, got float: 3\.0"):
        seed_everything(3.0, tensorflow=False)
    with pytest.raises(TypeError, match=r"seed must be an integer, got bool: np\.True_"):
        seed_everything(np.True_, tensorflow=False)


@pytest.mark.hostile("bad_input")
def test_seed_everything_refuses_a_non_boolean_tensorflow_flag():
    with pytest.raises(TypeError, match="tensorflow must be True or False, got str: 'no'"):
        seed_everything(0, tensorflow="no")  # a truthy string once imported TensorFlow


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("text", ["\u00b2", "\u0661\u0662", "+3", "0x10", "1_000"])
def test_parse_seed_accepts_ascii_digits_only(text):
    with pytest.raises(
        ValueError,
        match=re.escape(f"seed must be a non-negative integer below 2**32, got {text!r}"),
    ):
        parse_seed(text)


@pytest.mark.hostile("bad_input")
def test_parse_seed_refuses_a_non_string():
    with pytest.raises(TypeError, match="--seeds must be a string, got int: 3"):
        parse_seed(3, source="--seeds")
    with pytest.raises(TypeError, match="source must be a string, got NoneType: None"):
        parse_seed("3", source=None)


@pytest.mark.hostile("bad_input")
def test_seed_from_environment_checks_its_default(monkeypatch):
    monkeypatch.delenv("DLBIGDATA_SEED", raising=False)
    with pytest.raises(ValueError, match="default must be an integer >= 0, got -1"):
        seed_from_environment(-1)
    monkeypatch.setenv("DLBIGDATA_SEED", " 3 ")
    assert seed_from_environment() == 3


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_episode_seeds_refuse_a_non_finite_count(bad):
    with pytest.raises(TypeError, match=f"count must be an integer, got float: {bad}"):
        episode_seeds(np.random.default_rng(0), bad)


@pytest.mark.hostile("bad_input")
def test_episode_seeds_refuse_more_seeds_than_exist():
    with pytest.raises(ValueError, match="count must be an integer <= 2147483648, got 2147483649"):
        episode_seeds(np.random.default_rng(0), 2**31 + 1)
    with pytest.raises(
        TypeError, match=r"rng must be a numpy\.random\.Generator.*got RandomState"
    ):
        episode_seeds(np.random.RandomState(0), 3)
