"""One call that makes a chapter reproducible.

:func:`seed_everything` seeds Python's ``random``, NumPy's legacy global state
and TensorFlow/Keras, and returns a NumPy :class:`~numpy.random.Generator` for
everything else (data splits, gymnasium resets via :func:`episode_seeds`).
Chapters take the seed from one place, so a learner can rerun a chapter with
another seed and check that the asserted bands still hold.

A seed is an integer in ``[0, 2**32)``: another type raises TypeError, another
value ValueError (booleans and floats such as ``3.0`` are not seeds).
"""

from __future__ import annotations

import os
import random
import re

import numpy as np

from dlbigdata._validation import (
    SEED_LIMIT,
    require_bool,
    require_generator,
    require_int,
    require_seed,
    require_string,
)

__all__ = [
    "DEFAULT_SEED",
    "episode_seeds",
    "parse_seed",
    "seed_everything",
    "seed_from_environment",
]

DEFAULT_SEED = 0
"""The seed the chapters use unless the environment variable ``DLBIGDATA_SEED`` says otherwise."""

_LARGEST_SEED = SEED_LIMIT - 1
_DIGITS = re.compile(r"[0-9]+")


def seed_from_environment(default: int = DEFAULT_SEED) -> int:
    """Seed named by the environment variable ``DLBIGDATA_SEED``, or ``default`` when unset.

    A set but malformed variable raises ValueError, as :func:`parse_seed` does.
    Used in every chapter.
    """
    default = require_seed("default", default)
    text = os.environ.get("DLBIGDATA_SEED")
    if text is None or text == "":
        return default
    return parse_seed(text, source="DLBIGDATA_SEED")


def parse_seed(text: str, source: str = "seed") -> int:
    """Read a seed written as text (an environment variable, a command-line argument).

    ``text`` holds ASCII digits only, surrounding spaces allowed, and the number is below
    ``2**32``; otherwise ValueError names ``source`` (where the text came from) and the
    text. Used by ``make seeds``.
    """
    source = require_string("source", source)
    if not isinstance(text, str):
        raise TypeError(f"{source} must be a string, got {type(text).__name__}: {text!r}")
    digits = text.strip()
    if not _DIGITS.fullmatch(digits) or int(digits) > _LARGEST_SEED:
        raise ValueError(f"{source} must be a non-negative integer below 2**32, got {text!r}")
    return int(digits)


def seed_everything(seed: int = DEFAULT_SEED, *, tensorflow: bool = True) -> np.random.Generator:
    """Seed Python, NumPy and (optionally) TensorFlow/Keras; return a generator.

    Parameters
    ----------
    seed : int
        Integer in ``[0, 2**32)``.
    tensorflow : bool, default True
        Also seed TensorFlow/Keras (``keras.utils.set_random_seed``). Chapters
        without deep learning pass ``False`` to avoid importing TensorFlow.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with ``seed``; draw every other random number from it.

    Used in every chapter.
    """
    seed = require_seed("seed", seed)
    tensorflow = require_bool("tensorflow", tensorflow)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002  (seeding the legacy global state is the point)
    if tensorflow:
        import keras

        keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)


def episode_seeds(rng: np.random.Generator, count: int) -> list[int]:
    """Draw ``count`` distinct seeds in ``[0, 2**31)`` for ``env.reset(seed=...)`` from ``rng``.

    ``rng`` is usually the generator :func:`seed_everything` returned; ``count`` is a
    positive integer, at most ``2**31``. Used in chapter 12.
    """
    rng = require_generator("rng", rng)
    count = require_int("count", count, minimum=1, maximum=2**31)
    return [int(value) for value in rng.choice(2**31, size=count, replace=False)]
