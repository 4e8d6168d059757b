"""Tests of dlbigdata.warehouse.ddl: the star's DDL, create_star_schema and connect."""

from __future__ import annotations

import sqlite3

import duckdb
import pytest

from dlbigdata import warehouse as wh
from dlbigdata.warehouse._duck import quote


def _saved_warehouse(path):
    """A closed DuckDB file holding a few thousand rows; its size."""
    con = wh.connect(path)
    con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(300000)")
    con.close()
    return path.stat().st_size


def test_ddl_creates_every_table_and_can_run_twice(con):
    wh.create_star_schema(con)
    wh.create_star_schema(con)
    tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert tables == set(wh.STAR_SCHEMA)
    columns = con.execute("DESCRIBE fact_flight").df()["column_name"].tolist()
    assert columns == [name for name, _ in wh.STAR_SCHEMA["fact_flight"]]


def test_the_facts_natural_key_is_unique(con):
    assert 'UNIQUE ("date_key", "carrier_key"' in wh.star_schema_ddl()[-1]


@pytest.mark.hostile("sql_escape")
def test_identifiers_are_quoted_with_inner_quotes_doubled(con):
    assert quote('we"ird') == '"we""ird"'
    table, column = quote('we"ird'), quote('a"b')
    con.execute(f"CREATE TABLE {table} ({column} INTEGER)")
    assert con.execute('SELECT count(*) FROM "we""ird"').fetchone() == (0,)


@pytest.mark.hostile("bad_input")
def test_create_star_schema_refuses_a_foreign_table_of_the_same_name(con):
    con.execute("CREATE TABLE dim_carrier (code VARCHAR)")
    with pytest.raises(
        ValueError, match=r"table dim_carrier of this database has columns \['code'\]"
    ):
        wh.create_star_schema(con)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("con", [None, "warehouse.duckdb", sqlite3.connect(":memory:")])
def test_create_star_schema_needs_a_duckdb_connection(con):
    with pytest.raises(TypeError, match=r"con must be a DuckDB connection .*, got"):
        wh.create_star_schema(con)


@pytest.mark.hostile("bad_input")
def test_connect_refuses_a_missing_folder(tmp_path):
    with pytest.raises(
        ValueError, match=r"folder .*no_such_folder of the database file .* does not exist"
    ):
        wh.connect(tmp_path / "no_such_folder" / "w.duckdb")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("path", [3, b"w.duckdb", ["w.duckdb"]])
def test_connect_refuses_a_path_of_the_wrong_type(path):
    with pytest.raises(TypeError, match=r"path must be a str or pathlib.Path \(or None\), got"):
        wh.connect(path)


@pytest.mark.hostile("bad_input")
def test_connect_refuses_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"is a folder, not a DuckDB database file"):
        wh.connect(tmp_path)


def test_connect_reopens_a_saved_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    _saved_warehouse(path)
    con = wh.connect(path)
    assert con.execute("SELECT count(*) FROM numbers").fetchone() == (300000,)
    con.close()


@pytest.mark.hostile("malformed_file")
def test_connect_refuses_a_sqlite_file_without_trying_an_extension(tmp_path):
    path = tmp_path / "flights.sqlite"
    sqlite_con = sqlite3.connect(path)
    sqlite_con.execute("CREATE TABLE t (a INTEGER)")
    sqlite_con.commit()
    sqlite_con.close()
    with pytest.raises(
        ValueError, match=r"flights.sqlite is not a DuckDB database: found a SQLite"
    ):
        wh.connect(path)


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize("keep", [100, 5000, 20000, -1000])
def test_connect_refuses_a_truncated_warehouse(tmp_path, keep):
    path = tmp_path / "w.duckdb"
    size = _saved_warehouse(path)
    path.write_bytes(path.read_bytes()[: keep % size])
    with pytest.raises(ValueError, match=r"w.duckdb is not a DuckDB database: found a truncated"):
        wh.connect(path)


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize(
    "payload, found",
    [
        (b"", r"an empty file \(0 bytes\)"),
        (b"year,month,day\n2013,1,1\n", r"no DuckDB header \(bytes 8-12 are b'th,d'"),
    ],
)
def test_connect_refuses_a_file_that_is_not_duckdb(tmp_path, payload, found):
    path = tmp_path / "w.duckdb"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match=rf"w.duckdb is not a DuckDB database: found {found}"):
        wh.connect(path)


def test_connect_never_installs_or_loads_extensions():
    con = wh.connect()
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoinstall_known_extensions', 'autoload_known_extensions')"
        ).fetchall()
    )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }
    assert con.execute("SELECT current_setting('TimeZone')").fetchone() == ("UTC",)
    con.close()


def test_connect_in_memory_is_a_duckdb_connection():
    con = wh.connect()
    assert isinstance(con, duckdb.DuckDBPyConnection)
    con.close()
