import json
import shutil

import pytest

from clirun import run_cli
from docfactory import OTHER_CONTRACT, SMALL_CONTRACT, truncated_pdf


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_library_lifecycle_add_docs_search(tmp_path, model_dir):
    home = tmp_path / "home"
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SMALL_CONTRACT, docs)
    shutil.copy(OTHER_CONTRACT, docs)
    truncated_pdf(docs / "broken.pdf")

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    assert cli("library", "create", "Matter 7").returncode == 0
    added = cli("add", str(docs), "--library", "Matter 7")
    assert added.returncode == 1  # one file failed, and the exit code says so
    assert "[1/3]" in added.stderr and "[3/3]" in added.stderr  # plain lines when piped
    assert "2 added" in added.stdout
    assert "failed: broken.pdf: the file is damaged or truncated" in added.stdout
    again = json.loads(cli("--json", "add", str(docs), "--library", "Matter 7").stdout)
    assert (again["added"], again["unchanged"], again["failed"]) == (0, 3, [])

    listed = json.loads(cli("--json", "docs", "-l", "Matter 7").stdout)
    assert {r["status"] for r in listed} == {"indexed", "failed"}

    found = cli("--json", "search", "governing law", "-l", "Matter 7", "-k", "3")
    hits = json.loads(found.stdout)["hits"]
    assert len(hits) == 3 and all(h["path"].startswith(str(docs.resolve())) for h in hits)

    text = cli("search", "governing law", "-l", "Matter 7", "-k", "2").stdout
    assert "p." in text and "dense" in text

    libraries = json.loads(cli("--json", "library", "list").stdout)
    assert libraries == [
        {
            "name": "Matter 7",
            "documents": 2,
            "chunks": libraries[0]["chunks"],
            "created": libraries[0]["created"],
        }
    ]
    (docs / "broken.pdf").unlink()
    synced = json.loads(cli("--json", "sync", "-l", "Matter 7").stdout)
    assert synced["removed"] == 1 and synced["unchanged"] == 2
    assert cli("library", "remove", "Matter 7").returncode == 0
    missing = cli("search", "x", "-l", "Matter 7")
    assert missing.returncode == 2 and "No library named" in missing.stderr


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_ctrl_c_stops_an_add_after_the_current_file_and_keeps_what_was_indexed(tmp_path, model_dir):
    import os
    import signal
    import subprocess
    import sys

    home, docs = tmp_path / "home", tmp_path / "docs"
    docs.mkdir()
    for n in range(8):
        (docs / f"memo{n}.txt").write_text(f"Memo {n}: the audit of site {n} found no issues.\n")
    env = dict(os.environ, DISCREET_HOME=str(home), DISCREET_MODEL_DIR=str(model_dir))
    adding = subprocess.Popen(
        [sys.executable, "-m", "discreet", "add", str(docs), "--library", "memos"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert adding.stderr is not None
    for line in adding.stderr:  # one plain line per file when piped
        if line.startswith("[3/8]"):
            adding.send_signal(signal.SIGINT)
            break
    out, err = adding.communicate(timeout=120)
    assert adding.returncode == 130, err
    assert "Stopped" in out and "Traceback" not in err
    kept = int(out.split(" added")[0].split()[-1])
    assert 1 <= kept < 8
    listed = json.loads(
        run_cli("--json", "docs", "-l", "memos", env_home=home, model_dir=model_dir).stdout
    )
    assert len(listed) == kept and {r["status"] for r in listed} == {"indexed"}
    rest = run_cli("--json", "add", str(docs), "-l", "memos", env_home=home, model_dir=model_dir)
    assert json.loads(rest.stdout)["added"] == 8 - kept


@pytest.mark.slow  # over 10 s: `make test` runs it, test-fast not
def test_library_adapt_lists_derived_models_reverts_and_obeys_the_policy(
    tmp_path, model_dir, monkeypatch
):
    from adaptfactory import adapted_copy
    from discreet.services import Services

    home = tmp_path / "home"
    monkeypatch.setenv("DISCREET_HOME", str(home))
    monkeypatch.setenv("DISCREET_MODEL_DIR", str(model_dir))
    services = Services()
    library = services.library("Matter 8", create=True)
    library.add([SMALL_CONTRACT])
    model = adapted_copy(services, library)
    services.libraries().use_adapted("Matter 8", model.tag)
    services.close()

    def cli(*args):
        return run_cli(*args, env_home=home, model_dir=model_dir)

    listed = cli("models").stdout
    assert "Derived on this computer" in listed and f"* {model.variant}" in listed
    assert "Matter 8" in listed and model.sha256[:16] in listed
    # the library was switched but not re-embedded yet: its search says so
    stale = cli("search", "governing law", "-l", "Matter 8")
    assert stale.returncode != 0 and "embed it again" in stale.stderr
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"disable_adaptation": True}))
    refused = run_cli(
        "library",
        "adapt",
        "Matter 8",
        env_home=home,
        model_dir=model_dir,
        env={"DISCREET_POLICY": str(policy)},
    )
    assert refused.returncode != 0 and "turned off by your organization" in refused.stderr
    back = cli("library", "adapt", "Matter 8", "--revert")
    assert back.returncode == 0 and "bundled embedder again" in back.stdout
    assert not model.folder.exists()
    assert "Derived on this computer" not in cli("models").stdout
    assert cli("search", "governing law", "-l", "Matter 8").returncode == 0
