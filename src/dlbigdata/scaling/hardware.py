"""What the processor could do, and what a matrix multiply gets: peak and measured GFLOP/s.

The theoretical peak of a CPU is ``cores x clock x FLOPs per cycle``. The cores come from
the operating system (the CPUs this process may run on), the clock and the instruction-set
flags from ``/proc/cpuinfo`` (Linux), and the FLOPs per cycle from the widest vector
instructions the flags announce (:data:`FLOPS_PER_CYCLE`). A measured throughput is the
FLOP count of a multiply, ``2 m k n``, over its best time of a few repeats.

Used in chapter 27.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlbigdata._validation import (
    require_callable,
    require_int,
    require_names,
    require_number,
    require_string,
)

__all__ = [
    "FLOPS_PER_CYCLE",
    "CpuInfo",
    "flops_per_cycle",
    "matmul_flops",
    "matmul_gflops",
    "parse_cpuinfo",
    "read_cpu",
    "theoretical_peak_gflops",
]

#: Single-precision FLOPs per cycle and core, by the widest instructions a CPU announces:
#: (required flags, FLOPs). An FMA counts as two FLOPs. The table assumes two full-width
#: FMA units per core (2 units x lanes x 2): right for AVX2 on Intel since Haswell and AMD
#: since Zen 2, and for AVX-512 only where there are two 512-bit FMA units (Xeon Gold
#: 6xxx/Platinum, Ice Lake-SP and later, AMD Zen 5). It is twice too high for AVX-512 on
#: AMD Zen 4 (256-bit units, double-pumped), on Xeons with one 512-bit FMA unit and on
#: Intel's client AVX-512 cores, and for AVX2 on Zen 1 (two 128-bit pipes). Without FMA
#: it assumes one multiply and one add unit. The first row whose flags are all present
#: wins; the flags cannot tell these cores apart, so the table takes the larger value and
#: the peak stays an upper bound.
FLOPS_PER_CYCLE: tuple[tuple[frozenset[str], int], ...] = (
    (frozenset({"avx512f", "fma"}), 64),
    (frozenset({"avx2", "fma"}), 32),
    (frozenset({"avx"}), 16),
    (frozenset({"sse2"}), 8),
)


@dataclass(frozen=True)
class CpuInfo:
    """Cores usable by this process, clock in GHz (``None`` if unknown) and CPU flags.

    Used in chapter 27.
    """

    cores: int
    clock_ghz: float | None
    flags: frozenset[str]


def parse_cpuinfo(text: str, cores: int) -> CpuInfo:
    """Read the clock and the flags from the text of ``/proc/cpuinfo``.

    Parameters
    ----------
    text : str
        The file's text: ``key : value`` lines, one block per logical CPU. The clock is
        the largest ``cpu MHz`` (cores may run at different speeds), the flags those of
        the first ``flags`` line.
    cores : int
        Cores this process may use (at least 1).

    Raises
    ------
    TypeError
        If ``text`` is not a string or ``cores`` not an integer.
    ValueError
        If ``cores`` is below 1 or a ``cpu MHz`` value is not a positive number.

    Used in chapter 27.
    """
    text = require_string("text", text, allow_empty=True)
    cores = require_int("cores", cores, minimum=1)
    clocks: list[float] = []
    flags: frozenset[str] = frozenset()
    for line in text.splitlines():
        key, separator, value = line.partition(":")
        key = key.strip()
        if not separator:
            continue
        if key == "cpu MHz":
            try:
                clocks.append(float(value))
            except ValueError:
                raise ValueError(f"cpu MHz must be a number, got {value.strip()!r}") from None
            if not (math.isfinite(clocks[-1]) and clocks[-1] > 0):
                raise ValueError(f"cpu MHz must be a positive number, got {value.strip()!r}")
        elif key == "flags" and not flags:
            flags = frozenset(value.split())
    clock = max(clocks) / 1000 if clocks else None
    return CpuInfo(cores=cores, clock_ghz=clock, flags=flags)


def read_cpu(path: str | os.PathLike[str] = "/proc/cpuinfo") -> CpuInfo:
    """This machine's :class:`CpuInfo`; no clock and no flags where ``path`` is absent.

    The cores are those the process may run on (``os.sched_getaffinity`` where it
    exists, else ``os.cpu_count()``); logical CPUs count as cores, which overstates the
    peak of a machine with simultaneous multithreading and keeps it an upper bound.

    Used in chapter 27.
    """
    getaffinity = getattr(os, "sched_getaffinity", None)
    cores = len(getaffinity(0)) if getaffinity is not None else (os.cpu_count() or 1)
    file = Path(path)
    text = file.read_text(encoding="utf-8", errors="replace") if file.is_file() else ""
    return parse_cpuinfo(text, cores)


def flops_per_cycle(flags: Iterable[str]) -> int:
    """Single-precision FLOPs per cycle and core announced by ``flags`` (see the table).

    Raises
    ------
    TypeError
        If ``flags`` is a single string or holds a non-string.
    ValueError
        If no row of :data:`FLOPS_PER_CYCLE` matches (not even ``sse2``).

    Used in chapter 27.
    """
    names = set(require_names("flags", flags, allow_empty=True, unique=False))
    for required, flops in FLOPS_PER_CYCLE:
        if required <= names:
            return flops
    raise ValueError(
        f"flags must include at least 'sse2' to know the vector width, got {sorted(names)}"
    )


def theoretical_peak_gflops(cores: int, clock_ghz: float, flops_per_cycle: int) -> float:
    """Peak throughput ``cores x clock_ghz x flops_per_cycle`` in GFLOP/s.

    Raises
    ------
    TypeError, ValueError
        If a count is not a positive integer or the clock not a positive finite number.

    Used in chapter 27.
    """
    cores = require_int("cores", cores, minimum=1)
    clock = require_number("clock_ghz", clock_ghz, minimum=0.0, low_open=True)
    per_cycle = require_int("flops_per_cycle", flops_per_cycle, minimum=1)
    return cores * clock * per_cycle


def _shape(name: str, shape: Any) -> tuple[int, int]:
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"{name} must be a (rows, columns) pair, got {shape!r}")
    return (
        require_int(f"{name}[0]", shape[0], minimum=1),
        require_int(f"{name}[1]", shape[1], minimum=1),
    )


def matmul_flops(shape_a: tuple[int, int], shape_b: tuple[int, int]) -> int:
    """Floating-point operations of ``A @ B``: ``2 m k n`` (a multiply and an add each).

    Raises
    ------
    TypeError
        If a shape is not a pair of integers.
    ValueError
        If a dimension is below 1 or the inner dimensions differ.

    Used in chapter 27.
    """
    rows, inner = _shape("shape_a", shape_a)
    inner_b, columns = _shape("shape_b", shape_b)
    if inner != inner_b:
        raise ValueError(f"shape_b must have {inner} rows to multiply shape_a, got {inner_b}")
    return 2 * rows * inner * columns


def matmul_gflops(
    multiply: Callable[[Any, Any], Any],
    a: Any,
    b: Any,
    *,
    repeats: int = 5,
    min_seconds: float = 0.2,
) -> float:
    """Best throughput of ``multiply(a, b)`` over at least ``repeats`` timings, in GFLOP/s.

    Parameters
    ----------
    multiply : callable
        Computes the product and returns only once it is done (for a GPU, copy the
        result back, so the time includes the transfer).
    a, b : array_like
        Operands with a ``shape`` attribute, already where ``multiply`` wants them.
    repeats : int
        Timings after one untimed warm-up call (at least 1); small products are
        repeated inside each timing until it lasts about a millisecond.
    min_seconds : float
        Keep timing (beyond ``repeats``) until the timings add up to at least this many
        seconds (0 for exactly ``repeats``), so that the best of them is likely to have
        run undisturbed on a machine shared with other programs.

    Raises
    ------
    TypeError, ValueError
        For a multiply that is not callable, operands without a 2-D shape, bad repeats
        or a negative or non-finite ``min_seconds``.

    Used in chapter 27.
    """
    multiply = require_callable("multiply", multiply)
    flops = matmul_flops(tuple(getattr(a, "shape", ())), tuple(getattr(b, "shape", ())))
    repeats = require_int("repeats", repeats, minimum=1)
    min_seconds = require_number("min_seconds", min_seconds, minimum=0.0)
    multiply(a, b)
    calls = max(1, min(10_000, int(2e6 // flops)))  # ~1 ms at 2 GFLOP/s
    best, total, timings = math.inf, 0.0, 0
    while timings < repeats or total < min_seconds:
        start = time.perf_counter()
        for _ in range(calls):
            multiply(a, b)
        elapsed = time.perf_counter() - start
        best, total, timings = min(best, elapsed / calls), total + elapsed, timings + 1
    return flops / best / 1e9
