"""Boundary checks shared by every module of :mod:`dlbigdata` (private).

One function per kind of input, one exception type per fault, one message shape:

- a value of the wrong *type* raises :class:`TypeError`;
- a value of the right type but a wrong *value* (out of range, NaN, missing column,
  unknown choice) raises :class:`ValueError`;
- every message names the argument, shows the bad value with ``repr`` and says what is
  accepted: ``"test_size must be a number strictly between 0 and 1, got 1.5"``.

Every checker takes ``(name, value, ...)`` in that order and returns the value in its
canonical form (a plain ``int``/``float``, a ``list[str]``), so callers write
``size = require_int("size", size, minimum=1)`` and use the result.

The checks live in themed modules and are all imported from here
(``from dlbigdata._validation import require_int``):

- :mod:`~dlbigdata._validation.scalars`: types, bools, strings, numbers, choices,
  callables, generators, seeds and timestamps;
- :mod:`~dlbigdata._validation.sequences`: lists of names, integers, seeds and texts,
  mappings of strings;
- :mod:`~dlbigdata._validation.tables`: DataFrames, Series, columns, numeric tables and
  tables aligned by label;
- :mod:`~dlbigdata._validation.labels`: class labels, true and predicted;
- :mod:`~dlbigdata._validation.arrays`: NumPy arrays of a shape, finite, fitting float32.
"""

from __future__ import annotations

from dlbigdata._validation.arrays import (
    FLOAT32_MAX,
    Shape,
    has_shape,
    require_finite_array,
    require_float32,
    require_numeric_array,
    shape_text,
)
from dlbigdata._validation.labels import (
    require_labels,
    require_paired_labels,
    require_same_index,
    require_same_kind,
)
from dlbigdata._validation.scalars import (
    SEED_LIMIT,
    describe,
    require_bool,
    require_callable,
    require_choice,
    require_fraction,
    require_generator,
    require_int,
    require_number,
    require_seed,
    require_string,
    require_timestamp,
    require_type,
)
from dlbigdata._validation.sequences import (
    require_int_sequence,
    require_names,
    require_seeds,
    require_string_mapping,
    require_texts,
)
from dlbigdata._validation.tables import (
    Table,
    aligned_like,
    as_float,
    named,
    numeric_frame,
    numeric_series,
    numeric_table,
    require_columns,
    require_datetime_column,
    require_frame,
    require_numeric_column,
    require_series,
    require_unique_columns,
    require_unique_labels,
)

__all__ = [
    "FLOAT32_MAX",
    "SEED_LIMIT",
    "Shape",
    "Table",
    "aligned_like",
    "as_float",
    "describe",
    "has_shape",
    "named",
    "numeric_frame",
    "numeric_series",
    "numeric_table",
    "require_bool",
    "require_callable",
    "require_choice",
    "require_columns",
    "require_datetime_column",
    "require_finite_array",
    "require_float32",
    "require_fraction",
    "require_frame",
    "require_generator",
    "require_int",
    "require_int_sequence",
    "require_labels",
    "require_names",
    "require_number",
    "require_numeric_array",
    "require_numeric_column",
    "require_paired_labels",
    "require_same_index",
    "require_same_kind",
    "require_seed",
    "require_seeds",
    "require_series",
    "require_string",
    "require_string_mapping",
    "require_texts",
    "require_timestamp",
    "require_type",
    "require_unique_columns",
    "require_unique_labels",
    "shape_text",
]
