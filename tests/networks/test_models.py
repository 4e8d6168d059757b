"""Tests of dlbigdata.networks.models: the CNN and LSTM builders."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlbigdata.networks import (
    build_article_cnn,
    build_article_lstm,
    build_augmented_cnn,
    build_masked_bilstm,
    predict_probabilities,
)

keras = pytest.importorskip("keras")

ALL_BUILDERS = [
    (build_article_cnn, {}),
    (build_augmented_cnn, {}),
    (build_article_lstm, {"vocabulary_size": 10, "sequence_length": 4}),
    (build_masked_bilstm, {"vocabulary_size": 10, "sequence_length": 4}),
]


def test_article_cnn_matches_the_article_for_8x8_and_28x28():
    small = build_article_cnn((8, 8, 1), 10)
    assert [layer.__class__.__name__ for layer in small.layers] == [
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dense",
    ]
    # Conv: (3*3*1 + 1) * 32 = 320; dense: 3*3*32*10 + 10 = 2890.
    assert small.count_params() == 320 + 2890
    mnist = build_article_cnn((28, 28, 1), 10)
    assert mnist.count_params() == 320 + 13 * 13 * 32 * 10 + 10
    assert mnist.output_shape == (None, 10)
    from_numpy = build_article_cnn([np.int64(8), 8, 1], np.int64(3), np.float32(0.01))
    assert from_numpy.output_shape == (None, 3)


def test_augmented_cnn_shifts_only_while_training():
    model = build_augmented_cnn((8, 8, 1), 10, shift_pixels=1)
    assert model.layers[0].__class__.__name__ == "RandomTranslation"
    images = np.random.default_rng(0).random((4, 8, 8, 1)).astype("float32")
    assert_allclose(model.layers[0](images, training=False), images)
    keras.utils.set_random_seed(1)
    moved = np.asarray(model.layers[0](images, training=True))
    assert not np.allclose(moved, images)
    assert model.predict(images, verbose=0).shape == (4, 10)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("builder", "kwargs", "message"),
    [
        (build_article_cnn, {"input_shape": (3, 3, 1)}, "at least 4x4"),
        (build_article_cnn, {"input_shape": (8, 8)}, r"input_shape must be .*got \(8, 8\)"),
        (build_article_cnn, {"input_shape": (8, 0, 1)}, r"input_shape\[1\] must be .*got 0"),
        (build_article_cnn, {"n_classes": 1}, "n_classes must be an integer >= 2, got 1"),
        (build_augmented_cnn, {"shift_pixels": 4}, "shift_pixels=4 is too large"),
        (build_augmented_cnn, {"shift_pixels": 0}, "shift_pixels must be an integer >= 1"),
        (
            build_augmented_cnn,
            {"filters": (32,)},
            r"filters must be two positive ints, got \(32,\)",
        ),
        (build_augmented_cnn, {"filters": (32, -1)}, "filters must be an integer >= 1, got -1"),
        (build_augmented_cnn, {"dense_units": 0}, "dense_units must be an integer >= 1, got 0"),
    ],
)
def test_cnn_builders_reject_bad_values(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("builder", "kwargs", "message"),
    [
        (build_article_cnn, {"input_shape": "881"}, "input_shape must be a tuple .*got str"),
        (build_article_cnn, {"input_shape": (8.0, 8, 1)}, r"input_shape\[0\] must be an integer"),
        (build_article_cnn, {"n_classes": True}, "n_classes must be an integer, got bool"),
        (build_augmented_cnn, {"filters": 32}, "filters must be a tuple of two .*got int: 32"),
        (build_augmented_cnn, {"filters": "ab"}, "filters must be a tuple of two .*got str"),
        (build_augmented_cnn, {"shift_pixels": 1.5}, "shift_pixels must be an integer, got float"),
        (build_article_lstm, {"vocabulary_size": "10", "sequence_length": 4}, "got str: '10'"),
        (
            build_masked_bilstm,
            {"vocabulary_size": 9, "sequence_length": 4, "dropout": "0.1"},
            "dropout must be a number, got str",
        ),
    ],
)
def test_builders_reject_arguments_of_the_wrong_type(builder, kwargs, message):
    with pytest.raises(TypeError, match=message):
        builder(**kwargs)


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize(("builder", "kwargs"), ALL_BUILDERS)
@pytest.mark.parametrize("rate", [np.inf, -1e-3, 0.0])
def test_builders_refuse_a_learning_rate_that_would_ruin_the_weights(builder, kwargs, rate):
    with pytest.raises(ValueError, match=f"learning_rate must be a finite number > 0, got {rate}"):
        builder(**kwargs, learning_rate=rate)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(("builder", "kwargs"), ALL_BUILDERS)
def test_builders_refuse_a_nan_learning_rate(builder, kwargs):
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0, got nan"):
        builder(**kwargs, learning_rate=float("nan"))


def test_text_models_read_sequences_and_output_one_probability():
    ids = np.array([[2, 3, 0, 0], [4, 0, 0, 0]])
    article = build_article_lstm(vocabulary_size=5, sequence_length=4, embedding_dim=3, units=2)
    assert [layer.__class__.__name__ for layer in article.layers] == ["Embedding", "LSTM", "Dense"]
    assert not article.layers[0].mask_zero
    better = build_masked_bilstm(vocabulary_size=5, sequence_length=4, embedding_dim=3, units=2)
    assert better.layers[0].mask_zero
    assert "Bidirectional" in [layer.__class__.__name__ for layer in better.layers]
    for model in (article, better):
        probabilities = model.predict(ids, verbose=0)
        assert probabilities.shape == (2, 1)
        assert np.all((probabilities >= 0) & (probabilities <= 1))


def test_masked_bilstm_ignores_padding():
    model = build_masked_bilstm(vocabulary_size=6, sequence_length=5, embedding_dim=4, units=3)
    short, padded_differently = np.array([[2, 3, 0, 0, 0]]), np.array([[2, 3, 0, 0]])
    longer_model = build_masked_bilstm(
        vocabulary_size=6, sequence_length=4, embedding_dim=4, units=3
    )
    longer_model.set_weights(model.get_weights())
    assert_allclose(
        model.predict(short, verbose=0),
        longer_model.predict(padded_differently, verbose=0),
        rtol=1e-5,
    )


def test_article_lstm_reads_the_padding():
    """Without a mask the padding ids change the output: the chapter's reason for masking."""
    model = build_article_lstm(vocabulary_size=6, sequence_length=5, embedding_dim=4, units=3)
    shorter = build_article_lstm(vocabulary_size=6, sequence_length=4, embedding_dim=4, units=3)
    shorter.set_weights(model.get_weights())
    five, four = np.array([[2, 3, 0, 0, 0]]), np.array([[2, 3, 0, 0]])
    assert not np.allclose(
        predict_probabilities(model, five),
        predict_probabilities(shorter, four),
        rtol=1e-7,
        atol=1e-9,
    )


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("builder", "kwargs", "message"),
    [
        (
            build_article_lstm,
            {"vocabulary_size": 2, "sequence_length": 4},
            "vocabulary_size must be an integer >= 3, got 2",
        ),
        (
            build_article_lstm,
            {"vocabulary_size": 10, "sequence_length": 0},
            "sequence_length must be an integer >= 1, got 0",
        ),
        (
            build_article_lstm,
            {"vocabulary_size": 10, "sequence_length": 4, "embedding_dim": -2},
            "embedding_dim must be an integer >= 1, got -2",
        ),
        (
            build_masked_bilstm,
            {"vocabulary_size": 10, "sequence_length": 4, "dropout": 1.0},
            r"dropout must be a finite number >= 0 and < 1, got 1.0",
        ),
        (
            build_masked_bilstm,
            {"vocabulary_size": 10, "sequence_length": 4, "units": -1},
            "units must be an integer >= 1, got -1",
        ),
    ],
)
def test_text_builders_reject_bad_values(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("dropout", [float("nan"), np.inf, -0.1])
def test_masked_bilstm_refuses_a_dropout_rate_that_is_not_a_rate(dropout):
    with pytest.raises(
        ValueError, match=f"dropout must be a finite number >= 0 and < 1, got {dropout}"
    ):
        build_masked_bilstm(vocabulary_size=10, sequence_length=4, dropout=dropout)
