"""Tests of dlbigdata.scaling.hardware: peak from the CPU's description, measured GFLOP/s."""

from __future__ import annotations

import numpy as np
import pytest

from dlbigdata.scaling import hardware
from dlbigdata.scaling.hardware import (
    FLOPS_PER_CYCLE,
    CpuInfo,
    flops_per_cycle,
    matmul_flops,
    matmul_gflops,
    parse_cpuinfo,
    read_cpu,
    theoretical_peak_gflops,
)

CPUINFO = """processor\t: 0
model name\t: Example CPU
cpu MHz\t\t: 2445.406
flags\t\t: fpu sse2 avx fma avx2

processor\t: 1
cpu MHz\t\t: 3000.000
flags\t\t: fpu sse2 avx fma avx2
"""


def test_parse_cpuinfo_takes_the_largest_clock_and_the_flags():
    info = parse_cpuinfo(CPUINFO, cores=2)
    assert info == CpuInfo(2, 3.0, frozenset({"fpu", "sse2", "avx", "fma", "avx2"}))


def test_parse_cpuinfo_without_clock_or_flags():
    info = parse_cpuinfo("processor : 0\nnonsense line\n", cores=1)
    assert info.clock_ghz is None and info.flags == frozenset()


def test_read_cpu_on_a_missing_file(tmp_path):
    info = read_cpu(tmp_path / "absent")
    assert info.cores >= 1 and info.clock_ghz is None and not info.flags


def test_read_cpu_from_a_file(tmp_path):
    path = tmp_path / "cpuinfo"
    path.write_text(CPUINFO, encoding="utf-8")
    assert read_cpu(path).clock_ghz == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["sse2", "avx", "avx2", "fma", "avx512f"], 64),
        (["sse2", "avx", "avx2", "fma"], 32),
        (["sse2", "avx", "avx2"], 16),  # AVX2 without FMA: multiply + add
        (["sse2", "avx"], 16),
        ({"sse2"}, 8),
    ],
)
def test_flops_per_cycle(flags, expected):
    assert flops_per_cycle(flags) == expected


def test_theoretical_peak():
    assert theoretical_peak_gflops(2, 2.5, 32) == pytest.approx(160.0)


def test_matmul_flops():
    assert matmul_flops((3, 4), (4, 5)) == 2 * 3 * 4 * 5


def test_matmul_gflops_measures_a_positive_finite_rate():
    a = np.ones((32, 16), dtype=np.float32)
    b = np.ones((16, 8), dtype=np.float32)
    calls = []

    def multiply(x, y):
        calls.append(1)
        return x @ y

    rate = matmul_gflops(multiply, a, b, repeats=2)
    assert np.isfinite(rate) and rate > 0
    assert len(calls) > 2  # a warm-up, then the timed calls


def test_matmul_gflops_without_a_time_budget_times_exactly_repeats():
    a = np.ones((64, 64), dtype=np.float32)
    calls = []

    def multiply(x, y):
        calls.append(1)
        return x @ y

    matmul_gflops(multiply, a, a, repeats=3, min_seconds=0.0)
    per_timing = max(1, min(10_000, int(2e6 // matmul_flops(a.shape, a.shape))))
    assert len(calls) == 1 + 3 * per_timing  # the warm-up, then 3 timings


def test_matmul_gflops_keeps_timing_until_the_budget_is_spent(monkeypatch):
    a = np.ones((100, 100), dtype=np.float32)  # 2e6 FLOPs: one call per timing
    clock = iter(np.arange(0.0, 100.0, 0.125))  # each reading 1/8 s later
    monkeypatch.setattr(hardware.time, "perf_counter", lambda: float(next(clock)))
    calls = []

    def multiply(x, y):
        calls.append(1)
        return x @ y

    rate = matmul_gflops(multiply, a, a, repeats=1, min_seconds=0.5)
    # Every timing lasts 1/8 s on the fake clock: 4 timings fill half a second.
    assert len(calls) == 1 + 4
    assert rate == pytest.approx(2e6 / 0.125 / 1e9)


def test_flops_per_cycle_table_assumes_two_full_width_fma_units():
    # 2 units x 16 (AVX-512) or 8 (AVX2) single-precision lanes x 2 FLOPs per FMA:
    # an upper bound for cores with one unit or double-pumped 256-bit units.
    widest = {tuple(sorted(flags)): flops for flags, flops in FLOPS_PER_CYCLE}
    assert widest[("avx512f", "fma")] == 2 * 16 * 2
    assert widest[("avx2", "fma")] == 2 * 8 * 2
    assert [flops for _, flops in FLOPS_PER_CYCLE] == sorted(
        (flops for _, flops in FLOPS_PER_CYCLE), reverse=True
    )  # the first matching row is the widest, so the table never undercounts


@pytest.mark.hostile("bad_input")
def test_parse_cpuinfo_refuses_bad_input():
    with pytest.raises(TypeError, match="text"):
        parse_cpuinfo(b"cpu MHz : 1", cores=1)
    with pytest.raises(ValueError, match="cores"):
        parse_cpuinfo(CPUINFO, cores=0)
    with pytest.raises(TypeError, match="cores"):
        parse_cpuinfo(CPUINFO, cores=2.0)


@pytest.mark.hostile("malformed_file")
def test_parse_cpuinfo_refuses_a_malformed_clock():
    with pytest.raises(ValueError, match=r"cpu MHz.*'fast'"):
        parse_cpuinfo("cpu MHz : fast\n", cores=1)
    with pytest.raises(ValueError, match=r"cpu MHz.*-5"):
        parse_cpuinfo("cpu MHz : -5\n", cores=1)
    with pytest.raises(ValueError, match=r"cpu MHz.*nan"):
        parse_cpuinfo("cpu MHz : nan\n", cores=1)


@pytest.mark.hostile("malformed_file")
def test_read_cpu_refuses_a_malformed_file(tmp_path):
    path = tmp_path / "cpuinfo"
    path.write_text("cpu MHz : ?\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cpu MHz"):
        read_cpu(path)


@pytest.mark.hostile("single_string")
def test_flops_per_cycle_refuses_a_single_string():
    with pytest.raises(TypeError, match="flags"):
        flops_per_cycle("avx2 fma")


@pytest.mark.hostile("bad_input")
def test_flops_per_cycle_refuses_unknown_flags():
    with pytest.raises(ValueError, match=r"flags.*sse2"):
        flops_per_cycle(["neon"])
    with pytest.raises(TypeError, match="flags"):
        flops_per_cycle(["avx", 2])


@pytest.mark.hostile("bad_input")
def test_theoretical_peak_refuses_bad_input():
    with pytest.raises(ValueError, match="cores"):
        theoretical_peak_gflops(0, 2.0, 32)
    with pytest.raises(ValueError, match="clock_ghz"):
        theoretical_peak_gflops(2, 0.0, 32)
    with pytest.raises(TypeError, match="clock_ghz"):
        theoretical_peak_gflops(2, None, 32)
    with pytest.raises(TypeError, match="flops_per_cycle"):
        theoretical_peak_gflops(2, 2.0, "32")


@pytest.mark.hostile("nan_parameter")
def test_theoretical_peak_refuses_nan_clock():
    with pytest.raises(ValueError, match="clock_ghz"):
        theoretical_peak_gflops(2, float("nan"), 32)


@pytest.mark.hostile("bad_input")
def test_matmul_flops_refuses_bad_shapes():
    with pytest.raises(ValueError, match=r"shape_b.*3"):
        matmul_flops((2, 3), (4, 5))
    with pytest.raises(TypeError, match="shape_a"):
        matmul_flops((2, 3, 4), (4, 5))
    with pytest.raises(ValueError, match="shape_a"):
        matmul_flops((0, 3), (3, 5))


@pytest.mark.hostile("bad_input")
def test_matmul_gflops_refuses_bad_input():
    a = np.ones((2, 2), dtype=np.float32)
    with pytest.raises(TypeError, match="multiply"):
        matmul_gflops("matmul", a, a)
    with pytest.raises(TypeError, match="shape_a"):
        matmul_gflops(np.matmul, [[1.0]], a)
    with pytest.raises(ValueError, match="repeats"):
        matmul_gflops(np.matmul, a, a, repeats=0)
    with pytest.raises(ValueError, match="min_seconds"):
        matmul_gflops(np.matmul, a, a, min_seconds=-1.0)
    with pytest.raises(TypeError, match="min_seconds"):
        matmul_gflops(np.matmul, a, a, min_seconds="0.2")


@pytest.mark.hostile("nan_parameter")
def test_matmul_gflops_refuses_nan_budget():
    a = np.ones((2, 2), dtype=np.float32)
    with pytest.raises(ValueError, match="min_seconds"):
        matmul_gflops(np.matmul, a, a, min_seconds=float("nan"))
