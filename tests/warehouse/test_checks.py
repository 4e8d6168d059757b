"""Tests of dlbigdata.warehouse.checks: foreign-key violations and table fingerprints."""

from __future__ import annotations

import sqlite3

import pytest
from factories import warehouse_tables

from dlbigdata import warehouse as wh


def test_fingerprint_sees_a_changed_value(con):
    wh.load_star_schema(con, warehouse_tables())
    before = wh.table_fingerprints(con)
    con.execute("UPDATE dim_carrier SET carrier_name = ? WHERE carrier_code = ?", ["x", "AA"])
    after = wh.table_fingerprints(con)
    assert after.loc["dim_carrier", "rows"] == before.loc["dim_carrier", "rows"]
    assert after.loc["dim_carrier", "checksum"] != before.loc["dim_carrier", "checksum"]
    assert (after.drop("dim_carrier") == before.drop("dim_carrier")).all().all()


def test_foreign_key_violations_are_found(con):
    wh.load_star_schema(con, warehouse_tables())
    assert set(wh.foreign_key_violations(con).values()) == {0}
    con.execute("UPDATE fact_flight SET plane_key = ? WHERE flight_key = ?", [999, 1])
    violations = wh.foreign_key_violations(con)
    assert violations["plane_key"] == 1
    assert sum(violations.values()) == 1


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("check", [wh.foreign_key_violations, wh.table_fingerprints])
@pytest.mark.parametrize("con", [None, "warehouse.duckdb", sqlite3.connect(":memory:")])
def test_checks_need_a_duckdb_connection(check, con):
    with pytest.raises(TypeError, match=r"con must be a DuckDB connection .*, got"):
        check(con)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("check", [wh.foreign_key_violations, wh.table_fingerprints])
def test_checks_need_a_star(check):
    con = wh.connect()
    with pytest.raises(ValueError, match=r"con holds no star schema: table\(s\) \['dim_date'"):
        check(con)
    con.close()
