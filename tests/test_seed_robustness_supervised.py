"""Seed sweep of chapters 10 and 11: the asserted accuracy bands hold for seeds 0, 1 and 2.

Run by ``make seeds`` (marker ``seed_sweep``), not by ``make test``: each seed retrains the
chapter's networks (one to three minutes per seed on two CPU cores). Each test follows its
notebook step by step: the same seeding, the same :mod:`dlbigdata.networks` and
:mod:`dlbigdata.evaluation` functions with the same arguments, in the same order, and the same
bands. Measured results go to ``bench/seeds_supervised.md``.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from dlbigdata import load, seed_everything
from dlbigdata.evaluation import accuracy, gap_in_points, majority_class_accuracy
from dlbigdata.networks import (
    build_article_cnn,
    build_article_lstm,
    build_augmented_cnn,
    build_masked_bilstm,
    build_text_vectorizer,
    drop_near_duplicates,
    images_from_frame,
    mlp_baseline,
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

SEEDS = [0, 1, 2]
# Chapter 11's sizes, as in the notebook: the article's vectorizer and epochs, the better model's.
ARTICLE_TOKENS, ARTICLE_LENGTH, ARTICLE_EPOCHS = 10_000, 32, 4
TOKEN_LENGTH, MEMBER_EPOCHS = 48, 6


def flatten(batch: np.ndarray) -> np.ndarray:
    return batch.reshape(len(batch), -1)


def run_digits_chapter(seed: int) -> dict[str, float]:
    """Chapter 10 from the split to the shifted-test exercise; returns the accuracies."""
    seed_everything(seed)
    images, labels = images_from_frame(load("digits"), target="digit", max_value=16)
    split = stratified_split(images, labels, test_size=0.25, seed=seed)

    article_cnn = build_article_cnn(input_shape=(8, 8, 1), n_classes=10)
    train_with_early_stopping(article_cnn, split.x_train, split.y_train, validation_fraction=0.15,
                              patience=10, max_epochs=80, batch_size=32, seed=seed)
    article_accuracy = accuracy(split.y_test, predict_labels(article_cnn, split.x_test))

    svm = svm_baseline(c_values=(1.0, 3.0, 10.0, 30.0), folds=5).fit(flatten(split.x_train), split.y_train)
    svm_accuracy = accuracy(split.y_test, svm.predict(flatten(split.x_test)))
    mlp = mlp_baseline(hidden_units=128, seed=seed).fit(flatten(split.x_train), split.y_train)
    mlp_accuracy = accuracy(split.y_test, mlp.predict(flatten(split.x_test)))

    started = time.perf_counter()
    cnn = build_augmented_cnn(input_shape=(8, 8, 1), n_classes=10, shift_pixels=1)
    cnn_run = train_with_early_stopping(cnn, split.x_train, split.y_train, validation_fraction=0.15,
                                        patience=15, max_epochs=150, batch_size=32, seed=seed)
    cnn_seconds = time.perf_counter() - started
    cnn_predictions = predict_labels(cnn, split.x_test)
    cnn_accuracy = accuracy(split.y_test, cnn_predictions)

    shifted = shift_images(split.x_test, 0, 1)
    return {
        "article": article_accuracy, "svm": svm_accuracy, "svm_c": float(svm.best_params_["C"]),
        "mlp": mlp_accuracy, "cnn": cnn_accuracy, "cnn_epochs": float(cnn_run.epochs_run),
        "cnn_seconds": cnn_seconds, "errors": float((cnn_predictions != split.y_test).sum()),
        "final_loss": float(cnn_run.history["loss"].iloc[-1]),
        "final_val_loss": float(cnn_run.history["val_loss"].iloc[-1]),
        "best_val_accuracy": float(cnn_run.history["val_accuracy"].max()),
        "svm_shifted": accuracy(split.y_test, svm.predict(flatten(shifted))),
        "cnn_shifted": accuracy(split.y_test, predict_labels(cnn, shifted)),
    }


@pytest.mark.seed_sweep
@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_chapter_10_cnn_matches_the_svm_for_every_seed(seed, capsys):
    result = run_digits_chapter(seed)
    with capsys.disabled():
        print(f"\n[chapter 10, seed {seed}] article CNN {result['article']:.2%}, SVM {result['svm']:.2%} "
              f"(C={result['svm_c']:g}), MLP {result['mlp']:.2%}, augmented CNN {result['cnn']:.2%} "
              f"({result['cnn_epochs']:.0f} epochs, {result['cnn_seconds']:.0f} s); gap to SVM "
              f"{gap_in_points(result['cnn'], result['svm']):+.2f} points; shifted test: SVM "
              f"{result['svm_shifted']:.2%}, CNN {result['cnn_shifted']:.2%}")
    assert 0.94 <= result["article"] <= 0.99, result
    assert 0.98 <= result["svm"] <= 1.0, result
    assert 0.95 <= result["mlp"] <= 0.99, result
    assert result["svm"] > result["article"], result
    assert result["cnn"] >= 0.98, result
    assert gap_in_points(result["cnn"], result["svm"]) >= -0.5, result
    assert max(result["article"], result["mlp"]) < min(result["cnn"], result["svm"]), result
    assert result["errors"] <= 9, result
    assert result["final_loss"] > result["final_val_loss"], result
    assert result["best_val_accuracy"] >= 0.97, result
    assert result["cnn_shifted"] - result["svm_shifted"] >= 0.2 and result["cnn_shifted"] >= 0.9, result


def remove_recording_artefacts(text: str) -> str:
    """The notebook's clean-up: drop links and the truncation mark, straighten quotes."""
    text = re.sub(r"https?://\S+", "", text).replace("…", "")
    return text.translate(str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"}))


def run_tweets_chapter(seed: int) -> dict[str, float]:
    """Chapter 11 from the split to the side-by-side comparison; returns the accuracies."""
    seed_everything(seed)
    deduplicated = drop_near_duplicates(select_device_tweets(load("trump_tweets"), devices=("Android", "iPhone")))
    split = stratified_split(deduplicated["text"].to_numpy(dtype=object), deduplicated["label"].to_numpy(),
                             test_size=0.2, seed=seed)
    majority = majority_class_accuracy(split.y_train, split.y_test)

    baseline_accuracy = {}
    for analyzer in ("word", "char", "word+char"):
        model = tfidf_logistic_baseline(analyzer, c=10.0).fit(split.x_train, split.y_train)
        baseline_accuracy[analyzer] = accuracy(split.y_test, model.predict(split.x_test))
    best_analyzer = max(baseline_accuracy, key=baseline_accuracy.get)
    best_baseline = baseline_accuracy[best_analyzer]
    clean_model = tfidf_logistic_baseline(best_analyzer, c=10.0).fit(
        [remove_recording_artefacts(text) for text in split.x_train], split.y_train)
    clean_accuracy = accuracy(split.y_test, clean_model.predict(
        [remove_recording_artefacts(text) for text in split.x_test]))

    article_vectorizer = build_text_vectorizer(split.x_train, max_tokens=ARTICLE_TOKENS,
                                               sequence_length=ARTICLE_LENGTH)
    article_train = np.asarray(article_vectorizer(split.x_train.astype(str)))
    article_test = np.asarray(article_vectorizer(split.x_test.astype(str)))
    article_lstm = build_article_lstm(len(article_vectorizer.get_vocabulary()), sequence_length=ARTICLE_LENGTH,
                                      embedding_dim=64, units=128)
    train_with_early_stopping(article_lstm, article_train, split.y_train, validation_fraction=0.15,
                              patience=2, max_epochs=ARTICLE_EPOCHS, batch_size=64, seed=seed)
    article_accuracy = accuracy(split.y_test, predict_labels(article_lstm, article_test))

    train_tokens = [standardize_tweet(text) for text in split.x_train]
    test_tokens = [standardize_tweet(text) for text in split.x_test]
    vectorizer = build_text_vectorizer(train_tokens, max_tokens=4_000, sequence_length=TOKEN_LENGTH,
                                       standardize=None)
    token_train = np.asarray(vectorizer(np.array(train_tokens)))
    token_test = np.asarray(vectorizer(np.array(test_tokens)))
    started = time.perf_counter()
    runs, probabilities = [], []
    for member in range(3):
        model = build_masked_bilstm(len(vectorizer.get_vocabulary()), sequence_length=TOKEN_LENGTH,
                                    embedding_dim=32, units=16, dropout=0.3, learning_rate=3e-3)
        runs.append(train_with_early_stopping(model, token_train, split.y_train, validation_fraction=0.15,
                                              patience=2, max_epochs=MEMBER_EPOCHS, batch_size=64,
                                              seed=seed * 10 + member))
        probabilities.append(predict_probabilities(model, token_test)[:, 0])
    ensemble_seconds = time.perf_counter() - started
    singles = [accuracy(split.y_test, p >= 0.5) for p in probabilities]
    lstm_accuracy = accuracy(split.y_test, (np.mean(probabilities, axis=0) >= 0.5).astype(int))
    return {
        "majority": majority, **{f"baseline {name}": value for name, value in baseline_accuracy.items()},
        "best_baseline": best_baseline, "best_analyzer": best_analyzer, "clean": clean_accuracy,
        "article": article_accuracy, "singles": singles, "lstm": lstm_accuracy,
        "best_epochs": [run.best_epoch for run in runs], "ensemble_seconds": ensemble_seconds,
    }



@pytest.mark.seed_sweep
@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_chapter_11_lstm_is_within_two_points_of_the_best_baseline(seed, capsys):
    result = run_tweets_chapter(seed)
    gap = gap_in_points(result["lstm"], result["best_baseline"])
    with capsys.disabled():
        print(f"\n[chapter 11, seed {seed}] majority {result['majority']:.2%}; TF-IDF word "
              f"{result['baseline word']:.2%}, char {result['baseline char']:.2%}, word+char "
              f"{result['baseline word+char']:.2%} (best: {result['best_analyzer']}); without "
              f"artefacts {result['clean']:.2%}; article LSTM {result['article']:.2%}; BiLSTMs "
              f"{', '.join(f'{value:.2%}' for value in result['singles'])} -> ensemble "
              f"{result['lstm']:.2%} ({result['ensemble_seconds']:.0f} s); gap {gap:+.2f} points")
    assert 0.54 <= result["majority"] <= 0.56, result
    assert 0.85 <= result["best_baseline"] <= 0.90, result
    assert result["best_baseline"] - result["majority"] >= 0.28, result
    assert 0.5 <= -gap_in_points(result["clean"], result["best_baseline"]) <= 5.0, result
    assert result["clean"] >= 0.82, result
    assert result["majority"] + 0.10 <= result["article"] <= result["best_baseline"] - 0.03, result
    assert result["lstm"] >= np.mean(result["singles"]) - 0.005, result
    assert all(epoch <= 5 for epoch in result["best_epochs"]), result
    assert gap >= -2.0, result
    assert gap_in_points(result["lstm"], result["article"]) >= 3.0, result
