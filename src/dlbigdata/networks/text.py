"""Text preparation: device tweets, near-duplicates, fastai-style tokens, a Keras vectorizer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_choice,
    require_columns,
    require_datetime_column,
    require_frame,
    require_int,
    require_names,
    require_string,
    require_texts,
)

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    import keras

__all__ = [
    "build_text_vectorizer",
    "drop_near_duplicates",
    "select_device_tweets",
    "standardize_tweet",
]

_URL = re.compile(r"https?://\S+")
_SYMBOL = re.compile(r"(\.\.+|-{2,}|[^\w\s])")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_TWEET_COLUMNS = ("source", "text", "created_at", "is_retweet")


def select_device_tweets(
    frame: pd.DataFrame, devices: Sequence[str] = ("Android", "iPhone")
) -> pd.DataFrame:
    """Original tweets posted from two devices, labelled 0 (first device) and 1 (second).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``load("trump_tweets")`` or a table with its columns ``source``, ``text``
        (strings), ``created_at`` (datetimes) and ``is_retweet`` (booleans).
    devices : sequence of two str
        Device names as they appear after ``"Twitter for "`` in ``source``.

    Returns
    -------
    pandas.DataFrame
        Columns ``created_at``, ``text`` (str), ``device`` (category with the two
        names in the given order) and ``label`` (0 or 1), sorted by time; the index is
        the frame's. Retweets (``is_retweet`` true, or a text that starts with
        ``"RT @"``) are excluded.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, ``devices`` is a single string or holds a
        non-string, ``created_at`` is not datetimes, ``is_retweet`` not booleans, or the
        text of a chosen tweet is not a string (missing included).
    ValueError
        If a column is missing, ``devices`` is not two distinct names, ``is_retweet`` is
        missing, a chosen tweet has no time, or a device posted nothing.

    Used in chapter 11.
    """
    require_frame("frame", frame)
    require_columns("frame", frame, _TWEET_COLUMNS)
    names = require_names("devices", devices, unique=False)
    if len(names) != 2 or len(set(names)) != 2:
        raise ValueError(f"devices must be two distinct names, got {names!r}")
    require_datetime_column("frame", frame, "created_at")
    if not pd.api.types.is_bool_dtype(frame["is_retweet"]):
        raise TypeError(f"frame['is_retweet'] must hold booleans, got {frame['is_retweet'].dtype}")
    if frame["is_retweet"].isna().any():
        raise ValueError(
            f"frame['is_retweet'] is missing in {int(frame['is_retweet'].isna().sum())} row(s)"
        )
    device = frame["source"].astype(str).str.removeprefix("Twitter for ")
    text = frame["text"]
    starts_rt = np.array([isinstance(value, str) and value.startswith("RT @") for value in text])
    retweet = frame["is_retweet"].to_numpy(dtype=bool) | starts_rt.astype(bool)
    mask = ~retweet & device.isin(names).to_numpy()
    chosen = frame.loc[mask, ["created_at"]].copy()
    texts = require_texts("the chosen tweets' text", text[mask], allow_empty=True)
    chosen["text"] = texts.to_numpy(dtype=object)
    if chosen["created_at"].isna().any():
        raise ValueError(
            f"{int(chosen['created_at'].isna().sum())} chosen tweet(s) lack created_at"
        )
    chosen["device"] = pd.Categorical(device[mask].to_numpy(), categories=names)
    for name in names:
        if not (chosen["device"] == name).any():
            raise ValueError(
                f"no original tweets from device {name!r}; sources look like "
                f"{sorted(frame['source'].astype(str).unique())[:5]}"
            )
    chosen["label"] = chosen["device"].cat.codes.astype(np.int64)
    return chosen.sort_values("created_at", kind="stable")


def _near_duplicate_keys(texts: Sequence[str] | pd.Series) -> pd.Series:
    """A key that is equal for texts that differ only in links, case, punctuation or spacing.

    Letters and digits of every script count (``"你好!"`` and ``"你好"`` share a key,
    ``"你好"`` and ``"再见"`` do not). A text with no letter or digit outside its links
    (only emoji, symbols, links or spaces) keeps its whole text, stripped, as its key:
    it is a duplicate only of an identical copy, never of every other such text.
    One key per text, in the same order (and with the same index for a Series).
    """
    series = require_texts("texts", texts, allow_empty=True)
    keys = (
        series.str.casefold()
        .str.replace(_URL, " ", regex=True)
        .str.replace(_NOT_LETTER_OR_DIGIT, " ", regex=True)
        .str.strip()
    )
    raw = ("\x00" + series.str.strip()).to_numpy(dtype=object)  # never a letter-or-digit key
    cleaned = keys.to_numpy(dtype=object)
    return pd.Series(np.where(cleaned == "", raw, cleaned), index=series.index, dtype=object)


def drop_near_duplicates(frame: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """Keep the first of each group of near-duplicate texts.

    Two texts are near-duplicates when they differ only in links, case, punctuation or
    spacing; letters and digits of every script count. A text with no letter or digit
    outside its links (only emoji, symbols or a link) is a near-duplicate only of an
    identical copy, so link-only or emoji-only tweets are not all merged into one.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its row order decides which copy is kept (sort by time first).
    text_column : str
        Column holding the texts (strings; a missing text is refused).

    Returns
    -------
    pandas.DataFrame
        The rows whose key has not been seen before, index kept; ``len(frame) -
        len(result)`` rows were dropped, so the caller can report how many.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, ``text_column`` not a string, or a text is not a
        string (``None`` and ``NaN`` included).
    ValueError
        If ``text_column`` is not a column, or names several.

    Used in chapter 11.
    """
    require_frame("frame", frame)
    require_string("text_column", text_column)
    require_columns("frame", frame, [text_column])
    if list(frame.columns).count(text_column) > 1:
        raise ValueError(f"frame has several columns named {text_column!r}")
    keys = _near_duplicate_keys(frame[text_column])
    return frame.loc[~keys.duplicated().to_numpy()]


def standardize_tweet(text: str) -> str:
    """Split a tweet into lower-case, space-separated tokens, keeping what lower-casing loses.

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

    Used in chapter 11.
    """
    require_string("text", text, allow_empty=True)
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
        Training texts only: the vocabulary must not see the test set. A single string
        is refused (it is one text, not a list).
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
    TypeError
        If ``texts`` is a single string, not a sequence, or holds a non-string, or a size
        is not an integer.
    ValueError
        If ``texts`` is empty, ``max_tokens`` is below 3, ``sequence_length`` below 1,
        or ``standardize`` is not accepted.

    Used in chapter 11.
    """
    values = require_texts("texts", texts)
    require_int("max_tokens", max_tokens, minimum=3)  # padding, unknown, one word
    require_int("sequence_length", sequence_length, minimum=1)
    require_choice("standardize", standardize, ["lower_and_strip_punctuation", None])
    import keras

    vectorizer = keras.layers.TextVectorization(
        max_tokens=int(max_tokens),
        standardize=standardize,
        output_sequence_length=int(sequence_length),
    )
    vectorizer.adapt(np.asarray(values.tolist(), dtype=object))
    return vectorizer
