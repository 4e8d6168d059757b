"""Model builders: the article's CNN and LSTM, and the stronger networks they are compared with.

Every builder checks all its arguments before Keras builds a layer, and returns a model
compiled with Adam, a cross-entropy on integer labels, and accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dlbigdata._validation import describe, require_fraction, require_int, require_number

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    import keras

__all__ = [
    "build_article_cnn",
    "build_article_lstm",
    "build_augmented_cnn",
    "build_masked_bilstm",
]


def _image_shape(input_shape: Any, minimum_side: int) -> tuple[int, int, int]:
    """Validate ``(height, width, channels)`` and return it as a tuple of ints."""
    if not isinstance(input_shape, (tuple, list)):
        raise TypeError(
            f"input_shape must be a tuple (height, width, channels), got "
            f"{type(input_shape).__name__}: {describe(input_shape)}"
        )
    if len(input_shape) != 3:
        raise ValueError(
            f"input_shape must be (height, width, channels) with positive ints, "
            f"got {input_shape!r}"
        )
    height, width, channels = (
        require_int(f"input_shape[{index}]", size, minimum=1)
        for index, size in enumerate(input_shape)
    )
    if min(height, width) < minimum_side:
        raise ValueError(
            f"images must be at least {minimum_side}x{minimum_side} pixels for this "
            f"network, got input_shape {input_shape!r}"
        )
    return height, width, channels


def _learning_rate(value: Any) -> float:
    """Adam's step size: a finite number > 0 (NaN or inf would ruin every weight)."""
    return require_number("learning_rate", value, minimum=0.0, low_open=True)


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
        Adam's step size, a finite number > 0.

    Returns
    -------
    keras.Model
        Compiled with sparse categorical cross-entropy (labels are class numbers, not
        one-hot vectors) and accuracy.

    Raises
    ------
    TypeError
        If a size is not an integer, ``input_shape`` not a tuple, or ``learning_rate``
        not a number.
    ValueError
        If the shape is not three positive ints with a side of at least 4,
        ``n_classes`` is below 2, or ``learning_rate`` is not finite and positive.

    Used in chapter 10.
    """
    shape = _image_shape(input_shape, minimum_side=4)
    classes = require_int("n_classes", n_classes, minimum=2)
    rate = _learning_rate(learning_rate)
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(classes, activation="softmax"),
        ],
        name="article_cnn",
    )
    return _compile_classifier(model, rate, binary=False)


def _two_filters(filters: Any) -> tuple[int, int]:
    """The filters of the two convolutions, as two positive ints."""
    if not isinstance(filters, Sequence) or isinstance(filters, str):
        raise TypeError(
            f"filters must be a tuple of two positive ints, got "
            f"{type(filters).__name__}: {describe(filters)}"
        )
    if len(filters) != 2:
        raise ValueError(f"filters must be two positive ints, got {filters!r}")
    first, second = (require_int("filters", value, minimum=1) for value in filters)
    return first, second


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
        Largest shift, in pixels (at least 1); 1 suits 8x8 digits, 2 or 3 suit 28x28
        MNIST. Must be smaller than half the image side.
    filters : tuple of two int
        Filters of the two convolutions.
    dense_units : int
        Width of the hidden dense layer.
    learning_rate : float
        Adam's step size, a finite number > 0.

    Returns
    -------
    keras.Model
        Compiled with sparse categorical cross-entropy and accuracy.

    Raises
    ------
    TypeError
        If a size is not an integer or ``learning_rate`` not a number.
    ValueError
        If a size is not positive, the shift is too large, ``n_classes`` is below 2, or
        ``learning_rate`` is not finite and positive.

    Used in chapter 10.
    """
    height, width, channels = _image_shape(input_shape, minimum_side=2)
    classes = require_int("n_classes", n_classes, minimum=2)
    shift = require_int("shift_pixels", shift_pixels, minimum=1)
    if shift * 2 >= min(height, width):
        raise ValueError(f"shift_pixels={shift} is too large for {height}x{width} images")
    first, second = _two_filters(filters)
    units = require_int("dense_units", dense_units, minimum=1)
    rate = _learning_rate(learning_rate)
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((height, width, channels)),
            layers.RandomTranslation(
                shift / height, shift / width, fill_mode="constant", interpolation="nearest"
            ),
            layers.Conv2D(first, (3, 3), padding="same", activation="relu"),
            layers.Conv2D(second, (3, 3), padding="same", activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(units, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(classes, activation="softmax"),
        ],
        name="augmented_cnn",
    )
    return _compile_classifier(model, rate, binary=False)


def _text_sizes(
    vocabulary_size: Any, sequence_length: Any, embedding_dim: Any, units: Any
) -> tuple[int, int, int, int]:
    """The sizes of a text model: a vocabulary of at least 3 ids, the others at least 1."""
    return (
        require_int("vocabulary_size", vocabulary_size, minimum=3),
        require_int("sequence_length", sequence_length, minimum=1),
        require_int("embedding_dim", embedding_dim, minimum=1),
        require_int("units", units, minimum=1),
    )


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
        Adam's step size, a finite number > 0.

    Returns
    -------
    keras.Model
        Compiled with binary cross-entropy and accuracy.

    Raises
    ------
    TypeError
        If a size is not an integer or ``learning_rate`` not a number.
    ValueError
        If a size is not positive, the vocabulary is smaller than 3, or
        ``learning_rate`` is not finite and positive.

    Used in chapter 11.
    """
    vocabulary, length, dimension, state = _text_sizes(
        vocabulary_size, sequence_length, embedding_dim, units
    )
    rate = _learning_rate(learning_rate)
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((length,), dtype="int64"),
            layers.Embedding(vocabulary, dimension),
            layers.LSTM(state, dropout=0.2, recurrent_dropout=0.2),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="article_lstm",
    )
    return _compile_classifier(model, rate, binary=True)


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
        Adam's step size, a finite number > 0.

    Returns
    -------
    keras.Model
        Compiled with binary cross-entropy and accuracy.

    Raises
    ------
    TypeError
        If a size is not an integer, or ``dropout`` or ``learning_rate`` not a number.
    ValueError
        If a size is not positive, the vocabulary is smaller than 3, ``dropout`` is not
        in [0, 1) (NaN included), or ``learning_rate`` is not finite and positive.

    Used in chapter 11.
    """
    vocabulary, length, dimension, state = _text_sizes(
        vocabulary_size, sequence_length, embedding_dim, units
    )
    dropout_rate = require_fraction("dropout", dropout, include_one=False)
    rate = _learning_rate(learning_rate)
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((length,), dtype="int64"),
            layers.Embedding(vocabulary, dimension, mask_zero=True),
            layers.SpatialDropout1D(dropout_rate),
            layers.Bidirectional(layers.LSTM(state)),
            layers.Dropout(dropout_rate),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="masked_bilstm",
    )
    return _compile_classifier(model, rate, binary=True)
