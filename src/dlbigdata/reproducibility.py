"""One call that makes a chapter reproducible.

:func:`seed_everything` seeds Python's ``random``, NumPy's legacy global state
and TensorFlow/Keras, and returns a NumPy :class:`~numpy.random.Generator` for
everything else (data splits, gymnasium resets via :func:`episode_seeds`).
Chapters take the seed from one place, so a learner can rerun a chapter with
another seed and check that the asserted bands still hold.
"""

from __future__ import annotations

import os
import random

import numpy as np

__all__ = [
    "DEFAULT_SEED",
    "episode_seeds",
    "parse_seed",
    "seed_everything",
    "seed_from_environment",
]

DEFAULT_SEED = 0
"""The seed the chapters use unless the environment variable ``DLBIGDATA_SEED`` says otherwise."""


def _validate_seed(seed: object) -> int:
    """Return ``seed`` as an int, or raise if it is not a non-negative integer."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a non-negative int, got {type(seed).__name__} {seed!r}")
    if seed < 0 or seed >= 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    return int(seed)


def seed_from_environment(default: int = DEFAULT_SEED) -> int:
    """Seed named by ``DLBIGDATA_SEED``, or ``default`` when it is unset.

    Parameters
    ----------
    default : int
        Seed used when the variable is not set.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    ValueError
        If the variable is set but is not a non-negative integer.
    """
    text = os.environ.get("DLBIGDATA_SEED")
    if text is None or text == "":
        return _validate_seed(default)
    return parse_seed(text, source="DLBIGDATA_SEED")


def parse_seed(text: str, source: str = "seed") -> int:
    """Read a seed written as text (an environment variable, a command-line argument).

    Parameters
    ----------
    text : str
        The seed as typed, surrounding spaces allowed.
    source : str
        Where the text came from, for the error message.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    ValueError
        If ``text`` is not a non-negative integer below ``2**32``.
    """
    if not text.strip().isdigit() or int(text) >= 2**32:
        raise ValueError(f"{source} must be a non-negative integer below 2**32, got {text!r}")
    return int(text)


def seed_everything(seed: int = DEFAULT_SEED, *, tensorflow: bool = True) -> np.random.Generator:
    """Seed Python, NumPy and (optionally) TensorFlow/Keras; return a generator.

    Parameters
    ----------
    seed : int
        Non-negative integer below ``2**32``.
    tensorflow : bool, default True
        Also seed TensorFlow/Keras (``keras.utils.set_random_seed``). Chapters
        without deep learning pass ``False`` to avoid importing TensorFlow.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with ``seed``; draw every other random number from it.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative or too large.
    """
    seed = _validate_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    if tensorflow:
        import keras

        keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)


def episode_seeds(rng: np.random.Generator, count: int) -> list[int]:
    """Draw ``count`` distinct seeds for ``env.reset(seed=...)`` from ``rng``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Usually the one :func:`seed_everything` returned.
    count : int
        How many episode seeds to draw (positive).

    Returns
    -------
    list of int
        Distinct integers in ``[0, 2**31)``, ready for gymnasium.

    Raises
    ------
    TypeError
        If ``rng`` is not a NumPy generator.
    ValueError
        If ``count`` is not a positive integer.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count <= 0:
        raise ValueError(f"count must be a positive int, got {count!r}")
    return [int(value) for value in rng.choice(2**31, size=int(count), replace=False)]
