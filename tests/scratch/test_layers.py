"""Tests of dlbigdata.scratch.layers: NumPy convolution, pooling, SimpleRNN and LSTM."""

from __future__ import annotations

import numpy as np
import pytest

from dlbigdata.scratch.layers import conv2d, lstm_forward, pool2d, simple_rnn_forward

keras = pytest.importorskip("keras")

TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


def _images(seed: int = 0, shape: tuple[int, ...] = (2, 7, 6, 3)) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def test_conv2d_by_hand():
    images = np.arange(9.0).reshape(1, 3, 3, 1)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]]).reshape(2, 2, 1, 1)
    expected = np.array([[-4.0, -4.0], [-4.0, -4.0]]).reshape(1, 2, 2, 1) + 0.5
    np.testing.assert_allclose(conv2d(images, kernel, [0.5]), expected)
    same = conv2d(images, kernel, padding="same")  # one zero row and column at the end
    np.testing.assert_allclose(same[0, :, :, 0], [[-4, -4, 2], [-4, -4, 5], [6, 7, 8]])


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides", [1, 2, (2, 3)])
def test_conv2d_matches_keras(padding, strides):
    images = _images()
    layer = keras.layers.Conv2D(4, (3, 2), strides=strides, padding=padding)
    expected = np.asarray(layer(images))
    kernel, bias = layer.get_weights()
    bias = np.random.default_rng(1).normal(size=bias.shape).astype(np.float32)
    layer.set_weights([kernel, bias])
    expected = np.asarray(layer(images))
    got = conv2d(images, kernel, bias, strides=strides, padding=padding)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **TOLERANCE)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize(("pool_size", "strides"), [(2, None), (3, 2), ((2, 3), (1, 2))])
def test_pool2d_matches_keras(padding, pool_size, strides):
    images = _images(2)
    for mode, layer_class in (
        ("max", keras.layers.MaxPooling2D),
        ("average", keras.layers.AveragePooling2D),
    ):
        layer = layer_class(pool_size, strides=strides, padding=padding)
        expected = np.asarray(layer(images))
        got = pool2d(images, pool_size, strides=strides, padding=padding, mode=mode)
        assert got.shape == expected.shape, mode
        np.testing.assert_allclose(got, expected, **TOLERANCE)


def test_pool2d_same_padding_ignores_the_border():
    images = -np.ones((1, 3, 3, 1))  # a zero pad would win the maximum and lower the mean
    np.testing.assert_allclose(pool2d(images, 2, padding="same"), -np.ones((1, 2, 2, 1)))
    np.testing.assert_allclose(
        pool2d(images, 2, padding="same", mode="average"), -np.ones((1, 2, 2, 1))
    )


@pytest.mark.parametrize("return_sequences", [False, True])
def test_simple_rnn_matches_keras(return_sequences):
    inputs = _images(3, (4, 9, 5))
    layer = keras.layers.SimpleRNN(
        6, return_sequences=return_sequences, bias_initializer="random_normal"
    )
    expected = np.asarray(layer(inputs))
    got = simple_rnn_forward(inputs, *layer.get_weights(), return_sequences=return_sequences)
    np.testing.assert_allclose(got, expected, **TOLERANCE)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_lstm_matches_keras(return_sequences):
    inputs = _images(4, (4, 9, 5))
    layer = keras.layers.LSTM(
        6, return_sequences=return_sequences, bias_initializer="random_normal"
    )
    expected = np.asarray(layer(inputs))
    got = lstm_forward(inputs, *layer.get_weights(), return_sequences=return_sequences)
    np.testing.assert_allclose(got, expected, **TOLERANCE)


def test_lstm_gate_order_is_input_forget_candidate_output():
    units = 1
    kernel = np.zeros((1, 4 * units))
    recurrent = np.zeros((units, 4 * units))
    bias = np.array([50.0, -50.0, 50.0, 50.0])  # i = 1, f = 0, candidate 1, o = 1
    one_step = lstm_forward(np.ones((1, 1, 1)), kernel, recurrent, bias)
    np.testing.assert_allclose(one_step, [[np.tanh(1.0)]])
    closed_input = lstm_forward(np.ones((1, 1, 1)), kernel, recurrent, bias[[1, 0, 2, 3]])
    np.testing.assert_allclose(closed_input, [[0.0]], atol=1e-12)


def test_integer_inputs_are_accepted():
    images = np.arange(16).reshape(1, 4, 4, 1)
    np.testing.assert_allclose(pool2d(images, 2)[0, :, :, 0], [[5, 7], [13, 15]])


@pytest.mark.hostile("bad_input")
def test_conv2d_rejects_bad_input():
    images, kernel = _images(), np.ones((3, 3, 3, 2))
    with pytest.raises(ValueError, match=r"images must have shape \(n, height, width"):
        conv2d(images[0], kernel)
    with pytest.raises(ValueError, match=r"kernel must have shape \(rows, columns, 3, filters\)"):
        conv2d(images, np.ones((3, 3, 2, 2)))
    with pytest.raises(ValueError, match=r"bias must have shape \(2,\), got \(3,\)"):
        conv2d(images, kernel, np.zeros(3))
    with pytest.raises(ValueError, match="padding must be one of"):
        conv2d(images, kernel, padding="full")
    with pytest.raises(ValueError, match=r"strides\[1\] must be an integer >= 1, got 0"):
        conv2d(images, kernel, strides=(1, 0))
    with pytest.raises(TypeError, match=r"strides must be an integer, got float: 1.5"):
        conv2d(images, kernel, strides=1.5)
    with pytest.raises(ValueError, match=r"the window \(9\) must not exceed the input \(7\)"):
        conv2d(images, np.ones((9, 1, 3, 1)))
    with pytest.raises(TypeError, match="images must hold real numbers, got dtype <U1"):
        conv2d(np.full((1, 2, 2, 1), "a"), kernel)


@pytest.mark.hostile("nan_parameter")
def test_layers_refuse_non_finite_numbers():
    images = _images()
    images[0, 1, 2, 0] = np.nan
    with pytest.raises(ValueError, match=r"images must be finite, got .*nan"):
        conv2d(images, np.ones((2, 2, 3, 1)))
    with pytest.raises(ValueError, match=r"images must be finite, got .*nan"):
        pool2d(images)
    weights = [np.ones((2, 4)), np.ones((1, 4)), np.array([0.0, np.inf, 0.0, 0.0])]
    with pytest.raises(ValueError, match=r"bias must be finite, got .*inf"):
        lstm_forward(np.ones((1, 3, 2)), *weights)


@pytest.mark.hostile("bad_input")
def test_pool2d_rejects_bad_input():
    images = _images()
    with pytest.raises(ValueError, match=r"mode must be one of .*got 'min'"):
        pool2d(images, mode="min")
    with pytest.raises(
        ValueError, match=r"pool_size must be an integer or a pair .*got \(2, 2, 2\)"
    ):
        pool2d(images, (2, 2, 2))
    with pytest.raises(ValueError, match=r"images must not have an empty axis, got shape"):
        pool2d(np.ones((0, 4, 4, 1)))
    with pytest.raises(TypeError, match="pool_size must be an integer, got bool"):
        pool2d(images, True)


@pytest.mark.hostile("single_string")
def test_pool2d_refuses_a_string_window():
    with pytest.raises(TypeError, match=r"pool_size must be an integer, got str: '22'"):
        pool2d(_images(), "22")


@pytest.mark.hostile("bad_input")
def test_simple_rnn_forward_rejects_bad_input():
    inputs = np.ones((2, 3, 4))
    weights = [np.ones((4, 5)), np.ones((5, 5)), np.ones(5)]
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, steps, features\)"):
        simple_rnn_forward(inputs[0], *weights)
    with pytest.raises(ValueError, match=r"kernel must have shape \(4, units\), got \(3, 5\)"):
        simple_rnn_forward(inputs, np.ones((3, 5)), *weights[1:])
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape \(5, 5\)"):
        simple_rnn_forward(inputs, weights[0], np.ones((4, 5)), weights[2])
    with pytest.raises(ValueError, match="inputs must hold at least one step"):
        simple_rnn_forward(np.ones((2, 0, 4)), *weights)
    with pytest.raises(TypeError, match="return_sequences must be True or False, got str"):
        simple_rnn_forward(inputs, *weights, return_sequences="yes")


@pytest.mark.hostile("bad_input")
def test_lstm_forward_rejects_bad_input():
    inputs = np.ones((2, 3, 4))
    with pytest.raises(ValueError, match=r"kernel must have a positive multiple of 4 columns"):
        lstm_forward(inputs, np.ones((4, 6)), np.ones((1, 6)), np.ones(6))
    with pytest.raises(ValueError, match=r"bias must have shape \(8,\), got \(2,\)"):
        lstm_forward(inputs, np.ones((4, 8)), np.ones((2, 8)), np.ones(2))
    with pytest.raises(TypeError, match="inputs must hold real numbers, got dtype bool"):
        lstm_forward(inputs > 0, np.ones((4, 8)), np.ones((2, 8)), np.ones(8))
