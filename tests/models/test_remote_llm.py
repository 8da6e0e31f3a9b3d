"""The organization's inference server: a real `llama_cpp.server` on 127.0.0.1.

The server runs the bundled fast model, so what comes back over HTTP can be compared
with the same model loaded here. Nothing is mocked at the HTTP level.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.core.errors import (
    NetworkBlocked,
    ServerNotAllowed,
    ServerSecretUnsafe,
    ServerUnavailable,
)
from servers import make_tls, start_inference_server, stop

# Each starts real servers: left out of `make test-fast`, run by `make test` and CI.
pytestmark = pytest.mark.slow

# llama.cpp's CPU build is chosen when discreet's runtime is first imported; importing
# llama_cpp before it would pin the baseline build for every later test in this process.
importlib.import_module("discreet.models.llama_runtime")
pytest.importorskip("llama_cpp.server.app")

KEY = "team-key-7f3a"


def start_server(model: Path) -> tuple[subprocess.Popen, str]:
    return start_inference_server(model, KEY)


@pytest.fixture(scope="module")
def fast_gguf(model_dir: Path) -> Path:
    from discreet.core.paths import resources_dir
    from discreet.models.registry import Registry

    entry = Registry.load(resources_dir() / "models.toml").by_tier("fast")
    return model_dir / entry.file


@pytest.fixture(scope="module")
def server(fast_gguf: Path) -> Iterator[str]:
    process, url = start_server(fast_gguf)
    yield url
    stop(process)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "server.key"
    path.write_text(KEY + "\n")
    path.chmod(0o600)
    return path


def server_services(home: Path, url: str, key_file: Path, policy: dict, monkeypatch):
    """Services whose settings point at `url`, under a policy file with `policy`'s keys."""
    from discreet.core.settings import Settings
    from discreet.services import Services

    policy_file = home.parent / "policy.json"
    policy_file.write_text(json.dumps(policy))
    monkeypatch.setenv("DISCREET_POLICY", str(policy_file))
    settings = Settings()
    settings.model.server = url
    settings.model.server_token_file = str(key_file)
    return Services(settings=settings)


def test_ask_runs_through_the_server_with_checked_citations_and_an_audit_without_content(
    home: Path, server: str, key_file: Path, monkeypatch
) -> None:
    from discreet.tasks.ask import ask
    from docfactory import SMALL_CONTRACT

    services = server_services(
        home, server, key_file, {"inference_servers": ["127.0.0.1"], "audit_log": "on"}, monkeypatch
    )
    try:
        library = services.library("team", create=True)
        assert library.add([SMALL_CONTRACT]).added == 1
        llm = services.llm("ask")
        assert llm.entry.name.startswith("server:127.0.0.1:")
        assert services.loaded_models() == ["server"]  # nothing loaded on this computer
        pieces: list[str] = []
        question = "What does the licensor grant to the licensee?"
        result = ask(library, llm, services.settings, question, on_token=pieces.append)
        assert len(pieces) > 1  # streamed, piece by piece
        assert result.citations, result.answer
        assert all(c.quote in library.page_text(c.doc_id, c.page) for c in result.citations)
        log = (services.paths.data / "audit.log").read_text()
        entries = [json.loads(line) for line in log.splitlines()]
        used = [e for e in entries if e["action"] == "model-server"]
        assert used and used[0]["host"] == "127.0.0.1" and used[0]["task"] == "ask"
        assert "grant" not in log and result.answer[:20] not in log  # never the content
    finally:
        services.close()


def test_the_servers_counts_and_first_word_odds_match_the_same_model_here(
    home: Path, server: str, key_file: Path, monkeypatch, session_services
) -> None:
    from discreet.models.prompt_format import Message

    services = server_services(
        home, server, key_file, {"inference_servers": ["127.0.0.1"]}, monkeypatch
    )
    try:
        remote, local = services.llm(), session_services.llm("ask")
        assert local.entry.tier == "fast"  # the model the server runs
        text = "The Licensee shall pay royalties of 5% within thirty (30) days."
        assert remote.count_tokens(text) == local.count_tokens(text)
        question = [Message("user", "Is Paris the capital of France? Answer yes or no.")]
        yes, no = remote.first_word_logprobs(question, ["yes", "no"])
        assert yes > no
        local_yes, local_no = local.first_word_logprobs(question, ["yes", "no"])
        assert abs((yes - no) - (local_yes - local_no)) < 1.0
        scores = remote.reply_logprobs(question, ["Yes, it is", "No"])
        assert scores[0] > scores[1]
    finally:
        services.close()


def test_stop_ends_a_server_reply_within_a_piece(
    home: Path, server: str, key_file: Path, monkeypatch
) -> None:
    from discreet.core.progress import CancelToken
    from discreet.models.prompt_format import Message

    services = server_services(
        home, server, key_file, {"inference_servers": ["127.0.0.1"]}, monkeypatch
    )
    try:
        cancel = CancelToken()
        stream = services.llm().chat(
            [Message("user", "Count from 1 to 200, one number per line.")], 400, cancel
        )
        for count, _ in enumerate(stream, 1):
            if count == 3:
                cancel.cancel()
        assert stream.stats.finish_reason == "cancelled"
        assert stream.stats.completion_tokens == 3
    finally:
        services.close()


def test_a_server_the_policy_does_not_name_is_refused_and_stays_blocked(
    home: Path, key_file: Path, monkeypatch
) -> None:
    from discreet.core import offline

    guard = offline.enforce()
    before = set(guard.allowed_hosts)
    try:
        services = server_services(
            home, "http://10.20.30.40:8000/v1", key_file, {"audit_log": "on"}, monkeypatch
        )
        with pytest.raises(ServerNotAllowed, match=r"10\.20\.30\.40"):
            services.llm("ask")
        from discreet.doctor import diagnose

        (check,) = [c for c in diagnose(services).checks if c.area == "inference server"]
        assert check.status == "fail" and "not allowed" in check.detail
        assert "10.20.30.40" not in guard.allowed_hosts
        services.close()
        services = server_services(
            home,
            "http://10.20.30.40:8000/v1",
            key_file,
            {"inference_servers": ["10.20.30.40"]},
            monkeypatch,
        )
        assert guard.allowed_hosts - before == {"10.20.30.40"}  # that host and no other
        with pytest.raises(NetworkBlocked, match=r"10\.20\.30\.41"):
            socket.create_connection(("10.20.30.41", 8000), timeout=1)
        services.close()
    finally:
        guard.allowed_hosts.clear()
        guard.allowed_hosts.update(before)


def test_a_wrong_key_and_a_key_others_can_read_are_refused(
    server: str, key_file: Path, tmp_path: Path
) -> None:
    from discreet.core.settings import ModelSettings
    from discreet.models.remote_llm import RemoteLLM

    wrong = tmp_path / "wrong.key"
    wrong.write_text("not-the-key")
    wrong.chmod(0o600)
    with pytest.raises(ServerUnavailable, match="refused the API key"):
        RemoteLLM(server, ModelSettings(server=server, server_token_file=str(wrong)))
    pem = tmp_path / "pasted.key"
    pem.write_text("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----\n")
    pem.chmod(0o600)
    with pytest.raises(ServerUnavailable, match="alone, on one line") as refused:
        RemoteLLM(server, ModelSettings(server=server, server_token_file=str(pem)))
    assert "MIGHAgEAMBMG" not in str(refused.value) and refused.value.__cause__ is None
    key_file.chmod(0o644)
    with pytest.raises(ServerSecretUnsafe, match="chmod 600"):
        RemoteLLM(server, ModelSettings(server=server, server_token_file=str(key_file)))


def test_a_server_that_goes_away_mid_answer_is_a_clear_error_and_local_search_goes_on(
    home: Path, fast_gguf: Path, key_file: Path, monkeypatch
) -> None:
    from discreet.models.prompt_format import Message
    from docfactory import SMALL_CONTRACT

    process, url = start_server(fast_gguf)
    services = server_services(
        home, url, key_file, {"inference_servers": ["127.0.0.1"]}, monkeypatch
    )
    try:
        library = services.library("team", create=True)
        library.add([SMALL_CONTRACT])
        stream = services.llm().chat([Message("user", "Write a long story about a lawyer.")], 400)
        with pytest.raises(ServerUnavailable, match="could not be used"):
            for count, _ in enumerate(stream, 1):
                if count == 2:
                    os.killpg(process.pid, signal.SIGKILL)
        assert count < 400
        # a fresh connection is refused, or the pooled one found broken: either is said
        with pytest.raises(ServerUnavailable, match=r"no connection|broke off"):
            services.llm().chat([Message("user", "Hello")]).collect()
        from discreet.retrieval.hybrid import search

        assert search(library, "governing law", services.settings.retrieval).hits  # local works
    finally:
        services.close()
        stop(process)


def test_tls_with_the_organizations_ca(fast_gguf: Path, key_file: Path, tmp_path: Path) -> None:
    from discreet.core.settings import ModelSettings
    from discreet.models.prompt_format import Message
    from discreet.models.remote_llm import RemoteLLM

    (tmp_path / "pki").mkdir()
    tls = make_tls(tmp_path / "pki")
    process, url = start_inference_server(fast_gguf, KEY, tls=tls)
    try:
        assert url.startswith("https://")
        settings = ModelSettings(server=url, server_token_file=str(key_file))
        with pytest.raises(ServerUnavailable, match="server_ca_file"):
            RemoteLLM(url, settings)  # the system's CAs don't know the organization's
        settings.server_ca_file = str(tls.ca)
        remote = RemoteLLM(url, settings)
        reply = remote.chat([Message("user", "Say OK.")], 8).collect()
        assert reply.strip()
        remote.close()
    finally:
        stop(process)


def test_a_server_without_log_probabilities_still_decides_by_its_first_word(
    fast_gguf: Path, key_file: Path
) -> None:
    from discreet.core.settings import ModelSettings
    from discreet.models.prompt_format import Message
    from discreet.models.remote_llm import RemoteLLM

    process, url = start_inference_server(fast_gguf, KEY, logprobs=False)
    try:
        remote = RemoteLLM(url, ModelSettings(server=url, server_token_file=str(key_file)))
        question = [Message("user", "Is Paris the capital of France? Answer yes or no.")]
        yes, no = remote.first_word_logprobs(question, ["yes", "no"])
        assert yes == 0.0 > no  # the word it wrote, as certain
        assert remote._logprobs is False  # asked once, not on every call
        remote.close()
    finally:
        stop(process)


def test_classify_extract_and_summarize_run_through_the_server(
    home: Path, server: str, key_file: Path, monkeypatch, contracts
) -> None:
    from discreet.tasks.classify import parse_labels, zero_shot
    from discreet.tasks.extract import extract
    from discreet.tasks.summarize import summarize
    from docfactory import OTHER_CONTRACT, SMALL_CONTRACT

    library, docs = contracts  # indexed here; only the model is on the server
    services = server_services(
        home, server, key_file, {"inference_servers": ["127.0.0.1"]}, monkeypatch
    )
    try:
        labels = parse_labels("Service Agreement, License Agreement: grants rights to use a mark")
        kind = zero_shot(library, services.llm("classify"), docs[SMALL_CONTRACT.name], labels)
        assert kind.label == "License Agreement"
        fields = parse_labels("Governing Law", minimum=1)
        (law,) = extract(
            library, services.llm("extract"), services.settings, docs[OTHER_CONTRACT.name], fields
        )
        assert law.found and law.normalised == "kansas" and law.page == 8
        summary = summarize(
            library, services.llm("summarize"), [docs[SMALL_CONTRACT.name]], "brief"
        )
        assert summary.points and all(p.evidence for p in summary.points[: summary.terms])
        assert services.loaded_models() == ["server"]
    finally:
        services.close()
