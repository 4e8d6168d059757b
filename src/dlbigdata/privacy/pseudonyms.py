"""Keyed pseudonyms (HMAC-SHA-256) and the enumeration attack on unkeyed hashes.

Used in chapter 25.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from dlbigdata._validation import require_callable, require_texts, require_type

__all__ = ["pseudonymise", "reverse_by_enumeration"]

MINIMUM_KEY_BYTES = 16
"""The shortest key accepted (128 bits); ``secrets.token_bytes(32)`` gives 256."""


def pseudonymise(identifiers: Sequence[str], key: bytes) -> list[str]:
    """Replace each identifier by its HMAC-SHA-256 under ``key``, as 64 hex digits.

    The same identifier always gets the same pseudonym (records still link), but without
    the key nobody can recompute it, so enumerating the identifier space reveals nothing.

    Parameters
    ----------
    identifiers
        The identifiers as strings (a single string is refused: it is not a list).
    key
        The secret key, at least 16 bytes; keep it apart from the data.

    Raises
    ------
    TypeError
        If ``key`` is not bytes or an identifier is not a string.
    ValueError
        If ``key`` is shorter than 16 bytes.

    Used in chapter 25.
    """
    key = require_type("key", key, bytes, "bytes (e.g. secrets.token_bytes(32))")
    if len(key) < MINIMUM_KEY_BYTES:
        raise ValueError(f"key must hold at least {MINIMUM_KEY_BYTES} bytes, got {len(key)} bytes")
    texts = require_texts("identifiers", identifiers, allow_empty=True)
    return [hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest() for text in texts]


def reverse_by_enumeration(
    digests: Sequence[str],
    candidates: Sequence[str],
    digest_function: Callable[[str], str],
) -> dict[str, str]:
    """Recover the identifiers behind ``digests`` by hashing every candidate identifier.

    Returns a mapping ``digest -> identifier`` for each digest whose identifier is among
    ``candidates``; digests not recovered are absent. This is the attack that defeats a
    plain hash of a small identifier space.

    Raises
    ------
    TypeError
        If ``digest_function`` is not callable or an entry is not a string.

    Used in chapter 25.
    """
    function = require_callable("digest_function", digest_function)
    wanted = set(require_texts("digests", digests, allow_empty=True))
    names = require_texts("candidates", candidates, allow_empty=True)
    recovered = {}
    for candidate in names:
        digest = function(candidate)
        if digest in wanted:
            recovered[digest] = candidate
    return recovered
