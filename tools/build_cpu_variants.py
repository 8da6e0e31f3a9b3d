"""Build ggml's CPU backend once per instruction-set variant (see discreet.models.cpu_variants).

Run by `make setup` after llama-cpp-python is installed. It fetches the sdist of the
exact installed version from the package index (the one network use, at set-up, like
pip's), configures its vendored llama.cpp as pip's build does (shared libraries,
OpenMP, no native tuning) plus each variant's instructions, and builds the
`ggml-cpu` target alone: about 30 s a variant on 2 cores, against 3-4 minutes for all
of llama.cpp. Each library lands in `<prefix>/share/discreet/cpu-variants/<name>/`
with a manifest that pins its SHA-256, so the app can refuse a swapped file.

A second run with the same llama-cpp-python version and variant table does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

from discreet.models.cpu_variants import BASELINE, LIBRARY, MANIFEST, VARIANTS, variants_dir

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "cpu-variants"
CMAKE_COMMON = (
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=ON",
    "-DGGML_NATIVE=OFF",
    "-DGGML_OPENMP=ON",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_TOOLS=OFF",
    "-DLLAMA_BUILD_SERVER=OFF",
    "-DLLAMA_CURL=OFF",
)
# Every instruction option ggml has for x86, so a variant switches on exactly its own.
ALL_OPTIONS = sorted({flag for item in VARIANTS for flag in item.cmake_flags})


def wanted() -> dict:
    return {
        "llama_cpp_python": version("llama_cpp_python"),
        "variants": {v.name: list(v.cmake_flags) for v in VARIANTS if v.name != BASELINE},
    }


def sources(release: str) -> Path:
    unpacked = WORK / f"llama_cpp_python-{release}"
    if not unpacked.is_dir():
        WORK.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        pip += ["--no-binary", ":all:", f"llama-cpp-python=={release}", "-d", str(WORK)]
        subprocess.run(pip, check=True)
        with tarfile.open(WORK / f"llama_cpp_python-{release}.tar.gz") as archive:
            archive.extractall(WORK, filter="data")
    return unpacked / "vendor" / "llama.cpp"


def build(source: Path, name: str, flags: list[str]) -> Path:
    folder = WORK / f"build-{name}"
    switches = [f"-D{opt}={'ON' if opt in flags else 'OFF'}" for opt in ALL_OPTIONS]
    configure = ["cmake", "-S", str(source), "-B", str(folder), *CMAKE_COMMON, *switches]
    jobs = str(max(1, len(os.sched_getaffinity(0))))
    for step in (configure, ["cmake", "--build", str(folder), "--target", "ggml-cpu", "-j", jobs]):
        # The compiler's warnings run to megabytes; show them only when a step fails.
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            raise SystemExit(f"building CPU variant {name} failed: {' '.join(step[:3])}")
    return folder / "bin" / LIBRARY


def main() -> int:
    target = variants_dir()
    manifest_file = target / MANIFEST
    want = wanted()
    if manifest_file.is_file():
        have = json.loads(manifest_file.read_text())
        if {k: have.get(k) for k in want} == want:
            print(f"CPU variants up to date in {target}")
            return 0
    if shutil.which("cmake") is None:
        print("cmake is needed to build the CPU variants", file=sys.stderr)
        return 1
    source = sources(want["llama_cpp_python"])
    files = {}
    for name, flags in want["variants"].items():
        started = time.perf_counter()
        built = build(source, name, flags)
        folder = target / name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built.resolve(), folder / LIBRARY)
        files[name] = hashlib.sha256((folder / LIBRARY).read_bytes()).hexdigest()
        print(f"built CPU variant {name} in {time.perf_counter() - started:.0f} s")
    manifest_file.write_text(json.dumps({**want, "sha256": files}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
