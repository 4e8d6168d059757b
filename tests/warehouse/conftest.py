"""The fixture the warehouse tests share: a fresh warehouse file in a temporary folder."""

from __future__ import annotations

import pytest

from dlbigdata import warehouse as wh


@pytest.fixture
def con(tmp_path):
    """A connection to an empty DuckDB warehouse file, closed after the test."""
    con = wh.connect(tmp_path / "warehouse.duckdb")
    yield con
    con.close()
