"""Boundary checks of :mod:`dlbigdata.rl` only: layer widths, actions, terminated flags (private).

They follow the conventions of :mod:`dlbigdata._validation` (``(name, value, ...)``, TypeError
for a wrong type, ValueError for a wrong value, a message that names the argument and shows
the value); the generic checks they build on live there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlbigdata._validation import describe, require_int, require_int_sequence


def require_widths(name: str, value: Any, *, allow_empty: bool) -> tuple[int, ...]:
    """Return layer widths (a sequence of positive ints) as a tuple."""
    widths = tuple(
        require_int(f"{name}[{index}]", width, minimum=1)
        for index, width in enumerate(require_int_sequence(name, value))
    )
    if not widths and not allow_empty:
        raise ValueError(f"{name} must name at least one layer width, got ()")
    return widths


def action_limit(action_count: int | None) -> int:
    """One past the largest valid action: ``action_count``, or what an int32 holds."""
    return action_count if action_count is not None else int(np.iinfo(np.int32).max) + 1


def require_actions(name: str, value: Any, count: int, action_count: int | None) -> np.ndarray:
    """Return ``count`` integer actions, each in ``[0, action_count)``, as an int64 array."""
    actions = np.asarray(value)
    if actions.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer actions, got dtype {actions.dtype}")
    if actions.shape != (count,):
        raise ValueError(f"{name} must have shape ({count},), got {actions.shape}")
    limit = action_limit(action_count)
    outside = (actions < 0) | (actions >= limit)
    if outside.any():
        raise ValueError(f"{name} must hold actions in [0, {limit}), got {actions[outside][0]!r}")
    return actions.astype(np.int64, copy=False)


def require_flags(name: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Terminated flags of ``shape``, each ``0``/``1`` or ``False``/``True``, as float32."""
    flags = np.asarray(value)
    if flags.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {flags.shape}")
    if flags.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold 0/1 or False/True, got dtype {flags.dtype}")
    bad = ~np.isin(flags, [0, 1])
    if bad.any():
        raise ValueError(
            f"{name} must hold only 0/1 or False/True, got {flags[bad][0]!r} in {describe(flags)}"
        )
    return flags.astype(np.float32, copy=False)
