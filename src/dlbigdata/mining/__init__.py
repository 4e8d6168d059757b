"""Data mining: impurity, MapReduce, and cost-complexity pruning chosen by cross-validation.

:mod:`dlbigdata.mining.mapreduce` runs a map, shuffle and reduce over the partitions of a
table in worker processes (:func:`map_reduce`, :func:`partition_frame`, :func:`shuffle`,
with importable mappers and reducers such as :class:`GroupCountSum`, :func:`count_words`;
chapter 08). Chapter 13 grows a tree with scikit-learn and then asks three questions this
subpackage answers in a few calls, one module each:

- :mod:`dlbigdata.mining.impurity`: how pure is a node (:func:`impurity`,
  :func:`impurity_decrease`);
- :mod:`dlbigdata.mining.pruning`: how far should the tree be pruned
  (:func:`pruning_alphas`, :func:`cross_validate_alphas`, :func:`select_alpha`,
  :func:`compare_full_and_pruned`);
- :mod:`dlbigdata.mining.trees`: what a fitted tree says: its weakest links
  (:func:`effective_alphas`) and the features it relies on (:func:`feature_importances`).

Every public name is re-exported here: ``from dlbigdata.mining import impurity``.
"""

from dlbigdata.mining.impurity import impurity, impurity_decrease
from dlbigdata.mining.mapreduce import (
    START_METHODS,
    GroupCountSum,
    count_words,
    map_reduce,
    partition_frame,
    shuffle,
    sum_columns,
    sum_values,
    words_of,
)
from dlbigdata.mining.pruning import (
    compare_full_and_pruned,
    cross_validate_alphas,
    pruning_alphas,
    select_alpha,
)
from dlbigdata.mining.trees import effective_alphas, feature_importances

__all__ = [
    "START_METHODS",
    "GroupCountSum",
    "compare_full_and_pruned",
    "count_words",
    "cross_validate_alphas",
    "effective_alphas",
    "feature_importances",
    "impurity",
    "impurity_decrease",
    "map_reduce",
    "partition_frame",
    "pruning_alphas",
    "select_alpha",
    "shuffle",
    "sum_columns",
    "sum_values",
    "words_of",
]
