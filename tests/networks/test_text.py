"""Tests of dlbigdata.networks.text: device tweets, near-duplicates, tokens, a vectorizer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from dlbigdata.networks import (
    build_text_vectorizer,
    drop_near_duplicates,
    select_device_tweets,
    standardize_tweet,
)
from dlbigdata.networks.text import _near_duplicate_keys


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
    assert chosen.index.tolist() == [1, 4, 0]


def test_select_device_tweets_reads_the_book_tweets():
    from dlbigdata import load

    chosen = select_device_tweets(load("trump_tweets"))
    assert len(chosen) == 8_614
    assert chosen["device"].value_counts().tolist() == [4_652, 3_962]


@pytest.mark.hostile("bad_input")
def test_select_device_tweets_rejects_bad_input():
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got list"):
        select_device_tweets([1, 2])
    with pytest.raises(ValueError, match=r"frame lacks column\(s\) \['is_retweet'\]"):
        select_device_tweets(tweet_frame().drop(columns="is_retweet"))
    with pytest.raises(ValueError, match=r"two distinct names, got \['Android', 'Android'\]"):
        select_device_tweets(tweet_frame(), devices=("Android", "Android"))
    with pytest.raises(ValueError, match=r"two distinct names, got \['Android'\]"):
        select_device_tweets(tweet_frame(), devices=["Android"])
    with pytest.raises(ValueError, match="no original tweets from device 'BlackBerry'"):
        select_device_tweets(tweet_frame(), devices=("Android", "BlackBerry"))
    with pytest.raises(TypeError, match=r"frame\['created_at'\] must hold datetimes"):
        select_device_tweets(tweet_frame().assign(created_at="2016-01-01"))
    with pytest.raises(TypeError, match=r"devices must hold strings only, got int: 1"):
        select_device_tweets(tweet_frame(), devices=("Android", 1))


@pytest.mark.hostile("single_string")
def test_select_device_tweets_refuses_a_single_device_string():
    with pytest.raises(TypeError, match="got the single string 'iPhone'"):
        select_device_tweets(tweet_frame(), devices="iPhone")


@pytest.mark.hostile("dropped_rows")
def test_select_device_tweets_refuses_retweet_flags_it_cannot_read():
    # astype(bool) would read "False" and NaN as True and drop every such tweet.
    as_text = tweet_frame().assign(is_retweet=lambda f: f["is_retweet"].astype(str))
    with pytest.raises(
        TypeError, match=r"frame\['is_retweet'\] must hold booleans, got (object|str)"
    ):
        select_device_tweets(as_text)
    missing = tweet_frame().assign(
        is_retweet=pd.array([False, None, False, False, False, True], dtype="boolean")
    )
    with pytest.raises(ValueError, match=r"frame\['is_retweet'\] is missing in 1 row"):
        select_device_tweets(missing)


@pytest.mark.hostile("dropped_rows")
def test_select_device_tweets_refuses_a_missing_text_instead_of_reading_nan():
    frame = tweet_frame()
    frame.loc[0, "text"] = np.nan
    with pytest.raises(TypeError, match=r"text must hold strings only; 1 item\(s\) are not"):
        select_device_tweets(frame)
    frame = tweet_frame()
    frame.loc[4, "created_at"] = pd.NaT
    with pytest.raises(ValueError, match=r"1 chosen tweet\(s\) lack created_at"):
        select_device_tweets(frame)


@pytest.mark.hostile("label_alignment")
def test_select_device_tweets_keeps_rows_together_under_a_repeated_index():
    frame = tweet_frame()
    frame.index = [7, 7, 7, 8, 8, 8]  # label lookups would multiply the rows
    chosen = select_device_tweets(frame)
    assert chosen["text"].tolist() == ["Join us https://t.co/abc", "Great rally", "Crooked media!"]
    assert chosen["label"].tolist() == [1, 0, 0]
    assert chosen.index.tolist() == [7, 8, 7]


def test_near_duplicate_keys_ignore_links_case_and_punctuation():
    keys = _near_duplicate_keys(
        ["Vote today! https://t.co/a1", "VOTE today https://t.co/b2", "Vote tomorrow!"]
    )
    assert keys[0] == keys[1] == "vote today"
    assert keys[2] != keys[0]
    series = pd.Series(["A b", "a B"], index=[10, 20])
    assert _near_duplicate_keys(series).index.tolist() == [10, 20]
    with pytest.raises(TypeError, match="texts must hold strings only"):
        _near_duplicate_keys(["fine", None])


@pytest.mark.hostile("dropped_rows")
def test_near_duplicates_keep_texts_of_every_script_apart():
    texts = [
        "你好，世界",
        "再见",
        "مرحبا بالعالم",
        "شكرا",
        "😀😀",
        "🎉",
        "https://t.co/one",
        "https://t.co/two",
        "!!!",
        "Great 你好",
        "Great 再见",
    ]
    kept = drop_near_duplicates(pd.DataFrame({"text": texts}))
    assert kept["text"].tolist() == texts, "no two of these texts are near-duplicates"


@pytest.mark.hostile("dropped_rows")
def test_near_duplicates_of_non_latin_texts_still_merge():
    texts = [
        "你好，世界！",
        "你好 世界 https://t.co/x",
        "مرحبا، بالعالم",
        "مرحبا بالعالم!",
        "🎉",
        " 🎉 ",
    ]
    kept = drop_near_duplicates(pd.DataFrame({"text": texts}))
    assert kept["text"].tolist() == ["你好，世界！", "مرحبا، بالعالم", "🎉"]
    keys = _near_duplicate_keys(["Ünïcode Straße", "ünïcode STRASSE"])
    assert keys[0] == keys[1] == "ünïcode strasse"


def test_drop_near_duplicates_keeps_the_first_copy():
    frame = pd.DataFrame(
        {"text": ["Hello world", "hello, WORLD https://t.co/x", "Other"], "label": [0, 1, 0]}
    )
    kept = drop_near_duplicates(frame)
    assert kept["text"].tolist() == ["Hello world", "Other"]
    assert kept.index.tolist() == [0, 2]


def test_drop_near_duplicates_drops_the_book_duplicates():
    from dlbigdata import load

    tweets = select_device_tweets(load("trump_tweets"))
    kept = drop_near_duplicates(tweets)
    assert len(tweets) - len(kept) == 147
    link_only = tweets["text"].str.fullmatch(r"https?://\S+")
    assert link_only.sum() == 4 and kept["text"].str.fullmatch(r"https?://\S+").sum() == 4


@pytest.mark.hostile("bad_input")
def test_drop_near_duplicates_rejects_bad_input():
    frame = pd.DataFrame({"text": ["Hello", "hello"]})
    with pytest.raises(ValueError, match=r"frame lacks column\(s\) \['body'\]"):
        drop_near_duplicates(frame, text_column="body")
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got list"):
        drop_near_duplicates(["Hello"])
    with pytest.raises(TypeError, match=r"text_column must be a string, got list: \['text'\]"):
        drop_near_duplicates(frame, text_column=["text"])
    twice = pd.DataFrame([["a", "b"]], columns=["text", "text"])
    with pytest.raises(ValueError, match="several columns named 'text'"):
        drop_near_duplicates(twice)


@pytest.mark.hostile("dropped_rows")
def test_drop_near_duplicates_refuses_missing_texts():
    # astype(str) would turn every missing text into "nan" and keep only the first.
    frame = pd.DataFrame({"text": ["a", None, np.nan, "b"]})
    with pytest.raises(TypeError, match=r"texts must hold strings only; 2 item\(s\) are not"):
        drop_near_duplicates(frame)
    numbers = pd.DataFrame({"text": [1, 2]})
    with pytest.raises(TypeError, match=r"e.g. 1"):
        drop_near_duplicates(numbers)


@pytest.mark.hostile("label_alignment")
def test_drop_near_duplicates_works_by_position_under_a_repeated_index():
    frame = pd.DataFrame({"text": ["a", "A!", "b", "c"]}, index=[5, 5, 6, 5])
    kept = drop_near_duplicates(frame)
    assert kept["text"].tolist() == ["a", "b", "c"]
    assert kept.index.tolist() == [5, 6, 5]


def test_standardize_tweet_keeps_symbols_case_and_links_as_tokens():
    assert (
        standardize_tweet("Crooked Hillary is a DISASTER... https://t.co/x1 &amp; more!")
        == "xxmaj crooked xxmaj hillary is a xxup disaster ... xxurl & more !"
    )
    assert standardize_tweet(".@FoxNews -- great") == ". @ xxmaj foxnews -- great"
    assert standardize_tweet("") == ""


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("text", [3, None, ["a tweet"], b"bytes"])
def test_standardize_tweet_rejects_what_is_not_a_string(text):
    with pytest.raises(TypeError, match="text must be a string, got"):
        standardize_tweet(text)


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
    from_series = build_text_vectorizer(
        pd.Series(["x y"], index=[9]), max_tokens=np.int64(5), sequence_length=2
    )
    assert set(from_series.get_vocabulary()) == {"", "[UNK]", "x", "y"}


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"texts": []}, ValueError, "texts must hold at least one text"),
        ({"texts": ["ok", 3]}, TypeError, r"texts must hold strings only; 1 item\(s\)"),
        ({"texts": ["ok", np.nan]}, TypeError, "e.g. nan"),
        ({"texts": 3}, TypeError, "texts must be a list of texts, got int: 3"),
        ({"texts": np.array([["a"]])}, ValueError, r"one-dimensional, got .*\(1, 1\)"),
        ({"max_tokens": 2}, ValueError, "max_tokens must be an integer >= 3, got 2"),
        ({"max_tokens": 10.0}, TypeError, "max_tokens must be an integer, got float"),
        ({"sequence_length": 0}, ValueError, "sequence_length must be an integer >= 1, got 0"),
        ({"sequence_length": True}, TypeError, "sequence_length must be an integer, got bool"),
        ({"standardize": "lower"}, ValueError, "standardize must be one of .*got 'lower'"),
    ],
)
def test_build_text_vectorizer_rejects_bad_arguments(kwargs, error, message):
    arguments = {"texts": ["a b"], "max_tokens": 10, "sequence_length": 3} | kwargs
    with pytest.raises(error, match=message):
        build_text_vectorizer(**arguments)


@pytest.mark.hostile("single_string")
def test_build_text_vectorizer_refuses_a_single_tweet():
    # list("Make America") would build a vocabulary of letters.
    with pytest.raises(TypeError, match="got the single string 'Make America'; write"):
        build_text_vectorizer("Make America", max_tokens=10, sequence_length=3)


@pytest.mark.hostile("single_string")
def test_drop_near_duplicates_keys_refuse_a_single_text():
    with pytest.raises(TypeError, match="texts must be a list of texts, got the single string"):
        _near_duplicate_keys("hello")
