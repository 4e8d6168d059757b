"""One unit converter for the whole book: lengths, durations, speeds, pressures, temperatures.

Every unit has one short symbol (``"mi"``, ``"min"``, ``"degF"``); the long spellings that
sources write (``"miles"``, ``"minutes"``, ``"kilometres"``) are accepted as aliases, so a
mapping table can name units as its source does. Used in chapters 15 and 18.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import pandas as pd

from dlbigdata._validation import describe, require_choice

__all__ = ["UNITS", "UNIT_ALIASES", "canonical_unit", "convert_units", "quantity_of"]

UNITS: dict[str, tuple[str, float]] = {
    # symbol: (quantity, factor to the SI unit of that quantity)
    "mi": ("length", 1609.344),
    "km": ("length", 1000.0),
    "m": ("length", 1.0),
    "ft": ("length", 0.3048),
    "in": ("length", 0.0254),
    "mm": ("length", 0.001),
    "s": ("duration", 1.0),
    "min": ("duration", 60.0),
    "h": ("duration", 3600.0),
    "mph": ("speed", 0.44704),
    "km/h": ("speed", 1 / 3.6),
    "m/s": ("speed", 1.0),
    "kn": ("speed", 1852 / 3600),
    "inHg": ("pressure", 3386.389),
    "hPa": ("pressure", 100.0),
    "mbar": ("pressure", 100.0),
    "degF": ("temperature", 5 / 9),
    "degC": ("temperature", 1.0),
    "K": ("temperature", 1.0),
}
"""Units :func:`convert_units` accepts, by quantity, with their factor to SI units."""

UNIT_ALIASES: dict[str, str] = {
    "miles": "mi",
    "kilometres": "km",
    "kilometers": "km",
    "metres": "m",
    "meters": "m",
    "feet": "ft",
    "seconds": "s",
    "minutes": "min",
    "hours": "h",
}
"""Long spellings accepted for a unit, and the symbol each one stands for."""

_KELVIN_OFFSET = {"degF": 459.67 * 5 / 9, "degC": 273.15, "K": 0.0}  # K = factor*x + offset


def canonical_unit(unit: object) -> str:
    """Return the symbol of ``unit`` (an alias such as ``"miles"`` gives ``"mi"``).

    Raises ValueError naming every accepted unit when ``unit`` is unknown.
    """
    if isinstance(unit, str) and unit in UNIT_ALIASES:
        return UNIT_ALIASES[unit]
    return require_choice("unit", unit, [*UNITS, *UNIT_ALIASES])


def quantity_of(unit: object) -> str:
    """Return what ``unit`` measures: ``"length"``, ``"duration"``, ``"speed"``, ...."""
    return UNITS[canonical_unit(unit)][0]


def _numbers(values: object) -> pd.Series | np.ndarray | float:
    """Return ``values`` as floats, refusing anything that is not numeric."""
    if isinstance(values, pd.Series):
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            raise TypeError(f"values must be numeric, got a Series of dtype {values.dtype}")
        return values.astype("float64")
    if isinstance(values, (bool, np.bool_)):
        raise TypeError(f"values must be numeric, got the boolean {values!r}")
    if isinstance(values, (int, float, np.integer, np.floating)):
        return float(values)
    array = np.asarray(values) if isinstance(values, (list, tuple, np.ndarray)) else None
    if array is None or array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        kind = f"dtype {array.dtype}" if array is not None else type(values).__name__
        raise TypeError(
            f"values must be numeric (Series, array, list or number), got {kind}: "
            f"{describe(values)}"
        )
    return array.astype(float)


@overload
def convert_units(
    values: np.ndarray | list | tuple, from_unit: str, to_unit: str
) -> np.ndarray: ...
@overload
def convert_units(values: float, from_unit: str, to_unit: str) -> float: ...
@overload
def convert_units(values: pd.Series, from_unit: str, to_unit: str) -> pd.Series: ...


def convert_units(
    values: pd.Series | np.ndarray | list | tuple | float, from_unit: str, to_unit: str
) -> pd.Series | np.ndarray | float:
    """Convert numbers between two units of the same quantity.

    Parameters
    ----------
    values : pandas.Series, numpy.ndarray, list or number
        Numbers in ``from_unit``; missing values stay missing.
    from_unit, to_unit : str
        Keys of :data:`UNITS` or of :data:`UNIT_ALIASES`, e.g. ``"mi"`` to ``"km"`` or
        ``"degF"`` to ``"degC"``.

    Returns
    -------
    Series, ndarray or float
        The numbers in ``to_unit``: a Series (same index) for a Series, a float for a
        number, an array otherwise.

    Raises
    ------
    TypeError
        If ``values`` is not numeric (booleans and text included).
    ValueError
        If a unit is unknown (the accepted ones are listed), the units measure
        different quantities, or a value is infinite or would overflow to infinity.
    """
    source, target = canonical_unit(from_unit), canonical_unit(to_unit)
    (from_quantity, from_factor), (to_quantity, to_factor) = UNITS[source], UNITS[target]
    if from_quantity != to_quantity:
        same = [unit for unit, (quantity, _) in UNITS.items() if quantity == from_quantity]
        raise ValueError(
            f"cannot convert {from_unit!r} (a {from_quantity}) to {to_unit!r} "
            f"(a {to_quantity}); {from_unit!r} converts to: {', '.join(same)}"
        )
    numbers = _numbers(values)
    _require_no_infinity(numbers, "values")
    with np.errstate(over="ignore"):
        if from_quantity == "temperature":
            kelvin = numbers * from_factor + _KELVIN_OFFSET[source]
            converted = (kelvin - _KELVIN_OFFSET[target]) / to_factor
        else:
            converted = numbers * (from_factor / to_factor)
    _require_no_infinity(converted, f"the values in {to_unit!r}")
    return converted


def _require_no_infinity(numbers: pd.Series | np.ndarray | float, what: str) -> None:
    """Raise ValueError if ``numbers`` holds an infinity (NaN, a missing value, is fine)."""
    infinite = np.isinf(np.asarray(numbers, dtype=float))
    if infinite.any():
        raise ValueError(
            f"{what} must be finite (NaN for a missing value), got {int(infinite.sum())} "
            f"infinite value(s); a measurement is never infinite, and a conversion that "
            f"overflows float64 is refused rather than returned as inf"
        )
