"""The Q-network: :func:`build_q_network` in Keras and its NumPy twin :func:`numpy_q_values`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlbigdata._validation import describe, require_finite_array, require_int, require_seed
from dlbigdata.rl._checks import require_widths

__all__ = ["build_q_network", "numpy_q_values"]


def build_q_network(
    observation_size: int, action_count: int, hidden_units: Sequence[int], seed: int
):
    """A ReLU perceptron with one linear output per action: :math:`Q_\\theta(s, \\cdot)`.

    Parameters
    ----------
    observation_size, action_count : int
        Input and output sizes (positive).
    hidden_units : sequence of int
        Width of each hidden layer (positive); empty for a linear Q-function.
    seed : int
        Seed of the weight initialisers, in ``[0, 2**32)`` (layer ``i`` uses ``seed + i``).

    Returns
    -------
    keras.Sequential
        The (built) network.

    Raises
    ------
    TypeError, ValueError
        If a size or the seed is not a positive (non-negative) integer, or ``hidden_units``
        is not a sequence of them.

    Used in chapter 12.
    """
    import keras

    observation_size = require_int("observation_size", observation_size, minimum=1)
    action_count = require_int("action_count", action_count, minimum=1)
    widths = require_widths("hidden_units", hidden_units, allow_empty=True)
    seed = require_seed("seed", seed)
    layers = [keras.Input((observation_size,))]
    for index, width in enumerate(widths):
        layers.append(
            keras.layers.Dense(
                width,
                activation="relu",
                kernel_initializer=keras.initializers.GlorotUniform(seed=seed + index),
            )
        )
    layers.append(
        keras.layers.Dense(
            action_count,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + len(widths)),
        )
    )
    return keras.Sequential(layers)


def _require_weights(weights: Any) -> list[np.ndarray]:
    """Kernels and biases ``[W1, b1, W2, b2, ...]`` whose shapes chain, all finite."""
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
        raise TypeError(f"weights must be a list of arrays, got {describe(weights)}")
    if len(weights) == 0 or len(weights) % 2:
        raise ValueError(f"weights must be pairs [kernel, bias, ...], got {len(weights)} arrays")
    arrays: list[np.ndarray] = []
    for layer in range(len(weights) // 2):
        kernel = require_finite_array(
            f"weights[{2 * layer}]", weights[2 * layer], ("inputs", "units"), as_float32=False
        )
        width = kernel.shape[1]
        bias = require_finite_array(
            f"weights[{2 * layer + 1}]", weights[2 * layer + 1], (width,), as_float32=False
        )
        if arrays and kernel.shape[0] != arrays[-1].shape[0]:
            raise ValueError(
                f"weights[{2 * layer}] must have {arrays[-1].shape[0]} rows to follow the "
                f"previous layer, got shape {kernel.shape}"
            )
        arrays += [kernel, bias]
    return arrays


def _forward(weights: Sequence[np.ndarray], observations: np.ndarray) -> np.ndarray:
    """The forward pass itself, on checked weights and float32 observations."""
    hidden = observations
    last = len(weights) // 2 - 1
    for layer in range(last + 1):
        hidden = hidden @ weights[2 * layer] + weights[2 * layer + 1]
        if layer < last:
            hidden = np.maximum(hidden, 0.0)
    return hidden


def numpy_q_values(weights: Sequence[np.ndarray], observations: np.ndarray) -> np.ndarray:
    """Forward pass of :func:`build_q_network` in NumPy (fast for one observation at a time).

    Parameters
    ----------
    weights : sequence of numpy.ndarray
        Kernels and biases in Keras order ``[W1, b1, W2, b2, ...]``, finite.
    observations : numpy.ndarray
        Shape ``(n, observation_size)``, finite.

    Returns
    -------
    numpy.ndarray
        Action values, shape ``(n, action_count)``.

    Raises
    ------
    TypeError
        If ``weights`` is not a list of arrays or an array does not hold real numbers.
    ValueError
        If there is not an even, non-zero number of weight arrays, their shapes do not
        chain, or a weight or an observation is not finite or has the wrong shape.

    Used in chapter 12.
    """
    weights = _require_weights(weights)
    observations = require_finite_array("observations", observations, ("n", weights[0].shape[0]))
    return _forward(weights, observations)
