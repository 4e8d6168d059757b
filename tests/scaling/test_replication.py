"""Tests of dlbigdata.scaling.replication: seeded, jittered replicas in chunks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.scaling import iter_replicas, replicate_flights


@pytest.fixture
def flights():
    return pd.DataFrame(
        {
            "carrier": pd.Categorical(["UA", "AA", "UA", "DL", "AA"]),
            "dep_delay": [1.0, np.nan, -3.0, 10.0, 0.0],
            "arr_delay": [5.0, np.nan, 2.0, np.nan, -7.0],
            "distance": [100, 200, 300, 400, 500],
        }
    )


def test_replica_zero_is_the_table_and_dtypes_are_kept(flights):
    grown = replicate_flights(flights, 3, seed=1)
    assert len(grown) == 15
    pd.testing.assert_frame_equal(grown.iloc[:5], flights)
    assert grown.dtypes.equals(flights.dtypes)
    assert (grown["distance"].to_numpy() == np.tile(flights["distance"], 3)).all()


def test_jitter_is_integer_seeded_and_keeps_missing_values(flights):
    grown = replicate_flights(flights, 4, seed=7, scale=5.0)
    moved = grown["dep_delay"].to_numpy().reshape(4, 5) - flights["dep_delay"].to_numpy()
    assert np.array_equal(np.isnan(moved), np.tile(flights["dep_delay"].isna(), (4, 1)))
    finite = moved[~np.isnan(moved)]
    assert np.array_equal(finite, np.rint(finite))
    assert (moved[0][~np.isnan(moved[0])] == 0).all()
    pd.testing.assert_frame_equal(grown, replicate_flights(flights, 4, seed=7))
    assert not grown.equals(replicate_flights(flights, 4, seed=8))


def test_a_replica_does_not_depend_on_chunks_or_factor(flights):
    whole = replicate_flights(flights, 3, seed=2)
    chunks = list(iter_replicas(flights, 3, seed=2, chunk_rows=2))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1] * 3
    pd.testing.assert_frame_equal(pd.concat(chunks), whole)
    pd.testing.assert_frame_equal(replicate_flights(flights, 2, seed=2), whole.iloc[:10])


def test_scale_zero_copies_exactly(flights):
    grown = replicate_flights(flights, 2, seed=0, scale=0)
    pd.testing.assert_frame_equal(grown.iloc[5:].reset_index(drop=True), flights)


@pytest.mark.hostile("bad_input")
def test_replication_rejects_bad_input(flights):
    with pytest.raises(ValueError, match="factor must be an integer >= 1, got 0"):
        replicate_flights(flights, 0, seed=0)
    with pytest.raises(ValueError, match=r"flights lacks column\(s\) \['delay'\]"):
        iter_replicas(flights, 2, seed=0, columns=["delay"])
    with pytest.raises(TypeError, match=r"flights\['carrier'\] must be numeric"):
        replicate_flights(flights, 2, seed=0, columns=["carrier"])
    with pytest.raises(ValueError, match="scale must be a finite number >= 0, got nan"):
        replicate_flights(flights, 2, seed=0, scale=float("nan"))
    with pytest.raises(ValueError, match="chunk_rows must be an integer >= 1, got 0"):
        iter_replicas(flights, 2, seed=0, chunk_rows=0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        replicate_flights(flights, 2, seed=-1)
    with pytest.raises(ValueError, match="flights must have at least one row"):
        replicate_flights(flights.iloc[:0], 2, seed=0)


@pytest.mark.hostile("single_string")
def test_replication_rejects_a_single_column_name(flights):
    with pytest.raises(TypeError, match="single string 'dep_delay'"):
        replicate_flights(flights, 2, seed=0, columns="dep_delay")
