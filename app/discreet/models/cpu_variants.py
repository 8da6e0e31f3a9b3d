"""The llama.cpp CPU builds Discreet ships, and what this CPU and its OS allow.

The pip build of llama-cpp-python is compiled for any x86-64 CPU with AVX2, which
leaves about a third of prompt speed unused on CPUs with AVX-512 or VNNI. Only ggml's
CPU backend (`libggml-cpu`) depends on the instruction set, so each variant is that one
library, built by `tools/build_cpu_variants.py` from the same llama.cpp sources with
more instructions enabled. Which one loads is decided by `cpu_dispatch`.

The table is ordered best first. A variant is eligible when the CPU reports every flag
it was compiled for (Linux's /proc/cpuinfo lists a flag only where the kernel also
enables it) and, for AMX, when the kernel grants this process the tile state.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

BASELINE = "avx2"
LIBRARY = "libggml-cpu.so.0"
MANIFEST = "manifest.json"
_AVX2 = ("GGML_AVX", "GGML_AVX2", "GGML_FMA", "GGML_F16C", "GGML_BMI2")
_AVX512 = (*_AVX2, "GGML_AVX512", "GGML_AVX512_VNNI")


@dataclass(frozen=True)
class CpuVariant:
    """One llama.cpp CPU build: the GGML options it is built with and the CPU flags it needs.

    `tools/build_cpu_variants.py` builds from `cmake_flags`; `cpu_dispatch` checks
    `cpu_flags` and `needs_amx` before it may load the build.
    """

    name: str
    cmake_flags: tuple[str, ...]  # GGML_* options switched on for this build
    cpu_flags: frozenset[str]  # /proc/cpuinfo flags every one of which it needs
    needs_amx: bool = False
    note: str = ""


_AVX2_CPU = frozenset({"avx2", "fma", "f16c", "bmi2"})
_AVX512_CPU = _AVX2_CPU | {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni"}
_BF16_CPU = _AVX512_CPU | {"avx512vbmi", "avx512_bf16"}
_BF16 = (*_AVX512, "GGML_AVX512_VBMI", "GGML_AVX512_BF16")

VARIANTS: tuple[CpuVariant, ...] = (
    CpuVariant(
        "amx",
        (*_BF16, "GGML_AMX_TILE", "GGML_AMX_INT8"),
        _BF16_CPU | {"amx_tile", "amx_int8"},
        needs_amx=True,
        note="Xeon Sapphire Rapids and later, where the OS grants AMX",
    ),
    CpuVariant(
        "avx512-bf16",
        _BF16,
        _BF16_CPU,
        note="AMD Zen 4 and 5, Intel Cooper Lake and Sapphire Rapids",
    ),
    CpuVariant(
        "avx512",
        _AVX512,
        _AVX512_CPU,
        note="Intel Cascade Lake, Ice Lake, Tiger Lake, Rocket Lake",
    ),
    CpuVariant(
        "avx-vnni",
        (*_AVX2, "GGML_AVX_VNNI"),
        _AVX2_CPU | {"avx_vnni"},
        note="Intel Alder Lake and later laptops",
    ),
    CpuVariant(BASELINE, _AVX2, _AVX2_CPU, note="any x86-64 CPU since 2013: the pip build"),
)


def variant(name: str) -> CpuVariant:
    """The variant of that name; its KeyError lists the known names, for a mistyped setting."""
    for item in VARIANTS:
        if item.name == name:
            return item
    known = ", ".join(v.name for v in VARIANTS)
    raise KeyError(f"unknown CPU variant {name!r} (known: {known})")


def cpu_flags() -> frozenset[str]:
    """The instruction-set flags the kernel reports for this CPU (empty off Linux)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def cpu_name() -> str:
    """The CPU's model name, part of each self-test's cache key; "unknown CPU" off Linux."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return "unknown CPU"


_ARCH_REQ_XCOMP_PERM = 0x1023
_XFEATURE_XTILEDATA = 18
_SYS_ARCH_PRCTL = 158  # x86-64


def request_amx() -> str:
    """Ask Linux for the AMX tile state; "" when granted, else why not.

    A process must ask before its first AMX instruction, or the kernel kills it; a
    hypervisor that does not pass AMX through makes the request fail instead.
    """
    if not sys.platform.startswith("linux"):
        return "AMX permission can only be requested on Linux"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(_SYS_ARCH_PRCTL, _ARCH_REQ_XCOMP_PERM, _XFEATURE_XTILEDATA) != 0:
        return f"the OS does not grant AMX ({os.strerror(ctypes.get_errno())})"
    return ""


def why_not(item: CpuVariant, flags: frozenset[str]) -> str:
    """Why this CPU cannot run a variant, or "" when it can."""
    missing = sorted(item.cpu_flags - flags)
    if missing:
        return "the CPU (as the OS reports it) lacks " + ", ".join(missing)
    return request_amx() if item.needs_amx else ""


def llama_lib_dir() -> Path:
    """llama-cpp-python's own library folder, found without importing (and so loading) it."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("llama_cpp")
    return Path(next(iter(spec.submodule_search_locations))) / "lib"


def variants_dir() -> Path:
    """Where the extra builds live: in the frozen bundle, or in the environment's share/."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "cpu-variants"
    return Path(sys.prefix) / "share" / "discreet" / "cpu-variants"


def library_path(item: CpuVariant) -> Path:
    """Where a variant's libggml-cpu would be (unchecked); for the baseline, the pip build's."""
    if item.name == BASELINE:
        return llama_lib_dir() / LIBRARY
    return variants_dir() / item.name / LIBRARY
