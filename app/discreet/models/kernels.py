"""Which CPU kernels the embedder's runtimes use on this machine.

Unlike llama.cpp's pip build, onnxruntime and torch pick their kernels at run time
from the CPU's flags, so they need no variants; this only says what they picked, for
`discreet doctor` and the embedder bench. torch reports its choice; onnxruntime's
matrix library (MLAS) does not, so its rule is applied to the same flags.
"""

from __future__ import annotations

from discreet.models.cpu_variants import cpu_flags


def mlas_kernels(flags: frozenset[str]) -> str:
    """MLAS's x86 dispatch order for int8 and fp32 matrix products."""
    if {"avx512bw", "avx512_vnni"} <= flags:
        int8 = "AVX-512 VNNI"
    elif "avx_vnni" in flags:
        int8 = "AVX-VNNI"
    elif "avx512bw" in flags:
        int8 = "AVX-512"
    else:
        int8 = "AVX2" if "avx2" in flags else "SSE"
    fp32 = "AVX-512F" if "avx512f" in flags else "FMA3/AVX2" if "fma" in flags else "SSE"
    return f"int8 {int8}, fp32 {fp32}"


def onnx_kernels() -> str:
    """For `discreet doctor`: onnxruntime's version and providers, and the MLAS kernels here."""
    import onnxruntime as ort

    providers = ", ".join(ort.get_available_providers())
    return (
        f"onnxruntime {ort.__version__} ({providers}; graph optimisation: all): "
        f"MLAS kernels {mlas_kernels(cpu_flags())}"
    )


def torch_kernels() -> str:
    """For `discreet doctor`: the kernel level torch reports and its threads, if it is installed."""
    try:
        import torch
    except ImportError:
        return "torch not installed"
    capability = torch.backends.cpu.get_cpu_capability()
    return f"torch {torch.__version__}: {capability} kernels, {torch.get_num_threads()} threads"
