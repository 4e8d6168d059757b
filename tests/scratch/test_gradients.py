"""Tests of dlbigdata.scratch.gradients: finite-difference gradients, relative errors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlbigdata.scratch import numerical_gradient, relative_error


def test_numerical_gradient_of_a_quadratic_form_is_exact_up_to_rounding():
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(4, 4))
    point = rng.normal(size=4)
    gradient = numerical_gradient(lambda x: x @ matrix @ x, point)
    # A quadratic has a zero third derivative: central differences are exact but for
    # rounding.
    assert_allclose(gradient, (matrix + matrix.T) @ point, rtol=1e-8, atol=1e-8)


def test_numerical_gradient_keeps_the_shape_and_the_point():
    rng = np.random.default_rng(1)
    point = rng.normal(size=(2, 3, 2))
    before = point.copy()
    gradient = numerical_gradient(lambda x: np.sum(np.sin(x) * x), point)
    assert gradient.shape == point.shape and gradient.dtype == np.float64
    assert_allclose(gradient, np.cos(point) * point + np.sin(point), rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(point, before)


def test_numerical_gradient_accepts_integers_and_scalars():
    assert_allclose(numerical_gradient(lambda x: float(np.sum(x**3)), [1, 2]), [3, 12], rtol=1e-8)
    assert_allclose(numerical_gradient(lambda x: np.exp(x), 0.0), 1.0, rtol=1e-9)


def test_numerical_gradient_error_shrinks_with_the_square_of_the_step():
    point = np.array([0.7])
    exact = np.cos(point)
    coarse = abs(numerical_gradient(lambda x: np.sin(x[0]), point, step=1e-2) - exact)[0]
    fine = abs(numerical_gradient(lambda x: np.sin(x[0]), point, step=1e-3) - exact)[0]
    assert 80 <= coarse / fine <= 120, (coarse, fine)  # second order: ratio about 100


def test_numerical_gradient_sees_a_function_that_changes_the_array():
    calls = []

    def recorder(x):
        calls.append(x.copy())
        return float(x.sum())

    numerical_gradient(recorder, np.zeros(2), step=0.5)
    assert_allclose(calls, [[0.5, 0.0], [-0.5, 0.0], [0.0, 0.5], [0.0, -0.5]])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (("not callable", np.ones(2)), TypeError, "function must be callable"),
        ((np.sum, "12"), TypeError, "point must hold real numbers"),
        ((np.sum, [True, False]), TypeError, "point must hold real numbers"),
        ((np.sum, np.array([1.0, np.nan])), ValueError, "point must be finite.*nan"),
        ((np.sum, np.ones((0, 3))), ValueError, "point must hold at least one number"),
        ((lambda x: x * 2, np.ones(2)), TypeError, "function must return a real scalar"),
        ((lambda x: "1.0", np.ones(2)), TypeError, "function must return a real scalar.*'1.0'"),
        ((lambda x: x[0] > 0, np.ones(2)), TypeError, "function must return a real scalar"),
        ((lambda x: np.log(x[0] - 1), np.ones(1)), ValueError, "finite number, got nan"),
    ],
)
def test_numerical_gradient_refuses_bad_input(arguments, error, message):
    with np.errstate(invalid="ignore", divide="ignore"), pytest.raises(error, match=message):
        numerical_gradient(*arguments)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("step", [0.0, -1e-6, float("nan"), float("inf")])
def test_numerical_gradient_refuses_a_step_that_is_not_positive_and_finite(step):
    with pytest.raises(ValueError, match="step must be"):
        numerical_gradient(np.sum, np.ones(2), step=step)


@pytest.mark.hostile("bad_input")
def test_numerical_gradient_refuses_a_step_of_the_wrong_type():
    with pytest.raises(TypeError, match="step must be a number, got str"):
        numerical_gradient(np.sum, np.ones(2), step="1e-6")


def test_relative_error_follows_its_definition():
    first, second = np.array([1.0, -2.0, 0.0]), np.array([1.5, -2.0, 0.25])
    assert relative_error(first, second) == pytest.approx(0.5 / 4.0)
    assert relative_error(second, first) == relative_error(first, second)
    assert relative_error(first, first) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 2.0], [-1.0, -2.0]) == 1.0  # opposite signs: the maximum
    assert relative_error(3, 3.0) == 0.0


def test_relative_error_is_one_only_for_opposite_scalars():
    assert relative_error(1.0, -2.0) == 1.0
    assert relative_error(0.0, 3.0) == 1.0
    # Arrays that differ in sign in one entry only stay below 1.
    assert_allclose(relative_error([1.0, 10.0], [-1.0, 10.0]), 0.1)


def test_relative_error_is_not_fooled_by_entries_near_zero():
    # An entry-wise relative error would call these 100 % apart; the arrays agree.
    first, second = np.array([1.0, 1e-20]), np.array([1.0, -1e-20])
    assert relative_error(first, second) < 1e-19


def test_relative_error_is_scale_invariant_and_safe_from_overflow():
    first, second = np.array([1.0, 2.0]), np.array([1.0, 2.5])
    expected = relative_error(first, second)
    for scale in (1e-300, 1e-3, 1e5, 1e307):
        assert relative_error(first * scale, second * scale) == pytest.approx(expected)
    assert relative_error([1.7e308, -1.7e308], [-1.7e308, 1.7e308]) == 1.0


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("first", "second", "error", "message"),
    [
        (np.ones(3), np.ones(4), ValueError, r"same shape, got \(3,\) and \(4,\)"),
        (np.ones((2, 3)), np.ones((3, 2)), ValueError, "same shape"),
        (np.ones(0), np.ones(0), ValueError, "at least one number"),
        ("1.0", 1.0, TypeError, "first must hold real numbers"),
        (1.0, True, TypeError, "second must hold real numbers, got dtype bool"),
        (np.ones(2), [1.0, None], TypeError, "second must hold real numbers"),
        ([1.0, 2.0], [1.0, np.inf], ValueError, "second must be finite, got .*inf"),
        ([np.nan], [np.nan], ValueError, "first must be finite, got .*nan"),
        (np.ones(2, complex), np.ones(2), TypeError, "first must hold real numbers"),
    ],
)
def test_relative_error_refuses_bad_input(first, second, error, message):
    with pytest.raises(error, match=message):
        relative_error(first, second)
