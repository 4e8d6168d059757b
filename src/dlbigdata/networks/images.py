"""Image preparation: a table of pixel columns as the array a CNN reads, whole-pixel shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_columns,
    require_frame,
    require_int,
    require_number,
    require_numeric_array,
    require_numeric_column,
    require_string,
    require_unique_columns,
)

__all__ = ["images_from_frame", "shift_images"]


def _pixel_values(frame: pd.DataFrame, target: str, max_value: float) -> np.ndarray:
    """The pixel columns as floats, checked: a square count, numbers, no NaN, in range."""
    pixels = frame.drop(columns=[target])
    side = round(np.sqrt(pixels.shape[1]))
    if side * side != pixels.shape[1] or side == 0:
        raise ValueError(f"expected a square number of pixel columns, got {pixels.shape[1]}")
    not_numeric = [
        column
        for column in pixels.columns
        if pd.api.types.is_bool_dtype(pixels[column])
        or not pd.api.types.is_numeric_dtype(pixels[column])
    ]
    if not_numeric:
        raise TypeError(f"pixel columns must be numeric; not numeric: {not_numeric[:5]}")
    values = pixels.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ValueError(f"{int(np.isnan(values).any(axis=1).sum())} image(s) have missing pixels")
    if values.min() < 0 or values.max() > max_value:
        raise ValueError(
            f"pixels must lie in [0, {max_value:g}], found values in "
            f"[{values.min()}, {values.max()}]"
        )
    return values.reshape(-1, side, side, 1)


def _class_numbers(frame: pd.DataFrame, target: str) -> np.ndarray:
    """The label column as ``int64`` class numbers (whole, non-negative, not missing)."""
    labels = require_numeric_column("frame", frame, target).to_numpy(dtype=float)
    whole = np.isfinite(labels) & (np.mod(labels, 1) == 0) & (labels >= 0)
    if not whole.all():
        raise ValueError(
            f"labels in {target!r} must be class numbers (whole numbers >= 0), got "
            f"{labels[~whole][:3].tolist()} in {int((~whole).sum())} row(s)"
        )
    return labels.astype(np.int64)


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
        Name of the label column (class numbers 0, 1, 2...).
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
        If ``frame`` is not a DataFrame, ``target`` not a string, ``max_value`` not a
        number, or a pixel or label column is not numeric.
    ValueError
        If ``frame`` is empty or repeats a column name, ``target`` is not a column, the
        number of pixel columns is not a perfect square, ``max_value`` is not a finite
        positive number, pixels are missing or lie outside ``[0, max_value]``, or a label
        is not a whole number >= 0.

    Used in chapter 10.
    """
    require_frame("frame", frame, allow_empty=False)
    require_string("target", target)
    require_columns("frame", frame, [target])
    scale = require_number("max_value", max_value, minimum=0.0, low_open=True)
    require_unique_columns("frame", frame)
    images = (_pixel_values(frame, target, scale) / scale).astype(np.float32)
    return images, _class_numbers(frame, target)


def shift_images(images: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Move every image by whole pixels, filling the uncovered border with zeros.

    Parameters
    ----------
    images : numpy.ndarray
        Numeric array of shape ``(n, height, width)`` or ``(n, height, width, channels)``.
    rows, columns : int
        Shift down (positive) or up (negative), and right (positive) or left (negative).

    Returns
    -------
    numpy.ndarray
        A new array with the same shape and dtype; pixels shifted out are lost.

    Raises
    ------
    TypeError
        If ``images`` is not numeric, or a shift is not an integer.
    ValueError
        If ``images`` has another number of dimensions, or a shift is not smaller in size
        than the image.

    Used in chapter 10.
    """
    array = np.asarray(images)
    if array.ndim not in (3, 4):
        raise ValueError(
            f"images must have shape (n, height, width[, channels]), got {array.shape}"
        )
    require_numeric_array("images", array, accepted="hold numbers", allow_bool=True)
    height, width = array.shape[1], array.shape[2]
    rows = require_int("rows", rows, minimum=1 - height, maximum=height - 1)
    columns = require_int("columns", columns, minimum=1 - width, maximum=width - 1)
    shifted = np.zeros_like(array)
    target_rows = slice(max(rows, 0), height + min(rows, 0))
    source_rows = slice(max(-rows, 0), height + min(-rows, 0))
    target_columns = slice(max(columns, 0), width + min(columns, 0))
    source_columns = slice(max(-columns, 0), width + min(-columns, 0))
    shifted[:, target_rows, target_columns] = array[:, source_rows, source_columns]
    return shifted
