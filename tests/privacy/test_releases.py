"""Tests of dlbigdata.privacy.releases: OpenDP Laplace releases and their composition."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlbigdata.privacy.releases import (
    build_count_release,
    build_mean_release,
    compose_releases,
    privacy_loss,
    release_repeatedly,
)


def test_count_and_mean_spend_their_epsilon_and_compose():
    count = build_count_release(0.5)
    mean = build_mean_release((0.0, 10.0), 20, 0.25)
    assert math.isclose(privacy_loss(count), 0.5, rel_tol=1e-9)
    assert math.isclose(privacy_loss(mean), 0.25, rel_tol=1e-9)
    both = compose_releases([count, mean])
    assert math.isclose(privacy_loss(both), 0.75, rel_tol=1e-9)
    outputs = both([1.0] * 20)
    assert len(outputs) == 2


def test_releases_are_near_the_truth_for_a_large_epsilon():
    values = [2.0] * 30 + [4.0] * 10
    assert abs(build_count_release(1000.0)(values) - 40) < 0.1
    assert abs(build_mean_release((0.0, 10.0), 40, 1000.0)(values) - 2.5) < 0.01


def test_repeated_releases_have_the_laplace_scale():
    noise = release_repeatedly(5.0, 2.0, 20_000) - 5.0
    # E|X| = b for Laplace(b); the standard error of the mean of |X| is b / sqrt(n).
    np.testing.assert_allclose(np.abs(noise).mean(), 2.0, rtol=0.05)


@pytest.mark.hostile("bad_input")
def test_bad_epsilon_is_refused():
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0, got 0"):
        build_count_release(0)
    with pytest.raises(TypeError, match="epsilon must be a number"):
        build_mean_release((0.0, 1.0), 5, "1")


@pytest.mark.hostile("nan_parameter")
def test_nan_epsilon_and_scale_are_refused():
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0, got nan"):
        build_count_release(float("nan"))
    with pytest.raises(ValueError, match="scale must be a finite number > 0, got nan"):
        release_repeatedly(1.0, float("nan"), 3)


@pytest.mark.hostile("bad_input")
def test_bad_bounds_and_size_are_refused():
    with pytest.raises(ValueError, match=r"bounds must satisfy lower < upper, got \(5.0, 1.0\)"):
        build_mean_release((5.0, 1.0), 10, 1.0)
    with pytest.raises(ValueError, match="size must be an integer >= 1, got 0"):
        build_mean_release((0.0, 1.0), 0, 1.0)
    with pytest.raises(TypeError, match="bounds must be a"):
        build_mean_release(1.0, 10, 1.0)


@pytest.mark.hostile("bad_input")
def test_composition_and_loss_need_measurements():
    with pytest.raises(ValueError, match="measurements must hold at least one"):
        compose_releases([])
    with pytest.raises(TypeError, match=r"measurements\[1\] must be an OpenDP Measurement"):
        compose_releases([build_count_release(1.0), 0.5])
    with pytest.raises(TypeError, match="measurement must be an OpenDP Measurement"):
        privacy_loss("count")
    with pytest.raises(ValueError, match="repeats must be an integer >= 1, got 0"):
        release_repeatedly(1.0, 1.0, 0)
