"""Helper package of the book *Deep Learning and Big Data Analysis, hands-on*.

Chapters show the ideas; the plumbing they share lives here, one module per theme:

- :mod:`dlbigdata.datasets`: every data set of the book, offline, by name;
- :mod:`dlbigdata.reproducibility`: one call to seed everything;
- :mod:`dlbigdata.plotting`: the house style for figures;
- :mod:`dlbigdata.checks`: answer checks with hints for the exercises;
- :mod:`dlbigdata.networks`: Keras model builders, honest splits, early stopping, baselines (ch. 10, 11);
- :mod:`dlbigdata.evaluation`: accuracy tables, learning curves, confusion matrices (ch. 10, 11);
- :mod:`dlbigdata.rl`: replay buffer, epsilon schedule, Bellman targets and the DQN agent (ch. 12);
- :mod:`dlbigdata.mining`: impurity, cost-complexity pruning and nested cross-validation (ch. 13);
- :mod:`dlbigdata.analysis`: profiling and summarising the flights, the weather join (ch. 14, 19);
- :mod:`dlbigdata.charts`: small multiples, proportional markers, airport maps, the lie factor (ch. 19);
- :mod:`dlbigdata.cleaning`: missing values, imputation, outliers, duplicates, units, schemas (ch. 15);
- :mod:`dlbigdata.database`: SQLite schema, parameterized loading and queries, transactions (ch. 16);
- :mod:`dlbigdata.warehouse`: the DuckDB star schema and its idempotent load (ch. 17);
- :mod:`dlbigdata.integration`: source extracts, mappings, harmonisation, reconciliation (ch. 18).
"""

from dlbigdata.datasets import available, catalogue, load
from dlbigdata.reproducibility import seed_everything, seed_from_environment

__version__ = "0.1.0"
__all__ = ["available", "catalogue", "load", "seed_everything", "seed_from_environment"]
