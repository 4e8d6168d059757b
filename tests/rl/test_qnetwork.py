"""Tests of dlbigdata.rl.qnetwork: the Keras Q-network and its NumPy forward pass."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlbigdata.rl import build_q_network, numpy_q_values


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
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], other[0])


def test_a_network_without_hidden_layers_is_linear():
    network = build_q_network(3, 2, [], seed=np.int64(0))
    kernel, bias = network.get_weights()
    observations = np.eye(3, dtype=np.float32)
    assert_allclose(numpy_q_values([kernel, bias], observations), kernel + bias, rtol=1e-6)


@pytest.mark.hostile("bad_input")
def test_network_and_numpy_forward_reject_bad_input():
    with pytest.raises(ValueError, match=r"action_count must be an integer >= 1, got 0"):
        build_q_network(4, 0, (8,), seed=0)
    with pytest.raises(
        ValueError, match=r"weights must be pairs \[kernel, bias, ...\], got 3 arrays"
    ):
        numpy_q_values([np.zeros((4, 2))] * 3, np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"observations must have shape \(n, 4\), got \(4,\)"):
        numpy_q_values([np.zeros((4, 2)), np.zeros(2)], np.zeros(4))


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"seed": -1}, ValueError, "seed must be an integer >= 0, got -1"),
        ({"seed": 2**32}, ValueError, "seed must be an integer <= 4294967295, got 4294967296"),
        ({"seed": True}, TypeError, "seed must be an integer, got bool: True"),
        ({"seed": 1.0}, TypeError, "seed must be an integer, got float: 1.0"),
        ({"hidden_units": (8, 0)}, ValueError, r"hidden_units\[1\] must be an integer >= 1"),
        ({"hidden_units": 64}, TypeError, "hidden_units must be a list of integers, got int: 64"),
        ({"observation_size": 4.0}, TypeError, "observation_size must be an integer, got float"),
    ],
)
def test_build_q_network_rejects_bad_arguments(kwargs, error, message):
    arguments = {"observation_size": 4, "action_count": 2, "hidden_units": (8,), "seed": 0}
    with pytest.raises(error, match=message):
        build_q_network(**{**arguments, **kwargs})


@pytest.mark.hostile("single_string")
def test_build_q_network_refuses_a_string_of_widths():
    with pytest.raises(TypeError, match=r"hidden_units must be a list of integers, got str: '64'"):
        build_q_network(4, 2, "64", seed=0)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "weights, error, message",
    [
        (np.zeros((4, 2)), TypeError, "weights must be a list of arrays, got a ndarray"),
        ([np.zeros((4, 2)), np.zeros(3)], ValueError, r"weights\[1\] must have shape \(2,\)"),
        (
            [np.zeros(4), np.zeros(2)],
            ValueError,
            r"weights\[0\] must have shape \(inputs, units\)",
        ),
        (
            [np.zeros((4, 3)), np.zeros(3), np.zeros((2, 2)), np.zeros(2)],
            ValueError,
            r"weights\[2\] must have 3 rows to follow the previous layer, got shape \(2, 2\)",
        ),
    ],
)
def test_numpy_q_values_rejects_weights_that_do_not_chain(weights, error, message):
    with pytest.raises(error, match=message):
        numpy_q_values(weights, np.zeros((1, 4)))


@pytest.mark.hostile("nan_parameter")
def test_numpy_q_values_refuses_nan_weights_and_observations():
    weights = [np.zeros((4, 2)), np.zeros(2)]
    with pytest.raises(ValueError, match=r"observations must be finite, got np.float64.nan"):
        numpy_q_values(weights, np.array([[0.0, np.nan, 0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"weights\[1\] must be finite, got np.float64.inf"):
        numpy_q_values([weights[0], np.array([0.0, np.inf])], np.zeros((1, 4)))
