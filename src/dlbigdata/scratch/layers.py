"""Convolution, pooling and recurrent layers in NumPy, in Keras's conventions.

Each function computes the forward pass of one Keras layer from the layer's own weights:
channels-last images ``(n, height, width, channels)``, convolution kernels
``(kernel_height, kernel_width, in_channels, filters)``, sequences ``(n, steps,
features)``, and the recurrent weights ``kernel``, ``recurrent_kernel``, ``bias`` that
``layer.get_weights()`` returns (for the LSTM with its four gates side by side in the
order input, forget, candidate, output). Chapter 06 writes each layer as a readable loop
and checks it against these vectorised versions and against Keras.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation import (
    require_bool,
    require_choice,
    require_finite_array,
    require_int,
)

__all__ = [
    "conv2d",
    "lstm_forward",
    "pool2d",
    "simple_rnn_forward",
]

_PADDINGS = ("valid", "same")
_POOLS = ("max", "average")


def _require_images(name: str, images: Any) -> np.ndarray:
    """A finite float64 array of shape (n, height, width, channels)."""
    array = require_finite_array(
        name, images, ("n", "height", "width", "channels"), as_float32=False
    )
    if 0 in array.shape:
        raise ValueError(f"{name} must not have an empty axis, got shape {array.shape}")
    return array.astype(np.float64)


def _require_window(name: str, value: Any) -> tuple[int, int]:
    """A window or stride: a positive int or a pair of them, as ``(rows, columns)``."""
    if not isinstance(value, (tuple, list)):
        size = require_int(name, value, minimum=1)
        return size, size
    pair = tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an integer or a pair of integers, got {value!r}")
    rows = require_int(f"{name}[0]", pair[0], minimum=1)
    columns = require_int(f"{name}[1]", pair[1], minimum=1)
    return rows, columns


def _padding_amounts(size: int, window: int, stride: int, padding: str) -> tuple[int, int]:
    """Zeros before and after one axis, as TensorFlow pads for ``'valid'`` or ``'same'``.

    ``'same'`` gives ``ceil(size / stride)`` outputs and puts the odd zero at the end.
    """
    if padding == "valid":
        if window > size:
            raise ValueError(
                f"the window ({window}) must not exceed the input ({size}) with padding 'valid'"
            )
        return 0, 0
    outputs = -(-size // stride)
    total = max((outputs - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def _windows(
    images: np.ndarray,
    window: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
    fill: float,
) -> np.ndarray:
    """Every window of ``images``, shape (n, out_height, out_width, channels, rows, columns)."""
    pads = [
        _padding_amounts(images.shape[axis], window[axis - 1], strides[axis - 1], padding)
        for axis in (1, 2)
    ]
    padded = np.pad(images, [(0, 0), pads[0], pads[1], (0, 0)], constant_values=fill)
    view = np.lib.stride_tricks.sliding_window_view(padded, window, axis=(1, 2))
    return view[:, :: strides[0], :: strides[1]]


def conv2d(
    images: Any,
    kernel: Any,
    bias: Any = None,
    *,
    strides: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Two-dimensional convolution (cross-correlation) as ``keras.layers.Conv2D`` computes it.

    Parameters
    ----------
    images : array_like
        Shape ``(n, height, width, in_channels)``, finite numbers.
    kernel : array_like
        Shape ``(kernel_height, kernel_width, in_channels, filters)``, Keras's layout.
    bias : array_like, optional
        Shape ``(filters,)``; no bias when omitted.
    strides : int or (int, int), default 1
        Step of the window along rows and columns.
    padding : {'valid', 'same'}, default 'valid'
        ``'valid'`` uses only full windows; ``'same'`` pads with zeros so that the output
        has ``ceil(size / stride)`` rows and columns.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, out_height, out_width, filters)``, float64.

    Raises
    ------
    TypeError
        If an array holds no real numbers or ``strides`` is not integers.
    ValueError
        If a shape does not match, an entry is not finite, ``strides`` is not positive,
        ``padding`` is unknown or a ``'valid'`` kernel is larger than the image.

    Used in chapter 06.
    """
    images = _require_images("images", images)
    kernel = require_finite_array(
        "kernel", kernel, ("rows", "columns", images.shape[3], "filters"), as_float32=False
    )
    bias_array = np.zeros(kernel.shape[3]) if bias is None else bias
    bias_array = require_finite_array("bias", bias_array, (kernel.shape[3],), as_float32=False)
    strides = _require_window("strides", strides)
    padding = require_choice("padding", padding, _PADDINGS)
    patches = _windows(images, kernel.shape[:2], strides, padding, 0.0)
    # patches[n, y, x, c, i, j] times kernel[i, j, c, f], summed over i, j, c
    output = np.einsum("nyxcij,ijcf->nyxf", patches, kernel.astype(np.float64))
    return output + bias_array.astype(np.float64)


def pool2d(
    images: Any,
    pool_size: int | tuple[int, int] = 2,
    *,
    strides: int | tuple[int, int] | None = None,
    padding: str = "valid",
    mode: str = "max",
) -> np.ndarray:
    """Max or average pooling as ``keras.layers.MaxPooling2D``/``AveragePooling2D`` compute it.

    Parameters
    ----------
    images : array_like
        Shape ``(n, height, width, channels)``, finite numbers.
    pool_size : int or (int, int), default 2
        Window size along rows and columns.
    strides : int or (int, int), optional
        Step of the window; the window size when omitted (Keras's default).
    padding : {'valid', 'same'}, default 'valid'
        With ``'same'``, windows that reach past the border use only the image's own
        entries (the maximum or the mean of those), as TensorFlow does.
    mode : {'max', 'average'}, default 'max'
        The summary of each window.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, out_height, out_width, channels)``, float64.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`, and for an unknown ``mode``.

    Used in chapter 06.
    """
    images = _require_images("images", images)
    window = _require_window("pool_size", pool_size)
    steps = window if strides is None else _require_window("strides", strides)
    padding = require_choice("padding", padding, _PADDINGS)
    mode = require_choice("mode", mode, _POOLS)
    # Padded entries are NaN, and the NaN-ignoring reductions skip them.
    patches = _windows(images, window, steps, padding, np.nan)
    reduce = np.nanmax if mode == "max" else np.nanmean
    return reduce(patches, axis=(4, 5))


def _require_recurrence(
    inputs: Any, kernel: Any, recurrent_kernel: Any, bias: Any, gates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check a sequence batch and recurrent weights; return them as float64 arrays."""
    sequences = require_finite_array(
        "inputs", inputs, ("n", "steps", "features"), as_float32=False
    )
    if 0 in sequences.shape[:2]:
        raise ValueError(f"inputs must hold at least one step, got shape {sequences.shape}")
    kernel = require_finite_array(
        "kernel", kernel, (sequences.shape[2], "units"), as_float32=False
    )
    if kernel.shape[1] == 0 or kernel.shape[1] % gates:
        raise ValueError(
            f"kernel must have a positive multiple of {gates} columns, got shape {kernel.shape}"
        )
    units = kernel.shape[1] // gates
    recurrent = require_finite_array(
        "recurrent_kernel", recurrent_kernel, (units, units * gates), as_float32=False
    )
    bias = require_finite_array("bias", bias, (units * gates,), as_float32=False)
    return (
        sequences.astype(np.float64),
        kernel.astype(np.float64),
        recurrent.astype(np.float64),
        bias.astype(np.float64),
    )


def simple_rnn_forward(
    inputs: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any,
    *,
    return_sequences: bool = False,
) -> np.ndarray:
    """Hidden states of ``keras.layers.SimpleRNN`` (tanh), started from zeros.

    Computes :math:`h_t = \\tanh(x_t W + h_{t-1} U + b)` for every step.

    Parameters
    ----------
    inputs : array_like
        Shape ``(n, steps, features)``.
    kernel, recurrent_kernel, bias : array_like
        Shapes ``(features, units)``, ``(units, units)``, ``(units,)``: the layer's
        ``get_weights()``.
    return_sequences : bool, default False
        Return every step's state ``(n, steps, units)`` instead of the last ``(n, units)``.

    Returns
    -------
    numpy.ndarray
        The hidden states, float64.

    Raises
    ------
    TypeError, ValueError
        If an array holds no real numbers, has a wrong shape or a non-finite entry.

    Used in chapter 06.
    """
    return_sequences = require_bool("return_sequences", return_sequences)
    x, w, u, b = _require_recurrence(inputs, kernel, recurrent_kernel, bias, gates=1)
    projected = x @ w + b  # every step's input term at once
    state = np.zeros((x.shape[0], w.shape[1]))
    states = []
    for step in range(x.shape[1]):
        state = np.tanh(projected[:, step] + state @ u)
        states.append(state)
    return np.stack(states, axis=1) if return_sequences else state


def _sigmoid(values: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow for large negative inputs."""
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def lstm_forward(
    inputs: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any,
    *,
    return_sequences: bool = False,
) -> np.ndarray:
    """Hidden states of ``keras.layers.LSTM`` (tanh, sigmoid gates), started from zeros.

    The weights hold the four gates side by side in Keras's order: input ``i``, forget
    ``f``, candidate ``c`` and output ``o``; ``c_t = f * c_{t-1} + i * tanh(z_c)`` and
    ``h_t = o * tanh(c_t)``.

    Parameters
    ----------
    inputs : array_like
        Shape ``(n, steps, features)``.
    kernel, recurrent_kernel, bias : array_like
        Shapes ``(features, 4 * units)``, ``(units, 4 * units)``, ``(4 * units,)``: the
        layer's ``get_weights()``.
    return_sequences : bool, default False
        Return every step's state ``(n, steps, units)`` instead of the last ``(n, units)``.

    Returns
    -------
    numpy.ndarray
        The hidden states ``h``, float64.

    Raises
    ------
    TypeError, ValueError
        If an array holds no real numbers, has a wrong shape or a non-finite entry.

    Used in chapter 06.
    """
    return_sequences = require_bool("return_sequences", return_sequences)
    x, w, u, b = _require_recurrence(inputs, kernel, recurrent_kernel, bias, gates=4)
    units = u.shape[0]
    projected = x @ w + b
    hidden = np.zeros((x.shape[0], units))
    cell = np.zeros_like(hidden)
    states = []
    for step in range(x.shape[1]):
        z = projected[:, step] + hidden @ u
        i, f, c, o = (z[:, k * units : (k + 1) * units] for k in range(4))
        cell = _sigmoid(f) * cell + _sigmoid(i) * np.tanh(c)
        hidden = _sigmoid(o) * np.tanh(cell)
        states.append(hidden)
    return np.stack(states, axis=1) if return_sequences else hidden
