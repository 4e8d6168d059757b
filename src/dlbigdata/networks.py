"""Neural networks with Keras: data preparation, model builders, training with early stopping.

The deep-learning chapters share this plumbing so that each notebook can show
the idea (which layers, which data, what the numbers say) in a few lines:

- images: :func:`images_from_frame` turns a table of pixel columns into the
  ``(n, height, width, 1)`` array a convolutional network expects, and
  :func:`shift_images` moves images by whole pixels;
- text: :func:`select_device_tweets`, :func:`near_duplicate_keys`,
  :func:`drop_near_duplicates`, :func:`standardize_tweet` and
  :func:`build_text_vectorizer` prepare short texts for an embedding layer;
- splits and training: :func:`stratified_split` and
  :func:`train_with_early_stopping` (a validation split carved out of the
  training data, early stopping on the validation loss, the best weights kept);
- models: :func:`build_article_cnn` and :func:`build_augmented_cnn` for images,
  :func:`build_article_lstm` and :func:`build_masked_bilstm` for text, and the
  classic baselines they are compared with (:func:`svm_baseline`,
  :func:`mlp_baseline`, :func:`tfidf_logistic_baseline`).

Keras 3 is imported lazily, inside the functions that need it, so that the
data-preparation helpers work (and are tested) without starting TensorFlow.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    import keras
    from sklearn.base import BaseEstimator

__all__ = [
    "DataSplit",
    "TrainingRun",
    "build_article_cnn",
    "build_article_lstm",
    "build_augmented_cnn",
    "build_masked_bilstm",
    "build_text_vectorizer",
    "drop_near_duplicates",
    "images_from_frame",
    "mlp_baseline",
    "near_duplicate_keys",
    "predict_labels",
    "predict_probabilities",
    "select_device_tweets",
    "shift_images",
    "standardize_tweet",
    "stratified_split",
    "svm_baseline",
    "tfidf_logistic_baseline",
    "train_with_early_stopping",
]


# ---------------------------------------------------------------------------
# Small validators shared by the public functions.
# ---------------------------------------------------------------------------


def _positive_int(name: str, value: object) -> int:
    """Return ``value`` as an int, or raise if it is not a positive integer."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _fraction(name: str, value: object) -> float:
    """Return ``value`` as a float strictly between 0 and 1, or raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating))
        or not 0.0 < float(value) < 1.0
    ):
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")
    return float(value)


def _probability(name: str, value: object) -> float:
    """Return ``value`` as a float in ``[0, 1)`` (a dropout rate), or raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating))
        or not 0.0 <= float(value) < 1.0
    ):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def _image_shape(input_shape: object, minimum_side: int) -> tuple[int, int, int]:
    """Validate ``(height, width, channels)`` and return it as a tuple of ints."""
    if (
        not isinstance(input_shape, (tuple, list))
        or len(input_shape) != 3
        or not all(
            isinstance(size, (int, np.integer)) and not isinstance(size, bool) and size > 0
            for size in input_shape
        )
    ):
        raise ValueError(
            "input_shape must be (height, width, channels) with positive ints, "
            f"got {input_shape!r}"
        )
    height, width, channels = (int(size) for size in input_shape)
    if min(height, width) < minimum_side:
        raise ValueError(
            f"images must be at least {minimum_side}x{minimum_side} pixels for this "
            f"network, got input_shape {input_shape!r}"
        )
    return height, width, channels


def _labels_1d(name: str, labels: object, length: int | None = None) -> np.ndarray:
    """Return ``labels`` as a 1-D array, checking its length against ``length``."""
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries but there are {length} examples")
    return array


# ---------------------------------------------------------------------------
# Images.
# ---------------------------------------------------------------------------


def images_from_frame(
    frame: pd.DataFrame, target: str, max_value: float
) -> tuple[np.ndarray, np.ndarray]:
    """Turn a table of square images (one pixel per column) into arrays for a CNN.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per image: the pixel columns in row-major order plus the label column.
        ``load("digits")`` has 64 pixel columns (8x8); MNIST would have 784 (28x28).
    target : str
        Name of the label column.
    max_value : float
        Largest possible pixel value (16 for scikit-learn's digits, 255 for MNIST);
        pixels are divided by it, so the images lie in ``[0, 1]``.

    Returns
    -------
    images : numpy.ndarray
        ``float32`` array of shape ``(n, side, side, 1)`` (height, width, one channel).
    labels : numpy.ndarray
        ``int64`` array of shape ``(n,)``.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``target`` is not a column, the number of pixel columns is not a perfect square,
        a pixel column is not numeric, ``max_value`` is not positive, pixels are missing or
        lie outside ``[0, max_value]``, or a label is not an integer.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if target not in frame.columns:
        raise ValueError(
            f"target column {target!r} not found; columns are {list(frame.columns)[:8]}..."
        )
    if (
        isinstance(max_value, bool)
        or not isinstance(max_value, (int, float, np.number))
        or max_value <= 0
    ):
        raise ValueError(f"max_value must be a positive number, got {max_value!r}")
    pixels = frame.drop(columns=[target])
    side = int(round(np.sqrt(pixels.shape[1])))
    if side * side != pixels.shape[1] or side == 0:
        raise ValueError(f"expected a square number of pixel columns, got {pixels.shape[1]}")
    not_numeric = [
        column for column in pixels.columns if not pd.api.types.is_numeric_dtype(pixels[column])
    ]
    if not_numeric:
        raise ValueError(f"pixel columns must be numeric; not numeric: {not_numeric[:5]}")
    values = pixels.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ValueError(f"{int(np.isnan(values).any(axis=1).sum())} image(s) have missing pixels")
    if values.min() < 0 or values.max() > max_value:
        raise ValueError(
            f"pixels must lie in [0, {max_value}], found values in "
            f"[{values.min()}, {values.max()}]"
        )
    labels = frame[target].to_numpy()
    if not np.all(np.equal(np.mod(labels.astype(float), 1), 0)):
        raise ValueError(f"labels in {target!r} must be integers, got e.g. {labels[:3]!r}")
    images = (values / float(max_value)).astype(np.float32).reshape(-1, side, side, 1)
    return images, labels.astype(np.int64)


def shift_images(images: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Move every image by whole pixels, filling the uncovered border with zeros.

    Parameters
    ----------
    images : numpy.ndarray
        Array of shape ``(n, height, width)`` or ``(n, height, width, channels)``.
    rows, columns : int
        Shift down (positive) or up (negative), and right (positive) or left (negative).

    Returns
    -------
    numpy.ndarray
        A new array with the same shape and dtype; pixels shifted out are lost.

    Raises
    ------
    ValueError
        If ``images`` has another number of dimensions, or a shift is not an integer
        smaller in size than the image.
    """
    array = np.asarray(images)
    if array.ndim not in (3, 4):
        raise ValueError(
            f"images must have shape (n, height, width[, channels]), got {array.shape}"
        )
    height, width = array.shape[1], array.shape[2]
    for name, shift, size in (("rows", rows, height), ("columns", columns, width)):
        if (
            isinstance(shift, bool)
            or not isinstance(shift, (int, np.integer))
            or abs(shift) >= size
        ):
            raise ValueError(f"{name} must be an int with |{name}| < {size}, got {shift!r}")
    shifted = np.zeros_like(array)
    target_rows = slice(max(rows, 0), height + min(rows, 0))
    source_rows = slice(max(-rows, 0), height + min(-rows, 0))
    target_columns = slice(max(columns, 0), width + min(columns, 0))
    source_columns = slice(max(-columns, 0), width + min(-columns, 0))
    shifted[:, target_rows, target_columns] = array[:, source_rows, source_columns]
    return shifted


# ---------------------------------------------------------------------------
# Text.
# ---------------------------------------------------------------------------

_URL = re.compile(r"https?://\S+")
_SYMBOL = re.compile(r"(\.\.+|-{2,}|[^\w\s])")


def select_device_tweets(
    frame: pd.DataFrame, devices: Sequence[str] = ("Android", "iPhone")
) -> pd.DataFrame:
    """Original tweets posted from two devices, labelled 0 (first device) and 1 (second).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``load("trump_tweets")`` or a table with its columns ``source``, ``text``,
        ``created_at`` and ``is_retweet``.
    devices : sequence of two str
        Device names as they appear after ``"Twitter for "`` in ``source``.

    Returns
    -------
    pandas.DataFrame
        Columns ``created_at``, ``text`` (str), ``device`` (category with the two
        names in the given order) and ``label`` (0 or 1), sorted by time. Retweets
        (``is_retweet`` true, or a text that starts with ``"RT @"``) are excluded.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If a column is missing, ``devices`` is not two distinct names, or a device
        posted nothing.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [
        column for column in ("source", "text", "created_at", "is_retweet") if column not in frame
    ]
    if missing:
        raise ValueError(f"frame lacks column(s) {missing}; expected the trump_tweets table")
    if isinstance(devices, str) or len(devices) != 2 or len(set(devices)) != 2:
        raise ValueError(f"devices must be two distinct names, got {devices!r}")
    device = frame["source"].astype(str).str.removeprefix("Twitter for ")
    text = frame["text"].astype(str)
    original = ~frame["is_retweet"].astype(bool) & ~text.str.startswith("RT @")
    chosen = frame.loc[original & device.isin(devices), ["created_at"]].copy()
    chosen["text"] = text[chosen.index]
    chosen["device"] = pd.Categorical(device[chosen.index], categories=list(devices))
    for name in devices:
        if not (chosen["device"] == name).any():
            raise ValueError(
                f"no original tweets from device {name!r}; sources look like "
                f"{sorted(frame['source'].astype(str).unique())[:5]}"
            )
    chosen["label"] = chosen["device"].cat.codes.astype(np.int64)
    return chosen.sort_values("created_at", kind="stable")


def near_duplicate_keys(texts: Sequence[str] | pd.Series) -> pd.Series:
    """A key that is equal for texts that differ only in links, case, punctuation or spacing.

    Parameters
    ----------
    texts : sequence of str or pandas.Series
        The texts.

    Returns
    -------
    pandas.Series
        One key (str) per text, in the same order (and with the same index for a Series).

    Raises
    ------
    TypeError
        If an element is not a string.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    not_text = [value for value in series if not isinstance(value, str)]
    if not_text:
        raise TypeError(f"texts must be strings, got e.g. {not_text[0]!r}")
    keys = (
        series.astype(str)
        .str.lower()
        .str.replace(_URL, " ", regex=True)
        .str.replace(r"[^0-9a-z]+", " ", regex=True)
        .str.strip()
    )
    return keys.astype(object)


def drop_near_duplicates(frame: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """Keep the first of each group of near-duplicate texts (see :func:`near_duplicate_keys`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its row order decides which copy is kept (sort by time first).
    text_column : str
        Column holding the texts.

    Returns
    -------
    pandas.DataFrame
        The rows whose key has not been seen before; ``len(frame) - len(result)`` rows
        were dropped, so the caller can report how many.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``text_column`` is not a column.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if text_column not in frame.columns:
        raise ValueError(
            f"text column {text_column!r} not found; columns are {list(frame.columns)}"
        )
    keys = near_duplicate_keys(frame[text_column].astype(str))
    return frame.loc[~keys.duplicated().to_numpy()]


def standardize_tweet(text: str) -> str:
    """Lower-case a tweet and split it into space-separated tokens, keeping what lower-casing loses.

    Links become the token ``xxurl``, ``&amp;`` becomes ``&``, every symbol (``@ # ! " .``
    and so on; runs of dots or dashes stay together) becomes a token of its own, a word
    written in capitals (two letters or more) is preceded by the token ``xxup`` and a
    capitalized word by ``xxmaj``, as in fastai's text processing.

    Parameters
    ----------
    text : str
        One tweet.

    Returns
    -------
    str
        The tokens joined by single spaces, ready for ``TextVectorization(standardize=None)``.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__} {text!r}")
    spaced = _SYMBOL.sub(r" \1 ", _URL.sub(" xxurl ", text.replace("&amp;", "&")))
    tokens = []
    for word in spaced.split():
        if len(word) > 1 and word.isupper():
            tokens.append("xxup")
        elif word[:1].isupper():
            tokens.append("xxmaj")
        tokens.append(word.lower())
    return " ".join(tokens)


def build_text_vectorizer(
    texts: Sequence[str],
    max_tokens: int,
    sequence_length: int,
    standardize: str | None = "lower_and_strip_punctuation",
) -> keras.layers.TextVectorization:
    """A Keras ``TextVectorization`` layer adapted to ``texts`` (token ids, padded at the end).

    Parameters
    ----------
    texts : sequence of str
        Training texts only: the vocabulary must not see the test set.
    max_tokens : int
        Vocabulary size, including the padding id 0 and the out-of-vocabulary id 1.
    sequence_length : int
        Every output row has this many ids: longer texts are cut, shorter ones padded with 0.
    standardize : {"lower_and_strip_punctuation", None}
        Keras' default clean-up, or ``None`` for texts already standardized (for example
        by :func:`standardize_tweet`).

    Returns
    -------
    keras.layers.TextVectorization
        The adapted layer; call it on an array of strings to get ``int64`` ids.

    Raises
    ------
    ValueError
        If ``texts`` is empty or not all strings, ``max_tokens`` is below 3,
        ``sequence_length`` is not positive, or ``standardize`` is not accepted.
    """
    values = list(texts)
    if not values or not all(isinstance(value, str) for value in values):
        raise ValueError("texts must be a non-empty sequence of str")
    if _positive_int("max_tokens", max_tokens) < 3:
        raise ValueError(
            f"max_tokens must be at least 3 (padding, unknown, one word), got {max_tokens}"
        )
    _positive_int("sequence_length", sequence_length)
    if standardize not in ("lower_and_strip_punctuation", None):
        raise ValueError(
            f"standardize must be 'lower_and_strip_punctuation' or None, got {standardize!r}"
        )
    import keras

    vectorizer = keras.layers.TextVectorization(
        max_tokens=max_tokens, standardize=standardize, output_sequence_length=sequence_length
    )
    vectorizer.adapt(np.asarray(values, dtype=object))
    return vectorizer


# ---------------------------------------------------------------------------
# Splits and training.
# ---------------------------------------------------------------------------


@dataclass
class DataSplit:
    """Training and test parts of a data set (see :func:`stratified_split`)."""

    x_train: Any
    x_test: Any
    y_train: np.ndarray
    y_test: np.ndarray


def stratified_split(x: Any, y: Sequence[Any], test_size: float, seed: int) -> DataSplit:
    """Split into training and test parts with the same class shares in both.

    Parameters
    ----------
    x : array_like or pandas object
        Inputs, one row per example.
    y : array_like
        Class labels, one per example.
    test_size : float
        Share of the examples held out for the test, strictly between 0 and 1.
    seed : int
        Seed of the shuffle.

    Returns
    -------
    DataSplit
        ``x_train``, ``x_test``, ``y_train``, ``y_test``.

    Raises
    ------
    ValueError
        If lengths differ, ``test_size`` is not in (0, 1), or a class has fewer than two examples.
    """
    from sklearn.model_selection import train_test_split

    labels = _labels_1d("y", y, len(x))
    _fraction("test_size", test_size)
    classes, counts = np.unique(labels, return_counts=True)
    if counts.min() < 2:
        raise ValueError(
            f"every class needs at least two examples to stratify; class "
            f"{classes[counts.argmin()].item()!r} has {counts.min()}"
        )
    x_train, x_test, y_train, y_test = train_test_split(
        x, labels, test_size=test_size, stratify=labels, random_state=seed
    )
    return DataSplit(x_train, x_test, y_train, y_test)


@dataclass
class TrainingRun:
    """What :func:`train_with_early_stopping` returns."""

    model: keras.Model
    history: pd.DataFrame
    best_epoch: int
    seconds: float

    @property
    def epochs_run(self) -> int:
        """Number of epochs trained before early stopping ended the run."""
        return len(self.history)


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
    of the best epoch are restored.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    x : numpy.ndarray
        Training inputs.
    y : numpy.ndarray
        Integer class labels (one per row of ``x``).
    validation_fraction : float
        Share of ``x`` used for validation, strictly between 0 and 1.
    patience : int
        Epochs without improvement before stopping.
    max_epochs : int
        Upper bound on the number of epochs.
    batch_size : int
        Examples per gradient step.
    seed : int
        Seed of the validation split.
    verbose : int
        Passed to ``model.fit``.

    Returns
    -------
    TrainingRun
        The model (best weights), its per-epoch history (``loss``, ``val_loss`` and the
        compiled metrics, indexed by epoch from 1), the best epoch and the wall time.

    Raises
    ------
    TypeError
        If ``model`` is not a compiled Keras model.
    ValueError
        If lengths differ or a number is out of range.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not getattr(model, "compiled", False):
        raise TypeError("model must be compiled before training (call model.compile)")
    _fraction("validation_fraction", validation_fraction)
    for name, value in (
        ("patience", patience),
        ("max_epochs", max_epochs),
        ("batch_size", batch_size),
    ):
        _positive_int(name, value)
    split = stratified_split(x, y, test_size=validation_fraction, seed=seed)
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
    return TrainingRun(
        model=model, history=history, best_epoch=int(history["val_loss"].idxmin()), seconds=seconds
    )


def predict_probabilities(
    model: keras.Model, x: np.ndarray, batch_size: int = 512
) -> np.ndarray:
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
        Examples per call.

    Returns
    -------
    numpy.ndarray
        The outputs, one row per example (``float32``).

    Raises
    ------
    ValueError
        If ``x`` is empty or ``batch_size`` is not a positive int.
    """
    import keras

    _positive_int("batch_size", batch_size)
    if len(x) == 0:
        raise ValueError("x is empty: nothing to predict")
    parts = [
        keras.ops.convert_to_numpy(model(x[start : start + batch_size], training=False))
        for start in range(0, len(x), batch_size)
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
    ValueError
        If the model's output is not two-dimensional, ``x`` is empty or ``batch_size``
        is not a positive int.
    """
    probabilities = predict_probabilities(model, x, batch_size)
    if probabilities.ndim != 2:
        raise ValueError(
            f"expected outputs of shape (n, classes) or (n, 1), got {probabilities.shape}"
        )
    if probabilities.shape[1] == 1:
        return (probabilities[:, 0] >= 0.5).astype(np.int64)
    return probabilities.argmax(axis=1).astype(np.int64)


# ---------------------------------------------------------------------------
# Models for images.
# ---------------------------------------------------------------------------


def _compile_classifier(model: keras.Model, learning_rate: float, binary: bool) -> keras.Model:
    """Compile with Adam, cross-entropy on integer labels, and accuracy."""
    import keras

    loss = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=["accuracy"])
    return model


def build_article_cnn(
    input_shape: tuple[int, int, int] = (8, 8, 1), n_classes: int = 10, learning_rate: float = 1e-3
) -> keras.Model:
    """The article's CNN: ``Conv2D(32, 3x3) -> MaxPooling2D(2x2) -> Flatten -> Dense(softmax)``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)``: ``(8, 8, 1)`` for scikit-learn's digits,
        ``(28, 28, 1)`` for MNIST.
    n_classes : int
        Number of classes (at least 2).
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with sparse categorical cross-entropy (labels are class numbers, not
        one-hot vectors) and accuracy.

    Raises
    ------
    ValueError
        If the shape is not three positive ints with a side of at least 4, or
        ``n_classes`` is below 2.
    """
    import keras
    from keras import layers

    shape = _image_shape(input_shape, minimum_side=4)
    if _positive_int("n_classes", n_classes) < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    model = keras.Sequential(
        [
            keras.Input(shape),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(n_classes, activation="softmax"),
        ],
        name="article_cnn",
    )
    return _compile_classifier(model, learning_rate, binary=False)


def build_augmented_cnn(
    input_shape: tuple[int, int, int] = (8, 8, 1),
    n_classes: int = 10,
    shift_pixels: int = 1,
    filters: tuple[int, int] = (32, 64),
    dense_units: int = 128,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A stronger CNN: random shifts while training, two same-padded convolutions, dropout.

    ``RandomTranslation -> Conv2D -> Conv2D -> MaxPooling2D -> Dropout -> Flatten ->
    Dense -> Dropout -> Dense(softmax)``. The translation layer moves each training image
    by up to ``shift_pixels`` pixels in each direction (new pixels are 0) and does nothing
    at prediction time.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)``, each side at least 2.
    n_classes : int
        Number of classes (at least 2).
    shift_pixels : int
        Largest shift, in pixels; 1 suits 8x8 digits, 2 or 3 suit 28x28 MNIST.
        Must be smaller than half the image side.
    filters : tuple of two int
        Filters of the two convolutions.
    dense_units : int
        Width of the hidden dense layer.
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with sparse categorical cross-entropy and accuracy.

    Raises
    ------
    ValueError
        If a size is not a positive int, the shift is too large, or ``n_classes`` is below 2.
    """
    import keras
    from keras import layers

    height, width, channels = _image_shape(input_shape, minimum_side=2)
    if _positive_int("n_classes", n_classes) < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    if _positive_int("shift_pixels", shift_pixels) * 2 >= min(height, width):
        raise ValueError(f"shift_pixels={shift_pixels} is too large for {height}x{width} images")
    if not isinstance(filters, (tuple, list)) or len(filters) != 2:
        raise ValueError(f"filters must be two positive ints, got {filters!r}")
    first, second = (_positive_int("filters", value) for value in filters)
    model = keras.Sequential(
        [
            keras.Input((height, width, channels)),
            layers.RandomTranslation(
                shift_pixels / height,
                shift_pixels / width,
                fill_mode="constant",
                interpolation="nearest",
            ),
            layers.Conv2D(first, (3, 3), padding="same", activation="relu"),
            layers.Conv2D(second, (3, 3), padding="same", activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(_positive_int("dense_units", dense_units), activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(n_classes, activation="softmax"),
        ],
        name="augmented_cnn",
    )
    return _compile_classifier(model, learning_rate, binary=False)


# ---------------------------------------------------------------------------
# Models for text.
# ---------------------------------------------------------------------------


def build_article_lstm(
    vocabulary_size: int,
    sequence_length: int,
    embedding_dim: int = 64,
    units: int = 128,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """The article's text model: ``Embedding -> LSTM(dropout 0.2) -> Dense(1, sigmoid)``.

    As in the article, the embedding does not mask padding: the LSTM reads the zeros
    that pad short texts as if they were words.

    Parameters
    ----------
    vocabulary_size : int
        Number of token ids (``len(vectorizer.get_vocabulary())``), at least 3.
    sequence_length : int
        Ids per text.
    embedding_dim : int
        Length of each word vector.
    units : int
        Size of the LSTM state.
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with binary cross-entropy and accuracy.

    Raises
    ------
    ValueError
        If a size is not a positive int or the vocabulary is smaller than 3.
    """
    import keras
    from keras import layers

    if _positive_int("vocabulary_size", vocabulary_size) < 3:
        raise ValueError(f"vocabulary_size must be at least 3, got {vocabulary_size}")
    model = keras.Sequential(
        [
            keras.Input((_positive_int("sequence_length", sequence_length),), dtype="int64"),
            layers.Embedding(vocabulary_size, _positive_int("embedding_dim", embedding_dim)),
            layers.LSTM(_positive_int("units", units), dropout=0.2, recurrent_dropout=0.2),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="article_lstm",
    )
    return _compile_classifier(model, learning_rate, binary=True)


def build_masked_bilstm(
    vocabulary_size: int,
    sequence_length: int,
    embedding_dim: int = 64,
    units: int = 32,
    dropout: float = 0.3,
    learning_rate: float = 2e-3,
) -> keras.Model:
    """A better text model: masked embedding, word dropout, bidirectional LSTM, dropout.

    ``Embedding(mask_zero=True) -> SpatialDropout1D -> Bidirectional(LSTM) -> Dropout ->
    Dense(1, sigmoid)``. The mask makes the LSTM skip the padding; the bidirectional
    layer reads the text forwards and backwards and concatenates both final states.

    Parameters
    ----------
    vocabulary_size : int
        Number of token ids, at least 3 (id 0 is padding).
    sequence_length : int
        Ids per text.
    embedding_dim : int
        Length of each word vector.
    units : int
        Size of the LSTM state in each direction.
    dropout : float
        Dropout rate of whole embedding channels and of the final state, in [0, 1).
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with binary cross-entropy and accuracy.

    Raises
    ------
    ValueError
        If a size is not a positive int, the vocabulary is smaller than 3, or ``dropout``
        is not in [0, 1).
    """
    import keras
    from keras import layers

    if _positive_int("vocabulary_size", vocabulary_size) < 3:
        raise ValueError(f"vocabulary_size must be at least 3, got {vocabulary_size}")
    rate = _probability("dropout", dropout)
    model = keras.Sequential(
        [
            keras.Input((_positive_int("sequence_length", sequence_length),), dtype="int64"),
            layers.Embedding(
                vocabulary_size, _positive_int("embedding_dim", embedding_dim), mask_zero=True
            ),
            layers.SpatialDropout1D(rate),
            layers.Bidirectional(layers.LSTM(_positive_int("units", units))),
            layers.Dropout(rate),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="masked_bilstm",
    )
    return _compile_classifier(model, learning_rate, binary=True)


# ---------------------------------------------------------------------------
# Classic baselines.
# ---------------------------------------------------------------------------


def svm_baseline(
    c_values: Sequence[float] = (1.0, 3.0, 10.0, 30.0), folds: int = 5
) -> BaseEstimator:
    """An RBF-kernel support vector machine whose ``C`` is chosen by cross-validation.

    Parameters
    ----------
    c_values : sequence of float
        Candidate penalties (positive); ``gamma`` is scikit-learn's ``"scale"``.
    folds : int
        Folds of the stratified cross-validation (at least 2).

    Returns
    -------
    sklearn.model_selection.GridSearchCV
        Unfitted; call ``fit(x, y)`` with flattened images (one row per image).

    Raises
    ------
    ValueError
        If ``c_values`` is empty or holds a non-positive value, or ``folds`` is below 2.
    """
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    values = list(c_values)
    if not values or any(
        isinstance(c, bool) or not isinstance(c, (int, float)) or c <= 0 for c in values
    ):
        raise ValueError(f"c_values must be positive numbers, got {c_values!r}")
    if _positive_int("folds", folds) < 2:
        raise ValueError(f"folds must be at least 2, got {folds}")
    return GridSearchCV(SVC(kernel="rbf", gamma="scale"), {"C": values}, cv=folds)


def mlp_baseline(hidden_units: int = 128, seed: int = 0) -> BaseEstimator:
    """A one-hidden-layer perceptron (scikit-learn's ``MLPClassifier``, Adam, weight decay).

    Parameters
    ----------
    hidden_units : int
        Width of the hidden layer.
    seed : int
        Seed of the initial weights and of the mini-batch shuffle.

    Returns
    -------
    sklearn.neural_network.MLPClassifier
        Unfitted; call ``fit(x, y)`` with flattened images. At most 400 epochs.

    Raises
    ------
    ValueError
        If ``hidden_units`` is not a positive int.
    """
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(
        hidden_layer_sizes=(_positive_int("hidden_units", hidden_units),),
        alpha=1e-3,
        max_iter=400,
        random_state=seed,
    )


def tfidf_logistic_baseline(analyzer: str = "word", c: float = 10.0) -> BaseEstimator:
    """TF-IDF n-grams followed by logistic regression, as a scikit-learn pipeline.

    Parameters
    ----------
    analyzer : {"word", "char", "word+char"}
        ``"word"``: word 1- and 2-grams (lower-cased); ``"char"``: character 2- to 5-grams
        inside word boundaries, case kept; ``"word+char"``: both, side by side.
    c : float
        Inverse regularization strength of the logistic regression (positive).

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; steps ``"features"`` and ``"classifier"``. Fit on raw texts.

    Raises
    ------
    ValueError
        If ``analyzer`` is not one of the three accepted, or ``c`` is not positive.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    if isinstance(c, bool) or not isinstance(c, (int, float)) or c <= 0:
        raise ValueError(f"c must be a positive number, got {c!r}")
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    characters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=False
    )
    options = {
        "word": words,
        "char": characters,
        "word+char": FeatureUnion([("word", words), ("char", characters)]),
    }
    if analyzer not in options:
        raise ValueError(f"analyzer must be one of {sorted(options)}, got {analyzer!r}")
    return Pipeline(
        [
            ("features", options[analyzer]),
            ("classifier", LogisticRegression(C=float(c), max_iter=2000)),
        ]
    )
