"""Schemas: the declared schema of the cleaned flights (pandera) and a validation that reports
every failure instead of raising on the first.

Used in chapter 15.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_frame,
    require_names,
    require_type,
    require_unique_columns,
)
from dlbigdata.cleaning.flights import FLIGHT_STATUSES

__all__ = ["ValidationReport", "flights_schema", "validate"]


def _departure_matches_delay(frame: pd.DataFrame) -> pd.Series:
    """Row check: departure equals scheduled departure plus the delay (or both are missing)."""
    lag = (frame["departure"] - frame["scheduled_departure"]).dt.total_seconds() / 60
    return (lag - frame["dep_delay"]).abs().lt(1e-6) | (
        frame["departure"].isna() & frame["dep_delay"].isna()
    )


def _codes(name: str, codes: object) -> list[str]:
    """A non-empty list of code strings (a single string is refused, not split)."""
    listed = require_names(name, codes, allow_empty=True, unique=False)
    if not listed:
        raise ValueError(f"{name} must hold at least one code, got an empty list")
    return listed


def _cross_column_checks(pa):
    """The three rules across columns of the cleaned flights."""
    return [
        pa.Check(
            lambda f: f["cancelled"] == (f["departure"].isna() & f["dep_delay"].isna()),
            name="cancelled_iff_no_departure",
        ),
        pa.Check(
            lambda f: ~(f["cancelled"] & f["arr_delay"].notna()),
            name="no_arrival_without_departure",
        ),
        pa.Check(_departure_matches_delay, name="departure_is_scheduled_plus_delay"),
    ]


def flights_schema(carriers: Iterable[str], origins: Iterable[str] = ("EWR", "JFK", "LGA")):
    """The declared schema of the cleaned flights (a pandera ``DataFrameSchema``).

    Column types (no silent coercion), value ranges, codes from reference tables,
    the flight key (date, carrier, flight number, origin, scheduled departure) as
    unique, no unexpected columns, and three rules across columns: a flight is
    cancelled exactly when it has no departure; only flights that left can arrive;
    the departure is the scheduled time plus the delay.

    Parameters
    ----------
    carriers : list, tuple or Series of str
        Accepted carrier codes (e.g. ``load("airlines")["carrier"]``); a single string
        such as ``"UA"`` is refused rather than read as the codes ``"U"`` and ``"A"``.
    origins : list, tuple or Series of str
        Accepted origin airports.

    Returns
    -------
    pandera.api.pandas.container.DataFrameSchema
        Validate with :func:`validate`.

    Raises
    ------
    TypeError
        If ``carriers`` or ``origins`` is a single string, not a sequence, or holds
        something other than strings (a missing code included).
    ValueError
        If ``carriers`` or ``origins`` is empty.

    Used in chapter 15.
    """
    import pandera.pandas as pa

    carriers, origins = _codes("carriers", carriers), _codes("origins", origins)
    time_type = pd.DatetimeTZDtype("us", "America/New_York")
    delay = pa.Check.in_range(-24 * 60, 24 * 60)
    clock = pa.Check.in_range(0, 24 * 60)
    return pa.DataFrameSchema(
        {
            "year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
            "month": pa.Column("int64", pa.Check.in_range(1, 12)),
            "day": pa.Column("int64", pa.Check.in_range(1, 31)),
            "carrier": pa.Column("category", pa.Check.isin(carriers)),
            "flight": pa.Column("int64", pa.Check.gt(0)),
            "tailnum": pa.Column(
                "string", pa.Check.str_matches(r"^N[0-9A-Z]{1,5}$"), nullable=True
            ),
            "origin": pa.Column("category", pa.Check.isin(origins)),
            "dest": pa.Column("category", pa.Check.str_matches(r"^[A-Z]{3}$")),
            "scheduled_departure": pa.Column(time_type),
            "departure": pa.Column(time_type, nullable=True),
            "dep_delay": pa.Column("float64", delay, nullable=True),
            "sched_arr_minutes": pa.Column("Int64", clock),
            "arr_minutes": pa.Column("Int64", clock, nullable=True),
            "arr_delay": pa.Column("float64", delay, nullable=True),
            "air_time": pa.Column("float64", pa.Check.in_range(10, 16 * 60), nullable=True),
            "distance_km": pa.Column("float64", pa.Check.in_range(1, 20_000)),
            "cancelled": pa.Column("bool"),
            "status": pa.Column("category", pa.Check.isin(FLIGHT_STATUSES)),
        },
        checks=_cross_column_checks(pa),
        unique=["year", "month", "day", "carrier", "flight", "origin", "scheduled_departure"],
        strict=True,
        coerce=False,
        name="cleaned flights",
    )


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` found: whether the table passed, and every failure.

    Attributes
    ----------
    schema_name : str
        Name of the schema used.
    rows : int
        Rows checked.
    failures : pandas.DataFrame
        One row per failure: ``column`` (``"<table>"`` for checks across columns),
        ``check``, ``failure_case`` (the bad value) and ``index`` (row label, or
        missing for column-level failures such as a missing column or a wrong type).

    Used in chapter 15.
    """

    schema_name: str
    rows: int
    failures: pd.DataFrame

    @property
    def valid(self) -> bool:
        """``True`` when no check failed."""
        return self.failures.empty

    @property
    def failed_checks(self) -> set[tuple[str, str]]:
        """The distinct ``(column, check)`` pairs that failed."""
        return set(zip(self.failures["column"], self.failures["check"], strict=True))

    def summary(self) -> pd.DataFrame:
        """One row per failed ``(column, check)``: number of failures and up to three examples."""
        if self.valid:
            return pd.DataFrame(columns=["column", "check", "failures", "examples"])
        grouped = self.failures.groupby(["column", "check"], sort=True)
        return pd.DataFrame(
            {
                "failures": grouped.size(),
                "examples": grouped["failure_case"].agg(
                    lambda cases: ", ".join(map(str, cases.head(3)))
                ),
            }
        ).reset_index()

    def __str__(self) -> str:
        if self.valid:
            return f"{self.schema_name}: all checks passed on {self.rows:,} rows"
        lines = [f"{self.schema_name}: {len(self.failures):,} failure(s) on {self.rows:,} rows"]
        for row in self.summary().itertuples(index=False):
            lines.append(
                f"  - {row.column}: {row.check} failed {row.failures:,} time(s), "
                f"e.g. {row.examples}"
            )
        return "\n".join(lines)


_PRESENCE_CHECKS = ("column_in_dataframe", "column_in_schema")


def _across_rows(across: pd.DataFrame, columns: pd.Index) -> list[dict]:
    """One failure per failing row for the checks across columns (pandera gives one per cell)."""
    rows = []
    for (check, _), group in across.groupby(["check", "index"], sort=False):
        label = group["label"].iloc[0]
        if check == "multiple_fields_uniqueness":
            values = group.set_index("column")["failure_case"]
            case = ", ".join(str(values[c]) for c in columns if c in values.index)
        else:
            case = f"row {label}"
        rows.append({"column": "<table>", "check": check, "failure_case": case, "label": label})
    return rows


def _tidy_failure_cases(cases: pd.DataFrame, labels: pd.Index, columns: pd.Index) -> pd.DataFrame:
    """Turn pandera's failure cases into one row per failure, with the original row labels.

    Checks on single columns keep their column and bad value. A missing or unexpected
    column is reported under its own name. Checks across columns (rules and the unique
    key), which pandera repeats once per cell, become one row per failing row under the
    column ``"<table>"``, with the key values (uniqueness) or the row label as the case.
    """
    positions = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.assign(
        label=pd.Series(
            [labels[int(p)] if pd.notna(p) else None for p in positions],
            index=cases.index,
            dtype=object,
        )
    )
    presence = cases["check"].isin(_PRESENCE_CHECKS)
    across = (cases["schema_context"] == "DataFrameSchema") & ~presence
    single = cases[~across].assign(
        column=np.where(
            presence[~across],
            cases.loc[~across, "failure_case"].astype(str),
            cases.loc[~across, "column"].astype(str),
        )
    )
    kept = ["column", "check", "failure_case", "label"]
    rows = _across_rows(cases[across], columns)
    tidy = (
        pd.concat([single[kept], pd.DataFrame(rows)], ignore_index=True) if rows else single[kept]
    )
    tidy = tidy.rename(columns={"label": "index"}).astype({"index": object})
    tidy["check"] = tidy["check"].astype(str)
    tidy["failure_case"] = tidy["failure_case"].astype(object)
    return tidy.reset_index(drop=True)


def validate(frame: pd.DataFrame, schema) -> ValidationReport:
    """Check a table against a pandera schema and report *every* failure, without raising.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to check; repeated row labels are fine (rows are checked by position
        and reported by label).
    schema : pandera.api.pandas.container.DataFrameSchema
        The declared schema, e.g. from :func:`flights_schema`.

    Returns
    -------
    ValidationReport
        ``report.valid`` says whether the table passed; ``report.failures``,
        ``report.summary()`` and ``print(report)`` say which column and check
        failed, on which values and rows.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``schema`` is not a pandera DataFrameSchema.
    ValueError
        If ``frame`` repeats a column name (a check would see two columns as one).

    Used in chapter 15.
    """
    import pandera.pandas as pa

    require_frame("frame", frame)
    require_type("schema", schema, pa.DataFrameSchema, "a pandera DataFrameSchema")
    require_unique_columns("frame", frame)
    columns = ["column", "check", "failure_case", "index"]
    # pandera needs unique row labels (duplicated rows often carry duplicated labels):
    # check by position, then report the original labels.
    try:
        schema.validate(frame.reset_index(drop=True), lazy=True)
        failures = pd.DataFrame(columns=columns)
    except pa.errors.SchemaErrors as errors:
        failures = _tidy_failure_cases(errors.failure_cases, frame.index, frame.columns)
    return ValidationReport(str(schema.name or "schema"), len(frame), failures)
