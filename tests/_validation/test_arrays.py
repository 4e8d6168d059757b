"""Tests of :mod:`dlbigdata._validation.arrays`: checks of NumPy arrays."""

from __future__ import annotations

import numpy as np
import pytest

from dlbigdata import _validation as v


def test_shape_text_and_has_shape():
    assert v.shape_text(("n", 4)) == "(n, 4)"
    assert v.shape_text((3,)) == "(3,)"
    assert v.has_shape(np.zeros((5, 4)), ("n", 4))
    assert not v.has_shape(np.zeros((5, 3)), ("n", 4))
    assert not v.has_shape(np.zeros(4), ("n", 4))


def test_require_float32():
    assert v.require_float32("reward", 1.5) == 1.5
    assert v.require_float32("reward", -v.FLOAT32_MAX) == -v.FLOAT32_MAX
    with pytest.raises(ValueError, match=r"reward must fit a float32 .*got 1e\+39"):
        v.require_float32("reward", 1e39)


def test_require_finite_array_returns_float32_of_the_shape():
    result = v.require_finite_array("states", [[1, 2], [3, 4]], ("n", 2))
    assert result.dtype == np.float32 and result.shape == (2, 2)
    kept = v.require_finite_array("states", np.zeros(3), None, as_float32=False)
    assert kept.dtype == np.float64
    huge = v.require_finite_array("states", np.array([1e39]), (1,), as_float32=False)
    assert huge[0] == 1e39


@pytest.mark.parametrize(
    "value, error, match",
    [
        (np.array([True, False]), TypeError, r"states must hold real numbers, got dtype bool"),
        (np.array(["a", "b"]), TypeError, r"states must hold real numbers, got dtype <U1"),
        (np.zeros(3), ValueError, r"states must have shape \(2,\), got \(3,\)"),
        (np.array([1.0, np.nan]), ValueError, r"states must be finite, got .*nan"),
        (np.array([np.inf, 1.0]), ValueError, r"states must be finite, got .*inf"),
        (
            np.array([1.0, 1e39]),
            ValueError,
            r"each entry of states must fit a float32 .*got 1e\+39",
        ),
    ],
)
def test_require_finite_array_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.require_finite_array("states", value, (2,))


def test_require_numeric_array_accepts_numbers_and_refuses_text_and_strings():
    from dlbigdata._validation import require_numeric_array

    assert require_numeric_array("values", [1, 2.5]).dtype.kind == "f"
    assert require_numeric_array("mask", [True], allow_bool=True).dtype == bool
    with pytest.raises(TypeError, match="values must be numeric, got dtype bool"):
        require_numeric_array("values", [True])
    with pytest.raises(TypeError, match="values must be numeric, got the string '12'"):
        require_numeric_array("values", "12")
    with pytest.raises(TypeError, match="images must hold numbers, got dtype <U1"):
        require_numeric_array("images", ["a"], accepted="hold numbers")
