"""The audit log is a keyed hash chain: `verify` names the first entry that was edited,
deleted, reordered or cut off; a failed write refuses the action; under
`audit_log: "syslog"` every entry also reaches the system log."""

import json
import socket
from pathlib import Path

import pytest

from discreet.core.audit import AuditLog
from discreet.core.errors import AuditFailed
from discreet.core.policy import load_policy
from tamper import tampered, written


def test_an_untouched_log_verifies(tmp_path):
    log = written(tmp_path)
    result = log.verify()
    assert result.ok and result.entries == 4
    entries = [json.loads(line) for line in log.path.read_bytes().splitlines()]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert entries[1]["prev"] == entries[0]["hash"]


def test_each_kind_of_tampering_is_named(tmp_path):
    found = {name: (r.line, r.problem, r.entries) for name, r in tampered(tmp_path).items()}
    assert found == {
        "edit": (2, "an entry was edited", 1),
        "delete": (2, "entries before this one were deleted", 1),
        "reorder": (2, "entries before this one were reordered", 1),
        "truncate": (4, "the last entry is cut off", 3),
        "truncate_entries": (None, "the last 2 entries were removed", 2),
    }


def test_a_failed_write_raises_and_the_cli_refuses_the_action(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "audit.log"
    blocked.mkdir()  # the log's path is taken: any write fails, as on a full disk
    with pytest.raises(AuditFailed, match="was not carried out"):
        AuditLog(blocked).record("ask")

    from discreet.cli.main import main

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"audit_log": "on"}))
    monkeypatch.setenv("DISCREET_POLICY", str(policy))
    home = tmp_path / "home"
    (home / "data" / "audit.log").mkdir(parents=True)
    code = main(["--home", str(home), "library", "create", "Refused"])
    assert code == 2 and "Could not write the audit log" in capsys.readouterr().err
    assert main(["--home", str(home), "library", "list"]) == 2  # refused as well
    assert "Refused" not in capsys.readouterr().out


def test_the_cli_verifies_the_log(tmp_path, monkeypatch, capsys):
    from discreet.cli.main import main

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"audit_log": "on"}))
    monkeypatch.setenv("DISCREET_POLICY", str(policy))
    home = tmp_path / "home"
    assert main(["--home", str(home), "library", "create", "One"]) == 0
    assert main(["--home", str(home), "audit", "verify"]) == 0
    assert "intact, 2 entries" in capsys.readouterr().out  # started, then ok
    log = home / "data" / "audit.log"
    log.write_bytes(log.read_bytes().replace(b'"started"', b'"ok"      '))
    assert main(["--home", str(home), "audit", "verify"]) == 1
    assert "broken at line 1: an entry was edited" in capsys.readouterr().out


def test_syslog_policy_sends_each_entry_to_the_system_log(tmp_path):
    assert load_policy_with(tmp_path, "syslog").audit_syslog
    assert not load_policy_with(tmp_path, "on").audit_syslog
    address = str(tmp_path / "log.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        server.settimeout(5)
        log = AuditLog(tmp_path / "audit.log", syslog=address)
        log.record("remove", via="gui", library="Matter")
        message = server.recv(65536).decode()
    assert message.startswith("<85>discreet: {")
    sent = json.loads(message.split("discreet: ", 1)[1])
    assert (
        sent["action"] == "remove"
        and sent["hash"] == json.loads(log.path.read_bytes().splitlines()[0])["hash"]
    )
    missing = AuditLog(tmp_path / "other.log", syslog=str(tmp_path / "nobody.sock"))
    with pytest.raises(AuditFailed):
        missing.record("ask")  # a system log that isn't there is a failed write


def load_policy_with(tmp_path: Path, value: str):
    path = tmp_path / f"policy-{value}.json"
    path.write_text(json.dumps({"audit_log": value}))
    return load_policy(path)


def test_an_action_is_recorded_before_it_runs_and_with_how_it_ended(tmp_path):
    from discreet.core.errors import Cancelled

    log = AuditLog(tmp_path / "audit.log")
    with log.action("ask", "gui", "Matter") as outcome:
        pass
    with log.action("add", "cli", "Matter") as outcome:
        outcome.status = "exit 1"
    with pytest.raises(ValueError), log.action("classify", "gui", None):
        raise ValueError("a bug")
    with pytest.raises(Cancelled), log.action("summarize", "gui", None):
        raise Cancelled("Summarizing")
    entries = [json.loads(line) for line in log.path.read_bytes().splitlines()]
    assert [(e["action"], e["status"]) for e in entries] == [
        ("ask", "started"), ("ask", "ok"),
        ("add", "started"), ("add", "exit 1"),
        ("classify", "started"), ("classify", "failed"),
        ("summarize", "started"), ("summarize", "cancelled"),
    ]  # fmt: skip
    assert log.verify().ok


def test_an_action_whose_first_entry_cannot_be_written_never_runs(tmp_path):
    (tmp_path / "audit.log").mkdir()  # any write fails, as on a full disk
    ran = []
    with pytest.raises(AuditFailed), AuditLog(tmp_path / "audit.log").action("ask", "gui", None):
        ran.append(True)
    assert not ran
