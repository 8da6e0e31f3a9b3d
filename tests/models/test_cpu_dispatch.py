"""Runtime CPU dispatch for llama.cpp: the best build this CPU runs, and never one that crashes.

Each scenario on this machine runs in a child process, because a process can load only
one llama.cpp build and this one has loaded its own already. What "best" is comes from
`cpu_choice`, self-tests included, so the tests hold on any CPU; the rule itself is
also run on simulated CPUs (AMX whose build fails its self-test, AVX2 only).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from cpu_choice import best_build, best_here, smallest_model
from discreet.models import cpu_dispatch, cpu_variants
from discreet.models.cpu_dispatch import CpuChoice, SelfTests, choose, run_selftest
from discreet.models.cpu_variants import (
    BASELINE,
    LIBRARY,
    MANIFEST,
    VARIANTS,
    CpuVariant,
    cpu_flags,
    library_path,
    request_amx,
    variant,
    variants_dir,
    why_not,
)

REPORT = (
    "import json; from discreet.models.llama_runtime import CPU;"
    "from discreet.models.cpu_dispatch import loaded_library;"
    "print(json.dumps({'name': CPU.name, 'forced': CPU.forced, 'skipped': CPU.skipped,"
    "'library': str(CPU.library), 'loaded': str(loaded_library())}))"
)


def in_child(code: str, **env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_best_build_for_this_cpu_is_the_one_loaded(home: Path, model_dir: Path) -> None:
    report = in_child(REPORT)
    assert report["name"] == best_here(smallest_model(model_dir)) and not report["forced"]
    assert Path(report["loaded"]).resolve() == Path(report["library"]).resolve()
    for name, why in report["skipped"]:  # every faster build passed over says why
        assert VARIANTS.index(variant(name)) < VARIANTS.index(variant(report["name"])) and why


def test_amx_is_never_chosen_where_the_os_withholds_it(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CPU that reports AMX under a kernel or hypervisor that does not enable it."""
    refusal = request_amx()
    if not refusal:
        pytest.skip("this OS grants AMX")
    monkeypatch.setattr(cpu_dispatch, "cpu_flags", lambda: variant("amx").cpu_flags)
    model = smallest_model(model_dir)
    choice = choose(model, SelfTests(None))
    assert choice.name != "amx" and ("amx", refusal) in choice.skipped


def test_forcing_avx2_loads_it_and_still_answers(home: Path) -> None:
    code = REPORT.replace(
        "print(",
        "from discreet.services import Services; llm = Services().llm();"
        "from discreet.models.prompt_format import Message;"
        "text = llm.complete(llm.render([Message('user', 'Name a colour.')]),"
        " max_tokens=8).collect(); print(",
    ).replace("'loaded'", "'text': text, 'loaded'")
    report = in_child(code, DISCREET_CPU_VARIANT="avx2")
    assert report["name"] == BASELINE and report["forced"]
    assert Path(report["loaded"]).resolve() == library_path(variant(BASELINE)).resolve()
    assert report["text"].strip()


def test_a_build_that_crashes_its_self_test_is_skipped_with_the_reason(
    tmp_path: Path, model_dir: Path
) -> None:
    """A library that kills its process on load, as AMX does where the OS withholds it."""
    if shutil.which("cc") is None:
        pytest.skip("needs a C compiler, which set-up installs for llama.cpp")
    source = tmp_path / "crash.c"
    source.write_text(
        "#include <signal.h>\n__attribute__((constructor)) static void boom(void)"
        " { raise(SIGSEGV); }\n"
    )
    library = tmp_path / "libggml-cpu.so.0"
    subprocess.run(["cc", "-shared", "-fPIC", str(source), "-o", str(library)], check=True)
    model = smallest_model(model_dir)
    verdict = run_selftest(library, model)
    assert verdict == {"ok": False, "reason": "crashed (SIGSEGV)"}
    assert run_selftest(None, model)["ok"]  # the baseline, in the same way, passes


def test_a_failed_or_tampered_variant_falls_back_to_the_next(
    tmp_path: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = smallest_model(model_dir)
    best = best_here(model)
    if best == BASELINE:
        pytest.skip("this CPU runs no variant above AVX2")
    tests = SelfTests(None)
    crashed = {"ok": False, "reason": "crashed (SIGSEGV)"}
    real_run = SelfTests.run
    monkeypatch.setattr(
        SelfTests,
        "run",
        lambda self, item, lib, m: crashed if item.name == best else real_run(self, item, lib, m),
    )
    choice = choose(model, tests)
    assert isinstance(choice, CpuChoice) and choice.name != best
    assert (best, "failed its self-test: crashed (SIGSEGV)") in choice.skipped

    copy = tmp_path / "variants"
    shutil.copytree(variants_dir(), copy)
    (copy / best / "libggml-cpu.so.0").write_bytes(b"\x7fELF tampered")
    monkeypatch.setattr(cpu_dispatch, "variants_dir", lambda: copy)
    monkeypatch.setattr(cpu_dispatch, "library_path", lambda v: copy / v.name / "libggml-cpu.so.0")
    monkeypatch.setattr(SelfTests, "run", real_run)
    why = cpu_dispatch._unusable(variant(best), cpu_flags(), cpu_dispatch._shipped_hashes())
    assert why == "its library does not match the SHA-256 in the manifest"


def test_doctor_says_which_build_runs_and_which_kernels_the_embedder_uses(
    home: Path, model_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    from discreet.cli.main import main

    main(["--json", "doctor"])
    checks = {c["area"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    cpu = checks["llama.cpp CPU"]
    best = best_here(smallest_model(model_dir))
    assert cpu["status"] == "ok" and cpu["detail"].startswith(f"{best} build (chosen)")
    assert "MLAS kernels int8" in checks["onnxruntime kernels"]["detail"]
    assert "kernels" in checks["torch kernels"]["detail"]


def test_settings_show_the_build_in_use_and_can_force_one(qtbot, tmp_path: Path) -> None:
    from discreet.core.policy import Policy
    from discreet.core.settings import Settings
    from discreet.gui.settings_dialog import SettingsDialog
    from discreet.models.llama_runtime import CPU

    dialog = SettingsDialog(
        Settings(), Policy(), [], {"Libraries": tmp_path}, [], cpu_build=CPU.summary()
    )
    qtbot.addWidget(dialog)
    note = dialog.findChild(QLabel, "cpuBuild")
    assert note is not None and f"In use: {CPU.name}" in note.text()
    for name, why in CPU.skipped:
        assert f"{name}: {why}" in note.text()
    picker = dialog._editors["model.cpu_variant"]
    assert picker.currentData() == "auto" and picker.count() == len(VARIANTS) + 1
    picker.setCurrentIndex(picker.findData(BASELINE))
    assert dialog.result_settings().model.cpu_variant == BASELINE


# --- the rule on simulated CPUs: no library loaded, no self-test run -------------------

PASSES = {"ok": True, "reason": "", "token": 42}  # a verdict with the AVX2 build's token


class ScriptedSelfTests(SelfTests):
    """Self-test verdicts set per variant instead of run in a child; records each asked."""

    def __init__(self, verdicts: dict[str, dict]) -> None:
        super().__init__(None)
        self.scripted = verdicts
        self.ran: list[str] = []

    def run(self, item: CpuVariant, library: Path, model: Path) -> dict:
        """The scripted verdict; a variant not scripted passes."""
        self.ran.append(item.name)
        return self.scripted.get(item.name, PASSES)


def simulate_cpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: frozenset[str]) -> Path:
    """Every variant built and listed in its manifest, on a CPU reporting `flags` under an
    OS that grants AMX: what `choose` sees on a machine other than this one."""
    folder = tmp_path / "variants"
    shipped = {}
    for item in VARIANTS:
        library = folder / item.name / LIBRARY
        library.parent.mkdir(parents=True)
        library.write_bytes(f"libggml-cpu built for {item.name}".encode())
        shipped[item.name] = hashlib.sha256(library.read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps({"sha256": shipped}))
    monkeypatch.setattr(cpu_dispatch, "variants_dir", lambda: folder)
    monkeypatch.setattr(cpu_dispatch, "library_path", lambda v: folder / v.name / LIBRARY)
    monkeypatch.setattr(cpu_dispatch, "cpu_flags", lambda: flags)
    monkeypatch.setattr(cpu_variants, "request_amx", lambda: "")
    return folder


def oracle(flags: frozenset[str], tests: ScriptedSelfTests) -> str:
    """`cpu_choice`'s reading of the rule on the same simulated CPU, for the real-CPU tests'
    sake: it must agree with `choose` wherever the tests below can check it."""
    return best_build(lambda v: not why_not(v, flags), lambda v: tests.scripted.get(v.name, PASSES))


@pytest.mark.parametrize(
    ("verdict", "why"),
    [
        ({"ok": False, "reason": "crashed (SIGILL)"}, "failed its self-test: crashed (SIGILL)"),
        (
            {"ok": True, "reason": "", "token": 7},
            "failed its self-test: its next token differs from the AVX2 build's",
        ),
    ],
    ids=["crashes", "disagrees"],
)
def test_a_cpu_whose_best_build_fails_its_self_test_gets_the_next_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verdict: dict, why: str
) -> None:
    """A Sapphire Rapids Xeon: AMX advertised and granted, the AMX build failing its test."""
    flags = variant("amx").cpu_flags
    folder = simulate_cpu(tmp_path, monkeypatch, flags)
    tests = ScriptedSelfTests({"amx": verdict})
    choice = choose(tmp_path / "model.gguf", tests)
    assert choice.name == "avx512-bf16" and not choice.forced
    assert choice.library == folder / "avx512-bf16" / LIBRARY
    assert choice.skipped == (("amx", why),)
    assert tests.ran == [BASELINE, "amx", "avx512-bf16"]  # the flags let AMX through
    assert oracle(flags, tests) == choice.name


def test_an_avx2_only_cpu_gets_the_avx2_build_without_a_self_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CPU with AVX2 and nothing newer: each faster build is passed over for its flags."""
    flags = variant(BASELINE).cpu_flags | {"sse4_2", "avx"}
    simulate_cpu(tmp_path, monkeypatch, flags)
    tests = ScriptedSelfTests({})
    choice = choose(tmp_path / "model.gguf", tests)
    assert choice.name == BASELINE and not choice.forced
    assert [name for name, _ in choice.skipped] == [v.name for v in VARIANTS if v.name != BASELINE]
    assert all(why.startswith("the CPU (as the OS reports it) lacks ") for _, why in choice.skipped)
    assert tests.ran == []  # nothing to test against: AVX2 is the pip build itself
    assert oracle(flags, tests) == BASELINE


def test_a_cpu_whose_best_build_passes_gets_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same Xeon where the AMX build passes: the flags and the self-test agree."""
    flags = variant("amx").cpu_flags
    simulate_cpu(tmp_path, monkeypatch, flags)
    tests = ScriptedSelfTests({})
    choice = choose(tmp_path / "model.gguf", tests)
    assert (choice.name, choice.skipped, tests.ran) == ("amx", (), [BASELINE, "amx"])
    assert oracle(flags, tests) == "amx"
