"""The admin policy: its keys, the safest reading of a broken file, and enforcement."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from discreet.core.audit import AuditLog
from discreet.core.errors import ExportDisabled, ModelNotAllowed
from discreet.core.paths import app_paths
from discreet.core.policy import load_policy
from discreet.core.settings import Settings

QWEN = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_every_key_is_read_and_applied(tmp_path: Path) -> None:
    policy = load_policy(
        write(
            tmp_path,
            {
                "allowed_models": [QWEN.upper()],
                "allow_user_models": False,
                "model_dir": str(tmp_path / "models"),
                "data_dir": str(tmp_path / "data"),
                "network": "off",
                "audit_log": "on",
                "max_threads": 1,
                "disable_export": True,
                "settings": {"model": {"context_size": 4096}},
            },
        )
    )
    assert policy.problems == ()
    assert policy.allowed_models == (QWEN,) and not policy.allow_user_models
    assert policy.audit_log and policy.disable_export
    settings = policy.apply(Settings())
    assert settings.model.threads == 1 and settings.embedder.threads == 1
    assert settings.model.context_size == 4096 and policy.is_locked("model.context_size")
    paths = policy.apply_paths(app_paths(tmp_path / "home"))
    assert paths.data == tmp_path / "data" and paths.models == tmp_path / "models"
    assert paths.config == tmp_path / "home" / "config"  # not everything moves


def test_a_pinned_hash_refuses_any_other_model(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, {"allowed_models": [QWEN]}))
    policy.check_model("qwen", QWEN, user_added=False)  # the pinned one loads
    with pytest.raises(ModelNotAllowed, match=r"gemma.*not on the allowed list.*organization"):
        policy.check_model("gemma", "ab" * 32, user_added=False)


def test_services_refuse_a_model_outside_the_policy_before_loading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from discreet.services import Services

    monkeypatch.setenv("DISCREET_POLICY", str(write(tmp_path, {"allowed_models": [QWEN]})))
    settings = Settings()
    settings.model.name = "gemma-3-270m-q4_k_m"
    services = Services(paths=app_paths(tmp_path / "home"), settings=settings)
    try:
        with pytest.raises(ModelNotAllowed, match="gemma-3-270m"):
            services.llm()
        assert services.loaded_models() == []
    finally:
        services.close()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_an_unreadable_policy_applies_the_safest_reading(tmp_path: Path, content: str) -> None:
    policy = load_policy(write(tmp_path, content))
    assert policy.active and len(policy.problems) == 1
    assert policy.disable_export and policy.audit_log and not policy.allow_user_models
    with pytest.raises(ExportDisabled):
        policy.check_export()


def test_a_bad_value_is_reported_and_only_its_key_falls_back(tmp_path: Path) -> None:
    policy = load_policy(
        write(tmp_path, {"network": "on", "disable_export": "maybe", "max_threads": 2})
    )
    assert any("network" in p and "off" in p for p in policy.problems)
    assert any("disable_export" in p for p in policy.problems)
    assert policy.disable_export  # unreadable lock: locked
    assert policy.max_threads == 2  # the good key still applies
    assert policy.allow_user_models  # untouched by the others' problems


def test_a_misspelt_key_never_unlocks_anything(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, {"disable_exports": False}))
    assert policy.problems == ("unknown key 'disable_exports'",)
    assert policy.disable_export and not policy.allow_user_models


def test_no_policy_leaves_the_user_in_charge(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DISCREET_POLICY", raising=False)
    policy = load_policy() if not Path("/etc/discreet/policy.json").exists() else None
    if policy is None:
        pytest.skip("this machine has a managed policy")
    assert not policy.active and not policy.is_locked("model.threads")
    policy.check_export()
    policy.check_model("any", "00" * 32, user_added=True)


def test_audit_log_records_actions_not_content(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    log.record("ask", via="cli", library="Contracts", status="ok")
    log.record("add", via="gui", library="Contracts")
    lines = [json.loads(line) for line in (tmp_path / "audit.log").read_text().splitlines()]
    assert [line["action"] for line in lines] == ["ask", "add"]
    assert set(lines[0]) == {
        "seq",
        "time",
        "user",
        "action",
        "via",
        "library",
        "status",
        "prev",
        "hash",
    }
    assert stat.S_IMODE((tmp_path / "audit.log").stat().st_mode) == 0o600
    AuditLog(None).record("ask")  # off: writes nothing, raises nothing


def test_cli_refuses_an_export_before_doing_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from discreet.cli.main import main

    policy = write(tmp_path, {"disable_export": True, "audit_log": "on"})
    monkeypatch.setenv("DISCREET_POLICY", str(policy))
    home = tmp_path / "home"
    out = tmp_path / "x.csv"
    code = main(["--home", str(home), "classify", "--labels", "A,B", "--csv", str(out)])
    assert code == 2 and "Exporting is turned off" in capsys.readouterr().err
    assert not out.exists()
    entry = json.loads((home / "data" / "audit.log").read_text().splitlines()[-1])
    assert entry["action"] == "classify" and entry["status"] == "failed"


def test_doctor_reports_models_folders_guard_and_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, model_dir: Path
) -> None:
    from discreet.cli.main import main

    monkeypatch.setenv("DISCREET_POLICY", str(write(tmp_path, {"network": "lan"})))
    home = tmp_path / "home"
    assert main(["--home", str(home), "--json", "doctor"]) == 1  # the policy has a problem
    report = json.loads(capsys.readouterr().out)
    by_area = {}
    for check in report["checks"]:
        by_area.setdefault(check["area"], []).append(check)
    default = "model qwen2.5-coder-0.5b-instruct-q4_k_m"
    assert by_area[default][0]["status"] == "ok" and QWEN[:12] in by_area[default][0]["detail"]
    assert by_area["offline"][0]["status"] == "ok"
    assert by_area["data folder"][0]["status"] == "ok"
    assert [c["status"] for c in by_area["policy"]] == ["ok", "fail"]
    assert "network" in by_area["policy"][1]["detail"]

    (home / "data").chmod(0o755)  # someone loosened the data folder
    monkeypatch.delenv("DISCREET_POLICY")
    assert main(["--home", str(home), "--json", "doctor"]) == 1
    report = json.loads(capsys.readouterr().out)
    data = next(c for c in report["checks"] if c["area"] == "data folder")
    assert data["status"] == "fail" and "755" in data["detail"]


def test_settings_command_marks_managed_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from discreet.cli.main import main

    monkeypatch.setenv("DISCREET_POLICY", str(write(tmp_path, {"max_threads": 2})))
    assert main(["--home", str(tmp_path / "home"), "settings"]) == 0
    lines = capsys.readouterr().out.splitlines()
    threads = next(line for line in lines if line.startswith("model.threads"))
    assert "Managed by your organization" in threads
    gpu = next(line for line in lines if line.startswith("model.gpu_layers"))
    assert "Managed" not in gpu


def test_a_macos_profile_payload_reads_like_the_json_file(tmp_path: Path) -> None:
    import plistlib

    profile = plistlib.loads(
        (Path(__file__).parents[2] / "installers/macos/com.discreet.app.mobileconfig").read_bytes()
    )
    payload = profile["PayloadContent"][0]
    target = tmp_path / "com.discreet.app.plist"
    target.write_bytes(plistlib.dumps(payload))
    policy = load_policy(target)
    assert policy.problems == ()
    assert policy.allowed_models == (QWEN,) and policy.max_threads == 4 and policy.audit_log
