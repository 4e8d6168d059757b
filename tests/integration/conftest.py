"""Fixtures of the tests of :mod:`dlbigdata.integration`: the four extracts of a small table."""

from __future__ import annotations

import pytest
from factories import integration_airlines, integration_flights

from dlbigdata import integration as ig


@pytest.fixture
def extracts(tmp_path):
    """The four source extracts of ``integration_flights()``, written in ``tmp_path``."""
    return ig.write_source_extracts(
        integration_flights(), integration_airlines(), tmp_path, seed=3
    )
