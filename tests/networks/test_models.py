"""Tests of dlbigdata.networks.models: the LSTM builders."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlbigdata.networks import (
    build_article_lstm,
    build_masked_bilstm,
    predict_probabilities,
)

keras = pytest.importorskip("keras")

ALL_BUILDERS = [
    (build_article_lstm, {"vocabulary_size": 10, "sequence_length": 4}),
    (build_masked_bilstm, {"vocabulary_size": 10, "sequence_length": 4}),
]


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("builder", "kwargs", "message"),
    [
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
