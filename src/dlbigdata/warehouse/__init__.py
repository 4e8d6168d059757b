"""A star-schema data warehouse in DuckDB: DDL, landing files, dimensions, an idempotent
load and its checks (chapter 17).

Modules
-------
- :mod:`~dlbigdata.warehouse.ddl`: :data:`STAR_SCHEMA` and its keys,
  :func:`star_schema_ddl`, :func:`create_star_schema` and :func:`connect` (which refuses
  a file that is not a whole DuckDB database);
- :mod:`~dlbigdata.warehouse.landing`: the *extract* step, the five source tables
  (:data:`SOURCE_COLUMNS`), :func:`validate_source_tables` and the Parquet landing
  files (:func:`write_landing_files`, :func:`read_landing_files`);
- :mod:`~dlbigdata.warehouse.dimensions`: the *transform* step, surrogate keys and one
  table-driven :func:`build_dimension` (plus :func:`build_date_dimension`);
- :mod:`~dlbigdata.warehouse.staging` (private): the rules each flight must meet, the
  dimension lookups and the missing-member policies;
- :mod:`~dlbigdata.warehouse.history` (private): the type-2 history of the plane
  dimension (:data:`VERSIONED_DIMENSIONS`), closing and opening versions;
- :mod:`~dlbigdata.warehouse.load`: the *load* step, :func:`load_star_schema` in one
  transaction, idempotent, updating changed rows in place (type 1) or versioning them
  (type 2) at the batch's effective time ``as_of``, returning a :class:`LoadReport`;
- :mod:`~dlbigdata.warehouse.checks`: :func:`foreign_key_violations`,
  :func:`history_violations` and :func:`table_fingerprints`;
- :mod:`~dlbigdata.warehouse.diagram`: :func:`plot_star_schema`.

Every value that reaches SQL does so as a query parameter or a registered DataFrame;
identifiers come from the fixed schema, never from the caller, and are quoted.
"""

from dlbigdata.warehouse.checks import (
    foreign_key_violations,
    history_violations,
    table_fingerprints,
)
from dlbigdata.warehouse.ddl import (
    FOREIGN_KEYS,
    NATURAL_KEYS,
    STAR_SCHEMA,
    SURROGATE_KEYS,
    UNKNOWN_KEY,
    UNKNOWN_LABEL,
    VALID_FROM_START,
    VALID_TO_OPEN,
    VERSIONED_DIMENSIONS,
    connect,
    create_star_schema,
    star_schema_ddl,
)
from dlbigdata.warehouse.diagram import plot_star_schema
from dlbigdata.warehouse.dimensions import (
    DIMENSION_SOURCES,
    assign_surrogate_keys,
    build_carrier_dimension,
    build_date_dimension,
    build_dimension,
)
from dlbigdata.warehouse.landing import (
    SOURCE_COLUMNS,
    SOURCE_TABLES,
    read_landing_files,
    validate_source_tables,
    write_landing_files,
)
from dlbigdata.warehouse.load import LoadReport, load_star_schema

__all__ = [
    "DIMENSION_SOURCES",
    "FOREIGN_KEYS",
    "NATURAL_KEYS",
    "SOURCE_COLUMNS",
    "SOURCE_TABLES",
    "STAR_SCHEMA",
    "SURROGATE_KEYS",
    "UNKNOWN_KEY",
    "UNKNOWN_LABEL",
    "VALID_FROM_START",
    "VALID_TO_OPEN",
    "VERSIONED_DIMENSIONS",
    "LoadReport",
    "assign_surrogate_keys",
    "build_carrier_dimension",
    "build_date_dimension",
    "build_dimension",
    "connect",
    "create_star_schema",
    "foreign_key_violations",
    "history_violations",
    "load_star_schema",
    "plot_star_schema",
    "read_landing_files",
    "star_schema_ddl",
    "table_fingerprints",
    "validate_source_tables",
    "write_landing_files",
]
