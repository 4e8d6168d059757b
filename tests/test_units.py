"""Tests of the one unit converter."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.units import canonical_unit, convert_units, quantity_of


@pytest.mark.parametrize(
    "value, source, target, expected",
    [
        (1.0, "mi", "km", 1.609344),
        (2278.831, "kilometres", "miles", 1416.0),
        (7200, "seconds", "minutes", 120.0),
        (1.5, "h", "min", 90.0),
        (32.0, "degF", "degC", 0.0),
        (212.0, "degF", "K", 373.15),
        (29.92, "inHg", "hPa", 1013.21),
        (10.0, "kn", "km/h", 18.52),
    ],
)
def test_known_conversions(value, source, target, expected):
    assert_allclose(convert_units(value, source, target), expected, rtol=1e-4)


def test_series_keep_their_index_and_missing_values():
    miles = pd.Series([1.0, None], index=["a", "b"], name="distance")
    km = convert_units(miles, "mi", "km")
    assert isinstance(km, pd.Series) and list(km.index) == ["a", "b"]
    assert km.isna().tolist() == [False, True]
    assert_allclose(km.iloc[0], 1.609344)


def test_lists_and_arrays_become_float_arrays():
    result = convert_units([60, 120], "min", "h")
    assert isinstance(result, np.ndarray) and result.dtype == float
    assert_allclose(result, [1.0, 2.0])


def test_round_trip_for_every_pair_of_units_of_a_quantity():
    for source, target in [("ft", "mm"), ("mph", "m/s"), ("degC", "degF"), ("mbar", "inHg")]:
        assert_allclose(convert_units(convert_units(12.5, source, target), target, source), 12.5)


def test_unknown_unit_lists_the_accepted_ones():
    with pytest.raises(ValueError, match=r"unit must be one of .*'mi'.*'miles'.*got 'furlong'"):
        convert_units(1.0, "furlong", "km")


def test_different_quantities_are_refused():
    with pytest.raises(ValueError, match=r"cannot convert 'degF' \(a temperature\) to 'km'"):
        convert_units(1.0, "degF", "km")


@pytest.mark.parametrize(
    "values", [True, "1.0", ["1", "2"], pd.Series(["a"]), pd.Series([True]), None]
)
def test_non_numeric_values_are_refused(values):
    with pytest.raises(TypeError, match="values must be numeric"):
        convert_units(values, "mi", "km")


def test_aliases_and_quantities():
    assert canonical_unit("minutes") == "min"
    assert quantity_of("kilometres") == "length"
    with pytest.raises(ValueError, match="unit must be one of"):
        quantity_of(3)


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("values", [float("inf"), [1.0, -np.inf], pd.Series([np.inf])])
def test_infinite_values_are_refused(values):
    with pytest.raises(ValueError, match=r"values must be finite .*1 infinite value"):
        convert_units(values, "km", "m")


@pytest.mark.hostile("state_corruption")
def test_a_conversion_that_overflows_is_refused_not_returned_as_inf():
    with pytest.raises(ValueError, match=r"the values in 'm' must be finite"):
        convert_units(1e308, "km", "m")
    assert np.isnan(convert_units([np.nan], "km", "m")[0])  # missing stays missing
