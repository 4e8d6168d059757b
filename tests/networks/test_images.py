"""Tests of dlbigdata.networks.images: pixel tables as CNN arrays, whole-pixel shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.networks import images_from_frame, shift_images


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


def test_images_from_frame_accepts_numpy_scalars_and_whole_float_labels():
    frame = pixel_frame().assign(digit=lambda f: f["digit"].astype(float))
    images, labels = images_from_frame(frame, target="digit", max_value=np.float32(16))
    assert labels.dtype == np.int64 and images.max() <= 1.0


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="digit"), r"frame lacks column\(s\) \['digit'\]"),
        (lambda f: f.drop(columns="pixel_3"), "square number of pixel columns, got 3"),
        (lambda f: f.assign(pixel_0=17), r"pixels must lie in \[0, 16\]"),
        (lambda f: f.assign(pixel_0=-np.inf), r"pixels must lie in \[0, 16\]"),
        (lambda f: f.assign(digit=0.5), r"must be class numbers .*\[0.5"),
        (lambda f: f.assign(digit=-1), r"must be class numbers .*\[-1.0"),
        (lambda f: f.iloc[:0], "must have at least one row"),
        (lambda f: f[["digit"]], "square number of pixel columns, got 0"),
    ],
)
def test_images_from_frame_rejects_bad_tables(change, message):
    with pytest.raises(ValueError, match=message):
        images_from_frame(change(pixel_frame()), target="digit", max_value=16)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(pixel_0=f["pixel_0"].astype(str)), r"not numeric: \['pixel_0'\]"),
        (lambda f: f.assign(pixel_0=True), r"not numeric: \['pixel_0'\]"),
        (lambda f: f.assign(digit=list("abab")), r"frame\['digit'\] must be numeric"),
    ],
)
def test_images_from_frame_rejects_columns_of_the_wrong_type(change, message):
    with pytest.raises(TypeError, match=message):
        images_from_frame(change(pixel_frame()), target="digit", max_value=16)


@pytest.mark.hostile("dropped_rows")
def test_images_from_frame_refuses_missing_pixels_and_labels():
    with pytest.raises(ValueError, match="1 image"):
        images_from_frame(
            pixel_frame().assign(pixel_0=[np.nan, 1, 2, 3]), target="digit", max_value=16
        )
    with pytest.raises(ValueError, match=r"must be class numbers .*\[nan\] in 1 row"):
        images_from_frame(
            pixel_frame().assign(digit=[0, np.nan, 1, 2]), target="digit", max_value=16
        )


@pytest.mark.hostile("label_alignment")
def test_images_from_frame_refuses_repeated_column_names():
    frame = pixel_frame()
    frame.columns = ["pixel_0", "pixel_0", "pixel_2", "pixel_3", "digit"]
    with pytest.raises(
        ValueError, match=r"frame must have unique column names, got \['pixel_0'\] repeated"
    ):
        images_from_frame(frame, target="digit", max_value=16)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("max_value", [np.nan, np.inf, 0, -16])
def test_images_from_frame_refuses_a_max_value_that_is_not_finite_and_positive(max_value):
    with pytest.raises(
        ValueError, match=f"max_value must be a finite number > 0, got {max_value}"
    ):
        images_from_frame(pixel_frame(), target="digit", max_value=max_value)


@pytest.mark.hostile("bad_input")
def test_images_from_frame_rejects_arguments_of_the_wrong_type():
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got ndarray"):
        images_from_frame(np.zeros((2, 5)), target="digit", max_value=16)
    with pytest.raises(TypeError, match="max_value must be a number, got bool"):
        images_from_frame(pixel_frame(), target="digit", max_value=True)
    with pytest.raises(TypeError, match="max_value must be a number, got str: '16'"):
        images_from_frame(pixel_frame(), target="digit", max_value="16")
    with pytest.raises(TypeError, match="target must be a string, got list"):
        images_from_frame(pixel_frame(), target=["digit"], max_value=16)


def test_shift_images_moves_pixels_and_fills_zeros():
    image = np.arange(1, 10, dtype=float).reshape(1, 3, 3)
    assert_array_equal(shift_images(image, 1, 0)[0], [[0, 0, 0], [1, 2, 3], [4, 5, 6]])
    assert_array_equal(shift_images(image, 0, -1)[0], [[2, 3, 0], [5, 6, 0], [8, 9, 0]])
    assert_array_equal(shift_images(image, -1, 1)[0], [[0, 4, 5], [0, 7, 8], [0, 0, 0]])
    assert_array_equal(shift_images(image, 0, 0), image)
    assert_array_equal(shift_images(image, np.int64(-2), 0)[0], [[7, 8, 9], [0, 0, 0], [0, 0, 0]])
    with_channel = image[..., None]
    assert shift_images(with_channel, 1, 1).shape == (1, 3, 3, 1)
    assert_array_equal(image[0, 0], [1, 2, 3]), "the input must not be modified"


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("images", "rows", "columns", "error", "message"),
    [
        (np.zeros((3, 3)), 1, 0, ValueError, r"must have shape .*got \(3, 3\)"),
        (np.zeros((1, 3, 3)), 3, 0, ValueError, "rows must be an integer <= 2, got 3"),
        (np.zeros((1, 3, 3)), 0, -3, ValueError, "columns must be an integer >= -2, got -3"),
        (np.zeros((1, 3, 3)), 0, 1.5, TypeError, "columns must be an integer, got float: 1.5"),
        (np.zeros((1, 3, 3)), True, 0, TypeError, "rows must be an integer, got bool"),
        (np.full((1, 3, 3), "a"), 1, 0, TypeError, "images must hold numbers, got dtype <U1"),
    ],
)
def test_shift_images_rejects_bad_input(images, rows, columns, error, message):
    with pytest.raises(error, match=message):
        shift_images(images, rows, columns)


@pytest.mark.hostile("nan_parameter")
def test_shift_images_refuses_a_nan_shift():
    with pytest.raises(TypeError, match="rows must be an integer, got float: nan"):
        shift_images(np.zeros((1, 3, 3)), np.nan, 0)
