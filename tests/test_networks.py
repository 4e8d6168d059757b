"""Tests of dlbigdata.networks: data preparation, splits, model builders, training, baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.networks import (
    DataSplit,
    build_article_cnn,
    build_article_lstm,
    build_augmented_cnn,
    build_masked_bilstm,
    build_text_vectorizer,
    drop_near_duplicates,
    images_from_frame,
    mlp_baseline,
    near_duplicate_keys,
    predict_labels,
    predict_probabilities,
    select_device_tweets,
    shift_images,
    standardize_tweet,
    stratified_split,
    svm_baseline,
    tfidf_logistic_baseline,
    train_with_early_stopping,
)

keras = pytest.importorskip("keras")


# --------------------------------------------------------------------------- images


def pixel_frame(n_images: int = 4, side: int = 2, max_value: int = 16) -> pd.DataFrame:
    values = np.arange(n_images * side * side).reshape(n_images, side * side) % (max_value + 1)
    frame = pd.DataFrame(values, columns=[f"pixel_{i}" for i in range(side * side)])
    frame["digit"] = np.arange(n_images) % 3
    return frame


def test_images_from_frame_reshapes_and_scales():
    frame = pixel_frame(n_images=3, side=2)
    images, labels = images_from_frame(frame, target="digit", max_value=16)
    assert images.shape == (3, 2, 2, 1) and images.dtype == np.float32
    assert_allclose(images[1, :, :, 0], np.array([[4, 5], [6, 7]]) / 16)
    assert_array_equal(labels, [0, 1, 2])
    assert labels.dtype == np.int64


def test_images_from_frame_reads_the_book_digits():
    from dlbigdata import load

    images, labels = images_from_frame(load("digits"), target="digit", max_value=16)
    assert images.shape == (1797, 8, 8, 1)
    assert images.min() == 0.0 and images.max() == 1.0
    assert set(labels.tolist()) == set(range(10))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="digit"), "target column 'digit' not found"),
        (lambda f: f.drop(columns="pixel_3"), "square number of pixel columns, got 3"),
        (lambda f: f.assign(pixel_0=f["pixel_0"].astype(str)), "must be numeric"),
        (lambda f: f.assign(pixel_0=np.nan), "have missing pixels"),
        (lambda f: f.assign(pixel_0=17), r"pixels must lie in \[0, 16\]"),
        (lambda f: f.assign(digit=0.5), "must be integers"),
    ],
)
def test_images_from_frame_rejects_bad_tables(change, message):
    with pytest.raises(ValueError, match=message):
        images_from_frame(change(pixel_frame()), target="digit", max_value=16)


def test_images_from_frame_rejects_bad_arguments():
    with pytest.raises(TypeError, match="pandas DataFrame"):
        images_from_frame(np.zeros((2, 5)), target="digit", max_value=16)
    with pytest.raises(ValueError, match="max_value must be a positive number"):
        images_from_frame(pixel_frame(), target="digit", max_value=0)


def test_shift_images_moves_pixels_and_fills_zeros():
    image = np.arange(1, 10, dtype=float).reshape(1, 3, 3)
    assert_array_equal(shift_images(image, 1, 0)[0], [[0, 0, 0], [1, 2, 3], [4, 5, 6]])
    assert_array_equal(shift_images(image, 0, -1)[0], [[2, 3, 0], [5, 6, 0], [8, 9, 0]])
    assert_array_equal(shift_images(image, -1, 1)[0], [[0, 4, 5], [0, 7, 8], [0, 0, 0]])
    assert_array_equal(shift_images(image, 0, 0), image)
    with_channel = image[..., None]
    assert shift_images(with_channel, 1, 1).shape == (1, 3, 3, 1)
    assert_array_equal(image[0, 0], [1, 2, 3]), "the input must not be modified"


@pytest.mark.parametrize(
    ("images", "rows", "columns", "message"),
    [
        (np.zeros((3, 3)), 1, 0, "must have shape"),
        (np.zeros((1, 3, 3)), 3, 0, r"rows must be an int with \|rows\| < 3"),
        (np.zeros((1, 3, 3)), 0, 1.5, "columns must be an int"),
    ],
)
def test_shift_images_rejects_bad_input(images, rows, columns, message):
    with pytest.raises(ValueError, match=message):
        shift_images(images, rows, columns)


# --------------------------------------------------------------------------- text


def tweet_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": [
                "Twitter for Android",
                "Twitter for iPhone",
                "Twitter Web Client",
                "Twitter for iPhone",
                "Twitter for Android",
                "Twitter for Android",
            ],
            "text": [
                "Crooked media!",
                "Join us https://t.co/abc",
                "From the web",
                "RT @someone: hello",
                "Great rally",
                "old retweet",
            ],
            "created_at": pd.to_datetime(
                [
                    "2016-01-03",
                    "2016-01-01",
                    "2016-01-02",
                    "2016-01-04",
                    "2016-01-02",
                    "2016-01-05",
                ],
                utc=True,
            ),
            "is_retweet": [False, False, False, False, False, True],
        }
    )


def test_select_device_tweets_keeps_originals_from_both_devices():
    chosen = select_device_tweets(tweet_frame())
    assert chosen["text"].tolist() == ["Join us https://t.co/abc", "Great rally", "Crooked media!"]
    assert chosen["device"].tolist() == ["iPhone", "Android", "Android"]
    assert chosen["label"].tolist() == [1, 0, 0]
    assert list(chosen["device"].cat.categories) == ["Android", "iPhone"]


def test_select_device_tweets_rejects_bad_input():
    with pytest.raises(TypeError, match="pandas DataFrame"):
        select_device_tweets([1, 2])
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['is_retweet'\]"):
        select_device_tweets(tweet_frame().drop(columns="is_retweet"))
    with pytest.raises(ValueError, match="two distinct names"):
        select_device_tweets(tweet_frame(), devices=("Android", "Android"))
    with pytest.raises(ValueError, match="no original tweets from device 'BlackBerry'"):
        select_device_tweets(tweet_frame(), devices=("Android", "BlackBerry"))


def test_near_duplicate_keys_ignore_links_case_and_punctuation():
    keys = near_duplicate_keys(
        ["Vote today! https://t.co/a1", "VOTE today https://t.co/b2", "Vote tomorrow!"]
    )
    assert keys[0] == keys[1] == "vote today"
    assert keys[2] != keys[0]
    series = pd.Series(["A b", "a B"], index=[10, 20])
    assert near_duplicate_keys(series).index.tolist() == [10, 20]
    with pytest.raises(TypeError, match="texts must be strings"):
        near_duplicate_keys(["fine", None])


def test_drop_near_duplicates_keeps_the_first_copy():
    frame = pd.DataFrame(
        {"text": ["Hello world", "hello, WORLD https://t.co/x", "Other"], "label": [0, 1, 0]}
    )
    kept = drop_near_duplicates(frame)
    assert kept["text"].tolist() == ["Hello world", "Other"]
    assert kept.index.tolist() == [0, 2]
    with pytest.raises(ValueError, match="text column 'body' not found"):
        drop_near_duplicates(frame, text_column="body")
    with pytest.raises(TypeError, match="pandas DataFrame"):
        drop_near_duplicates(["Hello"])


def test_standardize_tweet_keeps_symbols_case_and_links_as_tokens():
    assert (
        standardize_tweet("Crooked Hillary is a DISASTER... https://t.co/x1 &amp; more!")
        == "xxmaj crooked xxmaj hillary is a xxup disaster ... xxurl & more !"
    )
    assert standardize_tweet(".@FoxNews -- great") == ". @ xxmaj foxnews -- great"
    assert standardize_tweet("") == ""
    with pytest.raises(TypeError, match="text must be a str"):
        standardize_tweet(3)


def test_build_text_vectorizer_pads_at_the_end_and_maps_unknown_words():
    vectorizer = build_text_vectorizer(
        ["a b b", "b c"], max_tokens=10, sequence_length=4, standardize=None
    )
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:3] == ["", "[UNK]", "b"]
    ids = np.asarray(vectorizer(np.array(["b zzz"])))
    assert_array_equal(ids, [[2, 1, 0, 0]])
    cleaned = build_text_vectorizer(["Hello, world!"], max_tokens=10, sequence_length=2)
    assert set(cleaned.get_vocabulary()) == {"", "[UNK]", "hello", "world"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"texts": []}, "non-empty sequence of str"),
        ({"texts": ["ok", 3]}, "non-empty sequence of str"),
        ({"max_tokens": 2}, "at least 3"),
        ({"sequence_length": 0}, "sequence_length must be a positive int"),
        ({"standardize": "lower"}, "standardize must be"),
    ],
)
def test_build_text_vectorizer_rejects_bad_arguments(kwargs, message):
    arguments = {"texts": ["a b"], "max_tokens": 10, "sequence_length": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        build_text_vectorizer(**arguments)


# --------------------------------------------------------------------------- splits


def test_stratified_split_keeps_class_shares():
    x = np.arange(40).reshape(20, 2)
    y = np.array([0] * 10 + [1] * 10)
    split = stratified_split(x, y, test_size=0.2, seed=0)
    assert isinstance(split, DataSplit)
    assert split.x_train.shape == (16, 2) and split.x_test.shape == (4, 2)
    assert np.bincount(split.y_test).tolist() == [2, 2]
    rows = {tuple(row) for row in np.vstack([split.x_train, split.x_test])}
    assert rows == {tuple(row) for row in x}
    again = stratified_split(x, y, test_size=0.2, seed=0)
    assert_array_equal(again.x_test, split.x_test)


@pytest.mark.parametrize(
    ("y", "test_size", "message"),
    [
        (np.zeros(5), 0.2, "has 5 entries but there are 6"),
        (np.array([0, 0, 0, 1, 1, 2]), 0.5, "class 2 has 1"),
        (np.array([0, 0, 0, 1, 1, 1]), 1.5, "test_size must be a number strictly between 0 and 1"),
        (np.zeros((6, 1)), 0.2, "must be one-dimensional"),
    ],
)
def test_stratified_split_rejects_bad_input(y, test_size, message):
    with pytest.raises(ValueError, match=message):
        stratified_split(np.zeros((6, 2)), y, test_size=test_size, seed=0)


# --------------------------------------------------------------------------- models


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


def test_augmented_cnn_shifts_only_while_training():
    model = build_augmented_cnn((8, 8, 1), 10, shift_pixels=1)
    assert model.layers[0].__class__.__name__ == "RandomTranslation"
    images = np.random.default_rng(0).random((4, 8, 8, 1)).astype("float32")
    assert_allclose(model.layers[0](images, training=False), images)
    keras.utils.set_random_seed(1)
    moved = np.asarray(model.layers[0](images, training=True))
    assert not np.allclose(moved, images)
    assert model.predict(images, verbose=0).shape == (4, 10)


@pytest.mark.parametrize(
    ("builder", "kwargs", "message"),
    [
        (build_article_cnn, {"input_shape": (3, 3, 1)}, "at least 4x4"),
        (build_article_cnn, {"input_shape": (8, 8)}, "input_shape must be"),
        (build_article_cnn, {"n_classes": 1}, "n_classes must be at least 2"),
        (build_augmented_cnn, {"shift_pixels": 4}, "shift_pixels=4 is too large"),
        (build_augmented_cnn, {"filters": (32,)}, "filters must be two positive ints"),
        (build_augmented_cnn, {"dense_units": 0}, "dense_units must be a positive int"),
    ],
)
def test_cnn_builders_reject_bad_arguments(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


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


@pytest.mark.parametrize(
    ("builder", "kwargs", "message"),
    [
        (build_article_lstm, {"vocabulary_size": 2, "sequence_length": 4}, "at least 3"),
        (
            build_article_lstm,
            {"vocabulary_size": 10, "sequence_length": 0},
            "sequence_length must be",
        ),
        (
            build_masked_bilstm,
            {"vocabulary_size": 10, "sequence_length": 4, "dropout": 1.0},
            r"in \[0, 1\)",
        ),
        (
            build_masked_bilstm,
            {"vocabulary_size": 10, "sequence_length": 4, "units": -1},
            "units must be",
        ),
    ],
)
def test_text_builders_reject_bad_arguments(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


# --------------------------------------------------------------------------- training


def separable_problem(n: int = 120) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = np.arange(n) % 2
    x = rng.normal(size=(n, 2)).astype("float32") + 3.0 * y[:, None]
    return x, y


def small_dense_model() -> keras.Model:
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_train_with_early_stopping_learns_and_reports_its_history():
    keras.utils.set_random_seed(0)
    x, y = separable_problem()
    run = train_with_early_stopping(
        small_dense_model(),
        x,
        y,
        validation_fraction=0.25,
        patience=3,
        max_epochs=40,
        batch_size=16,
        seed=0,
    )
    assert {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(run.history.columns)
    assert run.history.index[0] == 1 and run.epochs_run == len(run.history) <= 40
    assert run.best_epoch == run.history["val_loss"].idxmin()
    assert run.epochs_run == 40 or run.epochs_run == run.best_epoch + 3
    assert run.history["val_accuracy"].max() >= 0.95
    assert_array_equal(predict_labels(run.model, x[:4]), y[:4])
    assert run.seconds > 0


def test_train_with_early_stopping_restores_the_best_weights():
    keras.utils.set_random_seed(0)
    x, y = separable_problem()
    run = train_with_early_stopping(
        small_dense_model(),
        x,
        y,
        validation_fraction=0.25,
        patience=2,
        max_epochs=30,
        batch_size=16,
        seed=3,
    )
    split = stratified_split(x, y, test_size=0.25, seed=3)
    loss = run.model.evaluate(split.x_test, split.y_test, verbose=0)[0]
    assert_allclose(loss, run.history["val_loss"].min(), rtol=1e-4)


def test_train_with_early_stopping_rejects_bad_input():
    x, y = separable_problem(20)
    uncompiled = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    with pytest.raises(TypeError, match="keras.Model"):
        train_with_early_stopping("model", x, y)
    with pytest.raises(TypeError, match="must be compiled"):
        train_with_early_stopping(uncompiled, x, y)
    with pytest.raises(ValueError, match="validation_fraction"):
        train_with_early_stopping(small_dense_model(), x, y, validation_fraction=0.0)
    with pytest.raises(ValueError, match="patience must be a positive int"):
        train_with_early_stopping(small_dense_model(), x, y, patience=0)
    with pytest.raises(ValueError, match="has 19 entries"):
        train_with_early_stopping(small_dense_model(), x, y[:-1])


def test_predict_labels_for_softmax_and_sigmoid_outputs():
    softmax = keras.Sequential([keras.Input((2,)), keras.layers.Activation("softmax")])
    assert_array_equal(predict_labels(softmax, np.array([[0.0, 1.0], [2.0, -1.0]])), [1, 0])
    sigmoid = keras.Sequential([keras.Input((1,)), keras.layers.Activation("sigmoid")])
    assert_array_equal(predict_labels(sigmoid, np.array([[-3.0], [0.0], [2.0]])), [0, 1, 1])
    flat = keras.Sequential(
        [keras.Input((2,)), keras.layers.Flatten(), keras.layers.Reshape((2, 1))]
    )
    with pytest.raises(ValueError, match=r"expected outputs of shape \(n, classes\)"):
        predict_labels(flat, np.zeros((1, 2)))
    with pytest.raises(ValueError, match="batch_size"):
        predict_labels(softmax, np.zeros((1, 2)), batch_size=0)
    with pytest.raises(ValueError, match="x is empty"):
        predict_labels(softmax, np.zeros((0, 2)))


def test_predict_probabilities_batches_and_switches_dropout_off():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dropout(0.9), keras.layers.Dense(2)])
    x = np.random.default_rng(0).normal(size=(7, 3)).astype("float32")
    expected = np.asarray(model(x, training=False))
    assert_allclose(predict_probabilities(model, x, batch_size=3), expected, rtol=1e-6)
    assert_allclose(predict_probabilities(model, x), model.predict(x, verbose=0), rtol=1e-5)


# --------------------------------------------------------------------------- baselines


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_svm_and_mlp_baselines_fit_a_separable_problem():
    x, y = separable_problem()
    svm = svm_baseline(c_values=(1.0, 10.0), folds=3).fit(x, y)
    assert svm.best_params_["C"] in (1.0, 10.0)
    assert svm.score(x, y) >= 0.95
    x_many, y_many = separable_problem(600)
    mlp = mlp_baseline(hidden_units=16, seed=0).fit(x_many, y_many)
    assert mlp.hidden_layer_sizes == (16,)
    assert mlp.score(x_many, y_many) >= 0.95
    with pytest.raises(ValueError, match="c_values must be positive numbers"):
        svm_baseline(c_values=(1.0, -1.0))
    with pytest.raises(ValueError, match="folds must be at least 2"):
        svm_baseline(folds=1)
    with pytest.raises(ValueError, match="hidden_units must be a positive int"):
        mlp_baseline(hidden_units=0)


def test_tfidf_logistic_baseline_learns_words_and_characters():
    texts = [
        "great rally tonight",
        "great crowd tonight",
        "join us at the link",
        "join the rally link",
        "great great tonight",
        "join us link",
    ] * 3
    labels = np.array([0, 0, 1, 1, 0, 1] * 3)
    for analyzer in ("word", "char", "word+char"):
        model = tfidf_logistic_baseline(analyzer).fit(texts, labels)
        assert model.score(texts, labels) == 1.0
        assert [name for name, _ in model.steps] == ["features", "classifier"]
    with pytest.raises(ValueError, match="analyzer must be one of"):
        tfidf_logistic_baseline("sentence")
    with pytest.raises(ValueError, match="c must be a positive number"):
        tfidf_logistic_baseline("word", c=0)
