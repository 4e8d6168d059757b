"""Data integration: sources with their own conventions, explicit mappings, one harmonised table.

Chapter 18 integrates several extracts of the same flights, each written by a different
system with its own column names, units, clocks, codes, date formats, file encodings and
overlaps. Everything a source does differently is written down in a :class:`SourceSpec`,
the *mapping*; the code reads it and never guesses. Units are converted by
:func:`dlbigdata.units.convert_units`, the one converter of the package.

Modules
-------
- :mod:`~dlbigdata.integration.sources`: the canonical table (:data:`CANONICAL_COLUMNS`,
  :data:`BUSINESS_KEY`, :data:`CANONICAL_UNITS`), :class:`SourceSpec` and the four
  :data:`SOURCE_SPECS`;
- :mod:`~dlbigdata.integration.extracts`: :func:`write_source_extracts` derives the extracts
  deterministically from the real flights; :func:`read_extract` reads one file as its spec
  says and refuses a truncated or malformed one;
- :mod:`~dlbigdata.integration.harmonise`: :func:`map_codes`,
  :func:`split_flight_designator` and :func:`harmonise`, which maps columns, units, clocks
  and codes to the canonical schema;
- :mod:`~dlbigdata.integration.reconcile`: :func:`stack_sources`, :func:`deduplicate` and
  :func:`reconciliation_report` put the sources together under a stated rule and account
  for every row; :func:`compare_to_reference` checks the result against the truth.
"""

from dlbigdata.integration.extracts import read_extract, write_source_extracts
from dlbigdata.integration.harmonise import harmonise, map_codes, split_flight_designator
from dlbigdata.integration.reconcile import (
    REASON_REPEATED,
    REASON_SUPERSEDED,
    compare_to_reference,
    deduplicate,
    reconciliation_report,
    stack_sources,
)
from dlbigdata.integration.sources import (
    BUSINESS_KEY,
    CANONICAL_COLUMNS,
    CANONICAL_UNITS,
    CARRIER_FORMATS,
    CLOCKS,
    LOCAL_TIME_ZONE,
    MIDNIGHT_HHMM,
    ROLES,
    SOURCE_SPECS,
    SourceSpec,
)

__all__ = [
    "BUSINESS_KEY",
    "CANONICAL_COLUMNS",
    "CANONICAL_UNITS",
    "CARRIER_FORMATS",
    "CLOCKS",
    "LOCAL_TIME_ZONE",
    "MIDNIGHT_HHMM",
    "REASON_REPEATED",
    "REASON_SUPERSEDED",
    "ROLES",
    "SOURCE_SPECS",
    "SourceSpec",
    "compare_to_reference",
    "deduplicate",
    "harmonise",
    "map_codes",
    "read_extract",
    "reconciliation_report",
    "split_flight_designator",
    "stack_sources",
    "write_source_extracts",
]
