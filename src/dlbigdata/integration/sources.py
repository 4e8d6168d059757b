"""The sources of chapter 18 and the canonical table they are mapped to.

A :class:`SourceSpec` writes down everything one source does its own way (column names,
units, clocks, airline codes, date format, encoding, separators); :data:`SOURCE_SPECS` holds
the four sources of the chapter. Units are those of :mod:`dlbigdata.units`.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from dlbigdata._validation import (
    require_choice,
    require_columns,
    require_frame,
    require_int,
    require_string,
    require_string_mapping,
    require_type,
)
from dlbigdata.units import UNIT_ALIASES, UNITS, quantity_of

__all__ = [
    "BUSINESS_KEY",
    "CANONICAL_COLUMNS",
    "CANONICAL_UNITS",
    "CARRIER_FORMATS",
    "CLOCKS",
    "LOCAL_TIME_ZONE",
    "MIDNIGHT_HHMM",
    "ROLES",
    "SOURCE_SPECS",
    "SourceSpec",
]

LOCAL_TIME_ZONE = "America/New_York"
"""The clocks of the three New York airports."""

MIDNIGHT_HHMM = 2400
"""nycflights13 writes a departure at midnight as 2400, never 0; the canonical table does too."""

CANONICAL_COLUMNS = [
    "year",
    "month",
    "day",
    "sched_dep_time",
    "dep_time",
    "dep_delay",
    "arr_delay",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "air_time",
    "distance",
    "hour",
    "minute",
    "time_hour",
]
"""Columns of the integrated table: those of ``flights`` that every source carries."""

BUSINESS_KEY = ["origin", "year", "month", "day", "carrier", "flight", "sched_dep_time"]
"""What identifies a flight across sources: where, when (local date and time) and which."""

CANONICAL_UNITS = {
    "dep_delay": "minutes",
    "arr_delay": "minutes",
    "air_time": "minutes",
    "distance": "miles",
}
"""The unit of each measure in the integrated table (names of :mod:`dlbigdata.units`)."""

CLOCKS = ("hhmm", "hh:mm", "utc_iso", "offset_iso")
"""How a source writes times: local ``515`` or ``"05:15"`` next to a date column, or full
ISO 8601 timestamps in UTC (``2013-01-01T10:15:00Z``) or local with their offset
(``2013-01-01T05:15:00-05:00``)."""

CARRIER_FORMATS = ("code", "name", "designator")
"""How a source names the airline: IATA code ``UA``, full name, or with the number (``UA1545``)."""

ROLES = (
    "date",
    "scheduled",
    "departed",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "dep_delay",
    "arr_delay",
    "air_time",
    "distance",
)
"""What a source column can mean; a spec maps each source column to one role."""

_CONSTANT_ROLES = ("tailnum", "origin", "dest")
"""Roles a source may leave implicit, as a constant of its spec (an airport's own code)."""

_FORBIDDEN_SEPARATORS = ("\n", "\r", '"')


def _fail(source: str, text: str) -> ValueError:
    return ValueError(f"{source}: {text}")


def _units_of_quantity(quantity: str) -> list[str]:
    """Every unit name (symbols and long spellings) that measures ``quantity``."""
    return [
        unit
        for unit in [*UNITS, *UNIT_ALIASES]
        if UNITS[UNIT_ALIASES.get(unit, unit)][0] == quantity
    ]


@dataclass(frozen=True)
class SourceSpec:
    """Everything one source does its own way: the mapping from it to the canonical table.

    The mappings are copied into read-only ones, so a spec cannot change after it was
    checked.

    Parameters
    ----------
    name : str
        Short name of the source (used in reports and error messages).
    file_name : str
        Name of its file.
    file_format : {"csv", "jsonl"}
        Delimited text or JSON lines.
    encoding : str
        Text encoding of the file (``utf-8``, ``utf-8-sig``, ``utf-16``, ``latin-1`` ...).
    columns : mapping of str to str
        Source column -> role (one of :data:`ROLES`); every column of the file.
    clock : str
        One of :data:`CLOCKS`.
    date_format : str, optional
        ``strftime`` pattern of the date column; required for the clocks ``hhmm``/``hh:mm``.
    carrier_format : str
        One of :data:`CARRIER_FORMATS`.
    units : mapping of str to str
        Measure role -> unit of :mod:`dlbigdata.units` (``"seconds"``, ``"km"`` ...), of
        the quantity of :data:`CANONICAL_UNITS`; the canonical unit when omitted.
    separator, decimal : str
        Field separator and decimal mark of a CSV file (one character each, different).
    constants : mapping of str to str
        Role -> value for what the source leaves implicit (``tailnum``, ``origin`` or
        ``dest``, e.g. an airport's own code).
    priority : int
        When sources supply the same flight, the smaller number wins.

    Raises
    ------
    TypeError
        If a field has the wrong type (a mapping that is not a mapping, a float priority).
    ValueError
        If a value is not among those accepted (the message lists them) or a role
        the canonical table needs is not supplied.

    Used in chapter 18.
    """

    name: str
    file_name: str
    file_format: str
    encoding: str
    columns: Mapping[str, str]
    clock: str
    date_format: str | None = None
    carrier_format: str = "code"
    units: Mapping[str, str] = field(default_factory=dict)
    separator: str = ","
    decimal: str = "."
    constants: Mapping[str, str] = field(default_factory=dict)
    priority: int = 1

    def __post_init__(self) -> None:
        name = require_string("name", self.name)
        require_string(f"{name}: file_name", self.file_name)
        for attribute, choices in (
            ("file_format", ("csv", "jsonl")),
            ("clock", CLOCKS),
            ("carrier_format", CARRIER_FORMATS),
        ):
            require_choice(f"{name}: {attribute}", getattr(self, attribute), choices)
        object.__setattr__(self, "priority", require_int(f"{name}: priority", self.priority))
        self._check_file_conventions()
        for attribute in ("columns", "units", "constants"):
            value = require_string_mapping(f"{name}: {attribute}", getattr(self, attribute))
            object.__setattr__(self, attribute, value)
        self._check_roles()
        self._check_units()
        missing = sorted(
            set(self.required_roles()) - set(self.columns.values()) - set(self.constants)
        )
        if missing:
            raise _fail(name, f"no column or constant for role(s) {missing}")

    def _check_file_conventions(self) -> None:
        encoding = require_string(f"{self.name}: encoding", self.encoding)
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise _fail(self.name, f"unknown encoding {encoding!r} ({error})") from error
        for attribute in ("separator", "decimal"):
            value = require_string(
                f"{self.name}: {attribute}", getattr(self, attribute), allow_empty=True
            )
            if len(value) != 1 or value in _FORBIDDEN_SEPARATORS:
                raise _fail(
                    self.name,
                    f"{attribute} must be one character other than a line break or a quote, "
                    f"got {value!r}",
                )
        if self.separator == self.decimal:
            raise _fail(self.name, f"separator and decimal are both {self.separator!r}")
        if self.date_format is not None:
            require_string(f"{self.name}: date_format", self.date_format)
        if self.clock in ("hhmm", "hh:mm") and not self.date_format:
            raise _fail(self.name, f"clock {self.clock!r} needs a date_format for the date column")

    def _check_roles(self) -> None:
        for column, role in self.columns.items():
            require_choice(f"{self.name}: role of column {column!r}", role, ROLES)
        roles = list(self.columns.values())
        repeated = sorted({role for role in roles if roles.count(role) > 1})
        if repeated:
            raise _fail(
                self.name,
                f"role(s) {repeated} mapped from more than one column; "
                "each role needs exactly one source column",
            )
        for role in self.constants:
            require_choice(f"{self.name}: role of a constant", role, _CONSTANT_ROLES)
        both = sorted(set(self.constants) & set(roles))
        if both:
            raise _fail(self.name, f"role(s) {both} given both as a column and as a constant")

    def _check_units(self) -> None:
        for role, unit in self.units.items():
            require_choice(f"{self.name}: measure", role, tuple(CANONICAL_UNITS))
            try:
                quantity = quantity_of(unit)
            except ValueError as error:
                raise _fail(self.name, f"unit of {role} {unit!r} is not accepted: {error}") from (
                    error
                )
            needed = quantity_of(CANONICAL_UNITS[role])
            if quantity != needed:
                raise _fail(
                    self.name,
                    f"unit {unit!r} is not a {needed}; {role} needs one of "
                    f"{_units_of_quantity(needed)}",
                )

    def required_roles(self) -> list[str]:
        """Roles this source must supply, given its clock and carrier format."""
        roles = ["scheduled", "departed", "tailnum", "origin", "dest", *CANONICAL_UNITS]
        roles += ["date"] if self.clock in ("hhmm", "hh:mm") else []
        roles += ["carrier"] + (["flight"] if self.carrier_format != "designator" else [])
        return roles

    def column_for(self, role: str) -> str | None:
        """The source column that plays ``role`` (None when the role is a constant)."""
        require_choice("role", role, ROLES)
        return next((column for column, r in self.columns.items() if r == role), None)

    def unit_of(self, role: str) -> str:
        """The unit the source uses for a measure, as the spec writes it."""
        require_choice("measure", role, tuple(CANONICAL_UNITS))
        return self.units.get(role, CANONICAL_UNITS[role])


def _require_spec(spec: Any) -> SourceSpec:
    return require_type("spec", spec, SourceSpec, "a SourceSpec (e.g. SOURCE_SPECS[name])")


def _column_mismatch(spec: SourceSpec, found: list[str], *, extra_too: bool) -> str | None:
    """What is wrong with the columns ``found`` for ``spec``, or None when they fit."""
    missing = [column for column in spec.columns if column not in found]
    extra = [column for column in found if column not in spec.columns] if extra_too else []
    if not missing and not extra:
        return None
    parts = [f"missing column(s) {missing}"] if missing else []
    parts += [f"unexpected column(s) {extra}"] if extra else []
    return f"{' and '.join(parts)}; found {found}"


def _require_airlines(airlines: Any) -> pd.DataFrame:
    """The airlines table must have complete, unique ``carrier`` codes and ``name`` s."""
    require_frame("airlines", airlines)
    require_columns("airlines", airlines, ["carrier", "name"])
    for column in ("carrier", "name"):
        values = airlines[column]
        if values.isna().any():
            raise ValueError(
                f"airlines.{column} is missing in {int(values.isna().sum())} row(s); every "
                "airline needs a code and a name to map codes both ways"
            )
        if values.duplicated().any():
            raise ValueError(
                f"airlines.{column} must be unique to map codes both ways; repeated: "
                f"{sorted(values[values.duplicated()].astype(str))}"
            )
    return airlines


SOURCE_SPECS: Mapping[str, SourceSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in [
            SourceSpec(
                name="ewr_operations",
                file_name="ewr_operations.csv",
                file_format="csv",
                encoding="utf-8-sig",
                clock="hhmm",
                date_format="%Y-%m-%d",
                carrier_format="code",
                columns={
                    "FL_DATE": "date",
                    "OP_CARRIER": "carrier",
                    "OP_CARRIER_FL_NUM": "flight",
                    "TAIL_NUM": "tailnum",
                    "ORIGIN": "origin",
                    "DEST": "dest",
                    "CRS_DEP_TIME": "scheduled",
                    "DEP_TIME": "departed",
                    "DEP_DELAY": "dep_delay",
                    "ARR_DELAY": "arr_delay",
                    "AIR_TIME": "air_time",
                    "DISTANCE": "distance",
                },
            ),
            SourceSpec(
                name="jfk_tower",
                file_name="jfk_tower.tsv",
                file_format="csv",
                encoding="utf-16",
                separator="\t",
                clock="utc_iso",
                carrier_format="name",
                constants={"origin": "JFK"},
                columns={
                    "airline": "carrier",
                    "flight_no": "flight",
                    "registration": "tailnum",
                    "to": "dest",
                    "scheduled_utc": "scheduled",
                    "off_block_utc": "departed",
                    "delay_dep_s": "dep_delay",
                    "delay_arr_s": "arr_delay",
                    "airborne_h": "air_time",
                    "distance_km": "distance",
                },
                units={
                    "dep_delay": "seconds",
                    "arr_delay": "seconds",
                    "air_time": "hours",
                    "distance": "kilometres",
                },
            ),
            SourceSpec(
                name="lga_partner",
                file_name="lga_partner.csv",
                file_format="csv",
                encoding="latin-1",
                separator=";",
                decimal=",",
                clock="hh:mm",
                date_format="%d.%m.%Y",
                carrier_format="designator",
                columns={
                    "Datum": "date",
                    "Flug": "carrier",
                    "Kennzeichen": "tailnum",
                    "Von": "origin",
                    "Nach": "dest",
                    "Abflug_Plan": "scheduled",
                    "Abflug_Ist": "departed",
                    "Verspätung_Abflug_h": "dep_delay",
                    "Verspätung_Ankunft_h": "arr_delay",
                    "Flugzeit_min": "air_time",
                    "Entfernung_km": "distance",
                },
                units={"dep_delay": "hours", "arr_delay": "hours", "distance": "kilometres"},
            ),
            SourceSpec(
                name="ua_feed",
                file_name="ua_feed.jsonl",
                file_format="jsonl",
                encoding="utf-8",
                clock="offset_iso",
                carrier_format="designator",
                priority=0,
                columns={
                    "flight": "carrier",
                    "tail": "tailnum",
                    "from": "origin",
                    "to": "dest",
                    "scheduled_departure": "scheduled",
                    "actual_departure": "departed",
                    "departure_delay_min": "dep_delay",
                    "arrival_delay_min": "arr_delay",
                    "air_minutes": "air_time",
                    "miles": "distance",
                },
            ),
        ]
    }
)
"""The four sources of chapter 18 (read-only): three airports' systems and United's own feed."""
