"""Evaluating classifiers: accuracies beside their baselines, and the figures that explain them.

Its modules:

- :mod:`~dlbigdata.evaluation.scores`: :func:`majority_class_accuracy` and
  :func:`comparison_table` (every model beside the best, or a reference, in percentage
  points); accuracies themselves come from ``sklearn.metrics.accuracy_score`` or Keras'
  ``model.evaluate``;
- :mod:`~dlbigdata.evaluation.figures`: :func:`plot_learning_curves` (training and
  validation curves per epoch), :func:`plot_confusion_matrix`, :func:`plot_image_grid`
  and :func:`plot_misclassified_images`, in the book's house style;
- :mod:`~dlbigdata.evaluation.ngrams`: :func:`top_weighted_ngrams` lists the n-grams a
  linear text model weighs most heavily for each class.

Label arrays are checked the same way everywhere: one-dimensional, none missing, a single
string refused, and two pandas Series paired by their index, never by position silently.
"""

from dlbigdata.evaluation.figures import (
    plot_confusion_matrix,
    plot_image_grid,
    plot_learning_curves,
    plot_misclassified_images,
)
from dlbigdata.evaluation.ngrams import top_weighted_ngrams
from dlbigdata.evaluation.scores import comparison_table, majority_class_accuracy

__all__ = [
    "comparison_table",
    "majority_class_accuracy",
    "plot_confusion_matrix",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_misclassified_images",
    "top_weighted_ngrams",
]
