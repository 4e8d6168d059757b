"""Helper package of the book *Deep Learning and Big Data Analysis, hands-on*.

Chapters show the ideas; the plumbing they share lives here, one module (or, past about
500 lines, one subpackage of small modules) per theme:

- :mod:`dlbigdata.datasets`: every data set of the book, offline, by name;
- :mod:`dlbigdata.reproducibility`: one call to seed everything;
- :mod:`dlbigdata.plotting`: the house style for figures, the schema diagram;
- :mod:`dlbigdata.checks`: answer checks with hints for the exercises;
- :mod:`dlbigdata.units`: the one unit converter (ch. 15, 18);
- :mod:`dlbigdata.scratch`: NumPy gradients and layers checked against the libraries
  (ch. 05, 06);
- :mod:`dlbigdata.scaling`: seeded replication of the flights, event streams in windows
  (ch. 03, 26);
- :mod:`dlbigdata.serving`: a model saved with its fingerprint, an HTTP model server
  (ch. 09);
- :mod:`dlbigdata.networks`: image and text preparation, Keras models, splits and
  early stopping, classic baselines, a ``tf.data`` pipeline from Parquet (ch. 04, 10, 11);
- :mod:`dlbigdata.evaluation`: scores, learning curves, confusion matrices, n-grams
  (ch. 10, 11);
- :mod:`dlbigdata.rl`: exact MDP solvers; replay buffer, exploration, Bellman targets, the
  DQN agent and its training and evaluation (ch. 07, 12);
- :mod:`dlbigdata.mining`: impurity, a MapReduce runner, cost-complexity pruning, nested
  cross-validation (ch. 08, 13);
- :mod:`dlbigdata.analysis`: profiling and summarising the flights, the weather join
  (ch. 14, 19);
- :mod:`dlbigdata.charts`: small multiples, proportional markers, airport maps, the lie
  factor (ch. 19);
- :mod:`dlbigdata.cleaning`: missing values, imputation, outliers, duplicates, the flights'
  types, schemas (ch. 15);
- :mod:`dlbigdata.database`: SQLite connection, the SQL guard, schema, parameterized
  loading, the schema diagram (ch. 16);
- :mod:`dlbigdata.warehouse`: the DuckDB star schema, landing files, dimensions and the
  idempotent load (ch. 17);
- :mod:`dlbigdata.integration`: source extracts, harmonisation, reconciliation (ch. 18).

Every public function checks its input at the boundary with the private
``dlbigdata._validation`` checkers: a wrong type raises ``TypeError``, a wrong value
``ValueError``, and the message names the value and what is accepted.
"""

from dlbigdata.datasets import available, catalogue, load
from dlbigdata.reproducibility import seed_everything, seed_from_environment

__version__ = "0.1.0"
__all__ = ["available", "catalogue", "load", "seed_everything", "seed_from_environment"]
