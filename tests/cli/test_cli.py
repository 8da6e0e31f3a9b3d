import json
import subprocess
import sys

import pytest

from clirun import run_cli


def test_version(tmp_path, model_dir):
    result = run_cli("--version", env_home=tmp_path, model_dir=model_dir)
    assert result.returncode == 0
    assert result.stdout.startswith("discreet 0.")


def test_building_the_command_line_loads_no_heavy_library():
    """`--version` and `--help` must not pay for chromadb, torch or llama.cpp (seconds)."""
    probe = (
        "import sys; from discreet.cli.main import build_parser; build_parser(); "
        "print(sorted(m for m in ('chromadb', 'torch', 'llama_cpp', 'sentence_transformers', "
        "'PySide6') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_models_json(tmp_path, model_dir):
    result = run_cli("--json", "models", "verify", env_home=tmp_path, model_dir=model_dir)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["name"] for r in rows} == {
        "qwen2.5-coder-0.5b-instruct-q4_k_m",
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "gemma-3-270m-q4_k_m",
    }
    assert all(r["verified"] for r in rows)
    assert [r["is_default"] for r in rows].count(True) == 1


def test_chat_streams_to_stdout(tmp_path, model_dir):
    result = run_cli(
        "chat",
        "Reply with the single word: ready",
        "--max-tokens",
        "8",
        env_home=tmp_path,
        model_dir=model_dir,
    )
    assert result.returncode == 0, result.stderr
    assert "ready" in result.stdout.lower()


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_model_gives_one_line_error(tmp_path, model_dir, damage):
    models = tmp_path / "models"
    models.mkdir()
    source = model_dir / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
    data = bytearray(source.read_bytes())
    if damage == "flip":
        data[5000] ^= 0xFF
    else:
        data = data[: len(data) // 3]
    (models / source.name).write_bytes(bytes(data))
    result = run_cli("chat", "hi", env_home=tmp_path / "h", model_dir=models)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert source.name in lines[0] and "discreet models" in lines[0]
