"""Differentially private releases of a count and a mean with OpenDP's Laplace mechanism.

A measurement is epsilon-differentially private when changing one person's record changes
the probability of any output by at most a factor ``exp(epsilon)`` (Dwork et al. 2006).
The Laplace mechanism adds noise of scale ``sensitivity / epsilon``; running several
measurements on the same data spends the sum of their epsilons (basic composition).

OpenDP marks these constructors as contributed code: they need
``opendp.prelude.enable_features("contrib")``, which every builder here calls. OpenDP
draws its noise from the operating system's secure generator, so releases cannot be
seeded (by design: a seeded noise is a predictable noise).

Used in chapter 25.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import opendp.prelude as dp

from dlbigdata._validation import require_int, require_number, require_type

__all__ = [
    "build_count_release",
    "build_mean_release",
    "compose_releases",
    "privacy_loss",
    "release_repeatedly",
]


def _epsilon(epsilon: Any) -> float:
    return require_number("epsilon", epsilon, minimum=0.0, low_open=True)


def _input_space() -> tuple[Any, Any]:
    dp.enable_features("contrib")
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False))
    return domain, dp.symmetric_distance()


def build_count_release(epsilon: float) -> dp.Measurement:
    """An epsilon-DP count of a list of floats: the count plus Laplace(1/epsilon) noise.

    Adding or removing one record changes the count by 1, so its sensitivity is 1 and
    the guarantee is per *record*. A person with several records is protected at
    ``privacy_loss(measurement, neighbours=records)``, up to that many times the
    epsilon (group privacy): keep one record per person to protect people.

    Raises
    ------
    ValueError
        If ``epsilon`` is not a positive finite number.

    Used in chapter 25.
    """
    scale = 1.0 / _epsilon(epsilon)
    space = _input_space()
    return space >> dp.t.then_count(TO=float) >> dp.m.then_laplace(scale=scale)


def build_mean_release(bounds: tuple[float, float], size: int, epsilon: float) -> dp.Measurement:
    """An epsilon-DP mean of ``size`` floats clamped to ``bounds``.

    The data are clamped into ``bounds`` and resized to ``size`` records (the size is
    public), so one person moves the mean by at most ``(upper - lower) / size``; OpenDP
    states the exact sensitivity (``measurement.map(1)`` is the epsilon spent) and the
    Laplace scale is set from it.

    Raises
    ------
    TypeError
        If ``bounds`` is not a pair of numbers.
    ValueError
        If the bounds are not increasing, ``size`` < 1 or ``epsilon`` <= 0.

    Used in chapter 25.
    """
    require_type("bounds", bounds, (tuple, list), "a (lower, upper) pair")
    if len(bounds) != 2:
        raise ValueError(f"bounds must be a (lower, upper) pair, got {bounds!r}")
    lower = require_number("bounds[0]", bounds[0])
    upper = require_number("bounds[1]", bounds[1])
    if not lower < upper:
        raise ValueError(f"bounds must satisfy lower < upper, got {bounds!r}")
    size = require_int("size", size, minimum=1)
    epsilon = _epsilon(epsilon)
    mean = (
        _input_space()
        >> dp.t.then_clamp((lower, upper))
        >> dp.t.then_resize(size=size, constant=(lower + upper) / 2)
        >> dp.t.then_mean()
    )
    sensitivity = float(mean.map(1))
    return mean >> dp.m.then_laplace(scale=sensitivity / epsilon)


def privacy_loss(measurement: dp.Measurement, neighbours: int = 1) -> float:
    """The epsilon a measurement spends when ``neighbours`` records change.

    Used in chapter 25.
    """
    require_type("measurement", measurement, dp.Measurement, "an OpenDP Measurement")
    neighbours = require_int("neighbours", neighbours, minimum=1)
    return float(measurement.map(neighbours))


def compose_releases(measurements: Sequence[dp.Measurement]) -> dp.Measurement:
    """One measurement that runs all ``measurements`` on the same data (basic composition).

    Its epsilon is the sum of theirs; its output is the list of their outputs.

    Raises
    ------
    TypeError
        If an entry is not an OpenDP Measurement.
    ValueError
        If ``measurements`` is empty.

    Used in chapter 25.
    """
    require_type("measurements", measurements, (list, tuple), "a list of Measurements")
    if not measurements:
        raise ValueError("measurements must hold at least one Measurement, got none")
    for index, measurement in enumerate(measurements):
        require_type(
            f"measurements[{index}]", measurement, dp.Measurement, "an OpenDP Measurement"
        )
    dp.enable_features("contrib")
    return dp.c.make_composition(list(measurements))


def release_repeatedly(true_value: float, scale: float, repeats: int) -> np.ndarray:
    """``repeats`` independent Laplace releases of one exact answer, in one OpenDP call.

    OpenDP's vector Laplace mechanism adds independent noise of ``scale`` to each entry of
    ``[true_value] * repeats``: the same distribution as calling a release ``repeats``
    times, thousands of times faster. It is for measuring the noise: publishing all of them
    would spend ``repeats`` times the epsilon.

    Raises
    ------
    ValueError
        If ``true_value`` is not finite, ``scale`` <= 0 or ``repeats`` < 1.

    Used in chapter 25.
    """
    value = require_number("true_value", true_value)
    scale = require_number("scale", scale, minimum=0.0, low_open=True)
    repeats = require_int("repeats", repeats, minimum=1)
    dp.enable_features("contrib")
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False))
    laplace = dp.m.make_laplace(domain, dp.l1_distance(T=float), scale=scale)
    return np.asarray(laplace([value] * repeats), dtype=float)
