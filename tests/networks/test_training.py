"""Tests of dlbigdata.networks.training: splits, early stopping, predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import separable_problem
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.networks import (
    DataSplit,
    predict_labels,
    predict_probabilities,
    stratified_split,
    train_with_early_stopping,
)

keras = pytest.importorskip("keras")


def small_dense_model() -> keras.Model:
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


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
    again = stratified_split(x, y, test_size=0.2, seed=np.int64(0))
    assert_array_equal(again.x_test, split.x_test)


def test_stratified_split_keeps_pandas_rows_with_their_labels():
    frame = pd.DataFrame({"x": range(20)}, index=range(100, 120))
    labels = pd.Series(np.arange(20) % 2, index=frame.index)
    split = stratified_split(frame, labels, test_size=0.25, seed=1)
    assert_array_equal(split.x_test["x"].to_numpy() % 2, split.y_test)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("y", "test_size", "message"),
    [
        (np.zeros(5), 0.2, "y has 5 entries but there are 6 examples"),
        (np.array([0, 0, 0, 1, 1, 2]), 0.5, "class 2 has 1"),
        (
            np.array([0, 0, 0, 1, 1, 1]),
            1.5,
            "test_size must be a finite number > 0 and < 1, got 1.5",
        ),
        (np.array([0, 0, 0, 1, 1, 1]), 0, "test_size must be a finite number > 0 and < 1, got 0"),
        (np.zeros((6, 1)), 0.2, r"y must be one-dimensional, got shape \(6, 1\)"),
    ],
)
def test_stratified_split_rejects_bad_input(y, test_size, message):
    with pytest.raises(ValueError, match=message):
        stratified_split(np.zeros((6, 2)), y, test_size=test_size, seed=0)


@pytest.mark.hostile("bad_input")
def test_stratified_split_rejects_arguments_of_the_wrong_type():
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(TypeError, match=r"x must be an array or a table, .*got int: 6"):
        stratified_split(6, y, test_size=0.5, seed=0)
    with pytest.raises(TypeError, match="test_size must be a number, got str"):
        stratified_split(np.zeros((6, 2)), y, test_size="0.5", seed=0)
    with pytest.raises(TypeError, match=r"seed must be an integer, got float: 0.5"):
        stratified_split(np.zeros((6, 2)), y, test_size=0.5, seed=0.5)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        stratified_split(np.zeros((6, 2)), y, test_size=0.5, seed=-1)
    with pytest.raises(ValueError, match="x is empty"):
        stratified_split(np.zeros((0, 2)), np.array([]), test_size=0.5, seed=0)


@pytest.mark.hostile("single_string")
def test_stratified_split_refuses_strings_for_x_or_y():
    with pytest.raises(TypeError, match=r"x must be an array or a table, .*got str"):
        stratified_split("aabb", np.array([0, 0, 1, 1]), test_size=0.5, seed=0)
    with pytest.raises(TypeError, match="y must be an array of labels, got the single string"):
        stratified_split(np.zeros((4, 1)), "0011", test_size=0.5, seed=0)


@pytest.mark.hostile("nan_parameter")
def test_stratified_split_refuses_a_nan_share():
    with pytest.raises(ValueError, match="test_size must be a finite number > 0 and < 1, got nan"):
        stratified_split(np.zeros((6, 2)), np.array([0, 0, 0, 1, 1, 1]), np.nan, seed=0)


@pytest.mark.hostile("dropped_rows")
@pytest.mark.parametrize("missing", [np.nan, None])
def test_stratified_split_refuses_missing_labels(missing):
    y = np.array([0, 0, 0, 1, 1, missing], dtype=object if missing is None else float)
    with pytest.raises(ValueError, match=r"y has 1 missing label\(s\), the first at position 5"):
        stratified_split(np.zeros((6, 2)), y, test_size=0.5, seed=0)


@pytest.mark.hostile("label_alignment")
def test_stratified_split_refuses_pandas_objects_with_different_indexes():
    frame = pd.DataFrame({"x": range(6)})
    labels = pd.Series([0, 0, 0, 1, 1, 1]).sample(frac=1, random_state=0)
    with pytest.raises(ValueError, match="x and y are pandas objects with different indexes"):
        stratified_split(frame, labels, test_size=0.5, seed=0)


# --------------------------------------------------------------------------- training


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


@pytest.mark.hostile("bad_input")
def test_train_with_early_stopping_rejects_bad_input():
    x, y = separable_problem(20)
    uncompiled = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    with pytest.raises(TypeError, match=r"model must be a keras.Model, got str"):
        train_with_early_stopping("model", x, y)
    with pytest.raises(TypeError, match="must be compiled"):
        train_with_early_stopping(uncompiled, x, y)
    with pytest.raises(ValueError, match=r"validation_fraction must be .* > 0 and < 1, got 0.0"):
        train_with_early_stopping(small_dense_model(), x, y, validation_fraction=0.0)
    with pytest.raises(ValueError, match="patience must be an integer >= 1, got 0"):
        train_with_early_stopping(small_dense_model(), x, y, patience=0)
    with pytest.raises(ValueError, match="y has 19 entries"):
        train_with_early_stopping(small_dense_model(), x, y[:-1])
    with pytest.raises(ValueError, match="verbose must be one of 0, 1, 2, 'auto'; got 'loud'"):
        train_with_early_stopping(small_dense_model(), x, y, verbose="loud")


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.nan, r"x must be finite, got np\.float64\(nan\)"),
        (np.inf, r"x must be finite, got np\.float64\(inf\)"),
        (-np.inf, r"x must be finite, got np\.float64\(-inf\)"),
        (1e300, r"each entry of x must fit a float32 .*, got 1e\+300"),
        (-1e39, r"each entry of x must fit a float32 .*, got 1e\+39"),
    ],
)
def test_train_with_early_stopping_refuses_non_finite_inputs_before_training(bad, message):
    x, y = separable_problem(20)
    x = x.astype(np.float64)
    x[3, 1] = bad
    model = small_dense_model()
    before = [weights.copy() for weights in model.get_weights()]
    with pytest.raises(ValueError, match=message):
        train_with_early_stopping(model, x, y)
    for old, new in zip(before, model.get_weights(), strict=True):
        assert_array_equal(old, new)


@pytest.mark.hostile("state_corruption")
def test_train_with_early_stopping_refuses_a_float32_overflow_in_the_first_row():
    # 1e300 in x[0, 0] once trained first and then blamed a divergence.
    x, y = separable_problem(20)
    x = x.astype(np.float64)
    x[0, 0] = 1e300
    model = small_dense_model()
    before = [weights.copy() for weights in model.get_weights()]
    with pytest.raises(ValueError, match=r"each entry of x must fit a float32 .*, got 1e\+300"):
        train_with_early_stopping(model, x, y, max_epochs=1)
    for old, new in zip(before, model.get_weights(), strict=True):
        assert_array_equal(old, new)


def test_train_with_early_stopping_accepts_integer_token_ids():
    rng = np.random.default_rng(0)
    y = np.arange(20) % 2
    x = (rng.integers(1, 50, size=(20, 6)) + 50 * y[:, None]).astype(np.int64)
    model = keras.Sequential(
        [
            keras.Input((6,), dtype="int64"),
            keras.layers.Embedding(100, 4),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    run = train_with_early_stopping(model, x, y, max_epochs=2, patience=1, batch_size=8)
    assert run.epochs_run >= 1


@pytest.mark.hostile("state_corruption")
def test_train_with_early_stopping_reports_a_diverged_training():
    x, y = separable_problem(20)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(1e38), loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="the validation loss was NaN in every epoch"):
        train_with_early_stopping(model, x * 1e30, y, patience=1, max_epochs=2)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    ("argument", "value", "error", "message"),
    [
        ("validation_fraction", np.nan, ValueError, "validation_fraction must be .* got nan"),
        ("patience", np.nan, TypeError, "patience must be an integer, got float: nan"),
        ("patience", np.inf, TypeError, "patience must be an integer, got float: inf"),
        ("max_epochs", True, TypeError, "max_epochs must be an integer, got bool"),
        ("batch_size", 0, ValueError, "batch_size must be an integer >= 1, got 0"),
    ],
)
def test_train_with_early_stopping_refuses_numbers_that_switch_it_off(
    argument, value, error, message
):
    x, y = separable_problem(20)
    with pytest.raises(error, match=message):
        train_with_early_stopping(small_dense_model(), x, y, **{argument: value})


# --------------------------------------------------------------------------- predictions


def test_predict_labels_for_softmax_and_sigmoid_outputs():
    softmax = keras.Sequential([keras.Input((2,)), keras.layers.Activation("softmax")])
    assert_array_equal(predict_labels(softmax, np.array([[0.0, 1.0], [2.0, -1.0]])), [1, 0])
    sigmoid = keras.Sequential([keras.Input((1,)), keras.layers.Activation("sigmoid")])
    assert_array_equal(predict_labels(sigmoid, np.array([[-3.0], [0.0], [2.0]])), [0, 1, 1])


@pytest.mark.hostile("bad_input")
def test_predict_labels_rejects_bad_input():
    softmax = keras.Sequential([keras.Input((2,)), keras.layers.Activation("softmax")])
    flat = keras.Sequential(
        [keras.Input((2,)), keras.layers.Flatten(), keras.layers.Reshape((2, 1))]
    )
    with pytest.raises(ValueError, match=r"expected outputs of shape \(n, classes\)"):
        predict_labels(flat, np.zeros((1, 2)))
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1, got 0"):
        predict_labels(softmax, np.zeros((1, 2)), batch_size=0)
    with pytest.raises(ValueError, match="x is empty"):
        predict_labels(softmax, np.zeros((0, 2)))
    with pytest.raises(TypeError, match=r"model must be a keras.Model, got dict"):
        predict_labels({}, np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"the model output NaN for 1 example\(s\)"):
        predict_labels(softmax, np.array([[np.nan, 1.0], [0.0, 1.0]]))


def test_predict_probabilities_batches_and_switches_dropout_off():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dropout(0.9), keras.layers.Dense(2)])
    x = np.random.default_rng(0).normal(size=(7, 3)).astype("float32")
    expected = np.asarray(model(x, training=False))
    assert_allclose(predict_probabilities(model, x, batch_size=3), expected, rtol=1e-6)
    assert_allclose(predict_probabilities(model, x), model.predict(x, verbose=0), rtol=1e-5)


@pytest.mark.hostile("bad_input")
def test_predict_probabilities_rejects_bad_input():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    with pytest.raises(TypeError, match=r"batch_size must be an integer, got float: 2.5"):
        predict_probabilities(model, np.zeros((3, 2)), batch_size=2.5)
    with pytest.raises(TypeError, match=r"x must be an array or a table, .*got str"):
        predict_probabilities(model, "ab")
    with pytest.raises(TypeError, match=r"model must be a keras.Model, got NoneType"):
        predict_probabilities(None, np.zeros((3, 2)))
