"""Splits and training: stratified splits, early stopping on a validation split, predictions."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    describe,
    require_choice,
    require_finite_array,
    require_fraction,
    require_int,
    require_labels,
    require_same_index,
)

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    import keras

__all__ = [
    "DataSplit",
    "TrainingRun",
    "predict_labels",
    "predict_probabilities",
    "stratified_split",
    "train_with_early_stopping",
]


def _examples(name: str, x: Any) -> int:
    """Number of examples (rows) of ``x``; a string, a scalar or an empty ``x`` is refused."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or np.ndim(x) == 0:
        raise TypeError(
            f"{name} must be an array or a table, one row per example, got "
            f"{type(x).__name__}: {describe(x)}"
        )
    if len(x) == 0:
        raise ValueError(f"{name} is empty: there are no examples")
    return len(x)


@dataclass
class DataSplit:
    """Training and test parts of a data set (see :func:`stratified_split`).

    Used in chapters 10 and 11.
    """

    x_train: Any
    x_test: Any
    y_train: np.ndarray
    y_test: np.ndarray


def stratified_split(x: Any, y: Any, test_size: float, seed: int) -> DataSplit:
    """Split into training and test parts with the same class shares in both.

    Row ``i`` of ``x`` is the example labelled ``y[i]``: when both are pandas objects
    their indexes must be equal (they are never paired by position behind your back).

    Parameters
    ----------
    x : array_like or pandas object
        Inputs, one row per example.
    y : array_like
        Class labels, one per example, none missing.
    test_size : float
        Share of the examples held out for the test, strictly between 0 and 1.
    seed : int
        Seed of the shuffle (an integer >= 0).

    Returns
    -------
    DataSplit
        ``x_train``, ``x_test``, ``y_train``, ``y_test``.

    Raises
    ------
    TypeError
        If ``x`` is not an array or a table, ``y`` is a string, or ``test_size`` or
        ``seed`` has the wrong type.
    ValueError
        If ``x`` is empty, lengths or pandas indexes differ, a label is missing,
        ``test_size`` is not in (0, 1), or a class has fewer than two examples.

    Used in chapters 10 and 11.
    """
    from sklearn.model_selection import train_test_split

    labels = require_labels("y", y, length=_examples("x", x))
    require_same_index(("x", "y"), x, y)
    share = require_fraction("test_size", test_size, include_zero=False, include_one=False)
    state = require_int("seed", seed, minimum=0)
    classes, counts = np.unique(labels, return_counts=True)
    if counts.min() < 2:
        raise ValueError(
            f"every class needs at least two examples to stratify; class "
            f"{classes[counts.argmin()].item()!r} has {counts.min()}"
        )
    x_train, x_test, y_train, y_test = train_test_split(
        x, labels, test_size=share, stratify=labels, random_state=state
    )
    return DataSplit(x_train, x_test, y_train, y_test)


@dataclass
class TrainingRun:
    """What :func:`train_with_early_stopping` returns.

    Used in chapters 10 and 11.
    """

    model: keras.Model
    history: pd.DataFrame
    best_epoch: int
    seconds: float

    @property
    def epochs_run(self) -> int:
        """Number of epochs trained before early stopping ended the run."""
        return len(self.history)


def _require_model(model: Any, *, compiled: bool = False) -> None:
    """Refuse anything but a Keras model (a compiled one when ``compiled``)."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if compiled and not getattr(model, "compiled", False):
        raise TypeError("model must be compiled before training (call model.compile)")


def _finite_inputs(name: str, x: Any) -> None:
    """Refuse numeric inputs holding NaN, an infinity or a number too large for float32.

    One step on such an input would ruin the weights. Integer and float arrays (and
    numeric tables) are checked entry by entry with
    :func:`~dlbigdata._validation.require_finite_array` (complex numbers raise its
    TypeError); texts, for a model that vectorizes them, and booleans pass unchecked.
    ``x`` itself is left as it is (integer token ids stay integers).
    """
    array = np.asarray(x)
    if array.dtype.kind in "iufc":
        require_finite_array(name, array, None)


def train_with_early_stopping(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    validation_fraction: float = 0.15,
    patience: int = 10,
    max_epochs: int = 100,
    batch_size: int = 32,
    seed: int = 0,
    verbose: int = 0,
) -> TrainingRun:
    """Train a compiled Keras model, stopping when the validation loss stops improving.

    A stratified validation set is carved out of ``x, y`` (the test set is never used),
    and training stops ``patience`` epochs after the best validation loss; the weights
    of the best epoch are restored. Every argument is checked before the model changes.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    x : numpy.ndarray
        Training inputs (finite numbers that fit a float32, or texts for a model that
        vectorizes them).
    y : numpy.ndarray
        Integer class labels (one per row of ``x``).
    validation_fraction : float
        Share of ``x`` used for validation, strictly between 0 and 1.
    patience : int
        Epochs without improvement before stopping (at least 1).
    max_epochs : int
        Upper bound on the number of epochs (at least 1).
    batch_size : int
        Examples per gradient step (at least 1).
    seed : int
        Seed of the validation split.
    verbose : {0, 1, 2, "auto"}
        Passed to ``model.fit``.

    Returns
    -------
    TrainingRun
        The model (best weights), its per-epoch history (``loss``, ``val_loss`` and the
        compiled metrics, indexed by epoch from 1), the best epoch and the wall time.

    Raises
    ------
    TypeError
        If ``model`` is not a compiled Keras model, ``x`` holds complex numbers, or a
        number has the wrong type.
    ValueError
        If lengths differ, ``x`` holds NaN, infinities or numbers too large for float32,
        a number is out of range, or the validation loss was NaN in every epoch (the
        training diverged).

    Used in chapters 10 and 11.
    """
    _require_model(model, compiled=True)
    require_fraction(
        "validation_fraction", validation_fraction, include_zero=False, include_one=False
    )
    patience = require_int("patience", patience, minimum=1)
    max_epochs = require_int("max_epochs", max_epochs, minimum=1)
    batch_size = require_int("batch_size", batch_size, minimum=1)
    require_choice("verbose", verbose, [0, 1, 2, "auto"])
    split = stratified_split(x, y, test_size=validation_fraction, seed=seed)
    _finite_inputs("x", x)
    import keras

    stopper = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=True
    )
    start = time.perf_counter()
    fitted = model.fit(
        split.x_train,
        split.y_train,
        validation_data=(split.x_test, split.y_test),
        epochs=max_epochs,
        batch_size=batch_size,
        callbacks=[stopper],
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    history = pd.DataFrame(fitted.history)
    history.index = pd.RangeIndex(1, len(history) + 1, name="epoch")
    if history["val_loss"].isna().all():
        raise ValueError(
            "the validation loss was NaN in every epoch: the training diverged "
            "(lower the learning rate, or scale x)"
        )
    return TrainingRun(
        model=model, history=history, best_epoch=int(history["val_loss"].idxmin()), seconds=seconds
    )


def predict_probabilities(model: keras.Model, x: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """A model's outputs for ``x``, computed batch by batch in inference mode.

    Unlike ``model.predict`` this calls the model directly, so predicting with many
    models in one notebook does not trigger TensorFlow's function-retracing warnings.

    Parameters
    ----------
    model : keras.Model
        A trained model (dropout and random augmentation layers are switched off).
    x : numpy.ndarray
        Inputs, one row per example (at least one).
    batch_size : int
        Examples per call (at least 1).

    Returns
    -------
    numpy.ndarray
        The outputs, one row per example (``float32``).

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model, ``x`` not an array, or ``batch_size`` not an
        integer.
    ValueError
        If ``x`` is empty or ``batch_size`` is below 1.

    Used in chapters 10 and 11.
    """
    _require_model(model)
    size = require_int("batch_size", batch_size, minimum=1)
    count = _examples("x", x)
    import keras

    parts = [
        keras.ops.convert_to_numpy(model(x[start : start + size], training=False))
        for start in range(0, count, size)
    ]
    return np.concatenate(parts).astype(np.float32)


def predict_labels(model: keras.Model, x: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """Class labels predicted by a classifier with a softmax or a single sigmoid output.

    Parameters
    ----------
    model : keras.Model
        A trained model whose output has shape ``(n, classes)`` (softmax) or ``(n, 1)`` (sigmoid).
    x : numpy.ndarray
        Inputs.
    batch_size : int
        Examples per call (see :func:`predict_probabilities`).

    Returns
    -------
    numpy.ndarray
        ``int64`` labels: the arg-max class, or ``1`` where the sigmoid is at least 0.5.

    Raises
    ------
    TypeError
        As :func:`predict_probabilities`.
    ValueError
        If the model's output is not two-dimensional or holds NaN, ``x`` is empty or
        ``batch_size`` is below 1.

    Used in chapters 10 and 11.
    """
    probabilities = predict_probabilities(model, x, batch_size)
    if probabilities.ndim != 2:
        raise ValueError(
            f"expected outputs of shape (n, classes) or (n, 1), got {probabilities.shape}"
        )
    if np.isnan(probabilities).any():
        raise ValueError(
            f"the model output NaN for {int(np.isnan(probabilities).any(axis=1).sum())} "
            "example(s): its weights or inputs are not finite"
        )
    if probabilities.shape[1] == 1:
        return (probabilities[:, 0] >= 0.5).astype(np.int64)
    return probabilities.argmax(axis=1).astype(np.int64)
