"""Model builders: the article's LSTM and the stronger text network it is compared with.

The chapter-10 CNNs are written out as ``keras.Sequential`` models in their chapter, where
they are taught; only the text models, reused across the chapter's ensemble, live here.

Every builder checks all its arguments before Keras builds a layer, and returns a model
compiled with Adam, the binary cross-entropy, and accuracy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dlbigdata._validation import require_fraction, require_int, require_number

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    import keras

__all__ = ["build_article_lstm", "build_masked_bilstm"]


def _learning_rate(value: Any) -> float:
    """Adam's step size: a finite number > 0 (NaN or inf would ruin every weight)."""
    return require_number("learning_rate", value, minimum=0.0, low_open=True)


def _compile_classifier(model: keras.Model, learning_rate: float) -> keras.Model:
    """Compile with Adam, the binary cross-entropy on 0/1 labels, and accuracy."""
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


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
    return _compile_classifier(model, rate)


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
    return _compile_classifier(model, rate)
