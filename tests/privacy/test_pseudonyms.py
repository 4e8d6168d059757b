"""Tests of dlbigdata.privacy.pseudonyms: HMAC pseudonyms and the enumeration attack."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from dlbigdata.privacy.pseudonyms import pseudonymise, reverse_by_enumeration

KEY = b"k" * 32


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_pseudonyms_are_the_hmac_of_each_identifier():
    expected = hmac.new(KEY, b"17", hashlib.sha256).hexdigest()
    assert pseudonymise(["17", "17", "4"], KEY)[:2] == [expected, expected]
    assert pseudonymise(["4"], KEY) != pseudonymise(["4"], b"j" * 32)


def test_enumeration_reverses_plain_hashes_but_not_hmac():
    ids = ["3", "41", "99"]
    found = reverse_by_enumeration([sha256(i) for i in ids], [str(n) for n in range(100)], sha256)
    assert sorted(found.values()) == sorted(ids)
    keyed = pseudonymise(ids, KEY)
    assert reverse_by_enumeration(keyed, [str(n) for n in range(100)], sha256) == {}


@pytest.mark.hostile("bad_input")
def test_short_or_textual_key_is_refused():
    with pytest.raises(ValueError, match="key must hold at least 16 bytes, got 3"):
        pseudonymise(["1"], b"abc")
    with pytest.raises(TypeError, match="key must be bytes"):
        pseudonymise(["1"], "secret-key-that-is-long")


@pytest.mark.hostile("single_string")
def test_a_single_identifier_string_is_refused():
    with pytest.raises(TypeError, match="identifiers must be a list of texts"):
        pseudonymise("1234", KEY)
    with pytest.raises(TypeError, match="candidates must be a list of texts"):
        reverse_by_enumeration([sha256("1")], "0123", sha256)


@pytest.mark.hostile("bad_input")
def test_non_string_identifiers_and_uncallable_function_are_refused():
    with pytest.raises(TypeError, match="identifiers must hold strings only"):
        pseudonymise([1, 2], KEY)
    with pytest.raises(TypeError, match="digest_function must be callable"):
        reverse_by_enumeration([sha256("1")], ["1"], "sha256")
