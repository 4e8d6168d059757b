"""Decision trees for data mining: impurity, cost-complexity pruning chosen by cross-validation.

Chapter 13 grows a tree with scikit-learn and then asks three questions this subpackage
answers in a few calls, one module each:

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
from dlbigdata.mining.pruning import (
    compare_full_and_pruned,
    cross_validate_alphas,
    pruning_alphas,
    select_alpha,
)
from dlbigdata.mining.trees import effective_alphas, feature_importances

__all__ = [
    "compare_full_and_pruned",
    "cross_validate_alphas",
    "effective_alphas",
    "feature_importances",
    "impurity",
    "impurity_decrease",
    "pruning_alphas",
    "select_alpha",
]
