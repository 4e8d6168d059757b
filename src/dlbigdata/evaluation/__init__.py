"""Evaluating models: baselines, honest splits, verdicts with intervals, decisions, figures.

Its modules:

- :mod:`~dlbigdata.evaluation.scores`: :func:`majority_class_accuracy` and
  :func:`comparison_table` (every model beside the best, or a reference, in percentage
  points); accuracies themselves come from ``sklearn.metrics.accuracy_score`` or Keras'
  ``model.evaluate``;
- :mod:`~dlbigdata.evaluation.figures`: :func:`plot_learning_curves` (training and
  validation curves per epoch), :func:`plot_confusion_matrix`, :func:`plot_image_grid`
  and :func:`plot_misclassified_images`, in the book's house style;
- :mod:`~dlbigdata.evaluation.ngrams`: :func:`top_weighted_ngrams` lists the n-grams a
  linear text model weighs most heavily for each class;
- :mod:`~dlbigdata.evaluation.splits`: honest splits (:func:`split_by_time`,
  :func:`split_last_per_entity`) and the checks that prove a split does not leak
  (:func:`check_disjoint`, :func:`check_time_order`);
- :mod:`~dlbigdata.evaluation.intervals`: the case studies' verdict table,
  :func:`paired_bootstrap` (every model's score and its difference to a reference with a
  paired bootstrap interval) and :func:`verdict`;
- :mod:`~dlbigdata.evaluation.decisions`: from scores to decisions (:func:`confusion_at`,
  :func:`sensitivity_specificity`, :func:`threshold_for_sensitivity`,
  :func:`expected_cost`, :func:`cost_curve`);
- :mod:`~dlbigdata.evaluation.ranking`: a recommender's top-k lists and their metrics
  (:func:`top_k_unseen`, :func:`hit_at_k`, :func:`ndcg_at_k`).

Label arrays are checked the same way everywhere: one-dimensional, none missing, a single
string refused, and two pandas Series paired by their index, never by position silently.
"""

from dlbigdata.evaluation.decisions import (
    confusion_at,
    cost_curve,
    expected_cost,
    sensitivity_specificity,
    threshold_for_sensitivity,
)
from dlbigdata.evaluation.figures import (
    plot_confusion_matrix,
    plot_image_grid,
    plot_learning_curves,
    plot_misclassified_images,
)
from dlbigdata.evaluation.intervals import paired_bootstrap, verdict
from dlbigdata.evaluation.ngrams import top_weighted_ngrams
from dlbigdata.evaluation.ranking import hit_at_k, ndcg_at_k, top_k_unseen
from dlbigdata.evaluation.scores import comparison_table, majority_class_accuracy
from dlbigdata.evaluation.splits import (
    check_disjoint,
    check_time_order,
    split_by_time,
    split_last_per_entity,
)

__all__ = [
    "check_disjoint",
    "check_time_order",
    "comparison_table",
    "confusion_at",
    "cost_curve",
    "expected_cost",
    "hit_at_k",
    "majority_class_accuracy",
    "ndcg_at_k",
    "paired_bootstrap",
    "plot_confusion_matrix",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_misclassified_images",
    "sensitivity_specificity",
    "split_by_time",
    "split_last_per_entity",
    "threshold_for_sensitivity",
    "top_k_unseen",
    "top_weighted_ngrams",
    "verdict",
]
