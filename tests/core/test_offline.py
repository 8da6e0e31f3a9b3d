import os
import socket
import subprocess
import sys
import textwrap

import pytest

from discreet.core import offline
from discreet.core.errors import NetworkBlocked
from docfactory import SMALL_CONTRACT


def test_offline_switches_are_set():
    offline.enforce()
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert os.environ["ANONYMIZED_TELEMETRY"] == "False"


def test_guard_blocks_outbound_connection_and_records_it():
    offline.enforce()
    before = len(offline.blocked_attempts())
    with pytest.raises(NetworkBlocked) as err:
        socket.create_connection(("203.0.113.7", 443), timeout=1)
    assert "203.0.113.7" in str(err.value)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("huggingface.co", 443)
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with pytest.raises(NetworkBlocked):
        raw.sendto(b"x", ("198.51.100.1", 53))
    raw.close()
    attempts = offline.blocked_attempts()[before:]
    assert attempts == ["203.0.113.7:443", "huggingface.co:443", "198.51.100.1:53"]


def test_guard_allows_loopback():
    offline.enforce()
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    with socket.create_connection(("localhost", port), timeout=2) as client:
        conn, _ = server.accept()
        client.sendall(b"ping")
        assert conn.recv(4) == b"ping"
        conn.close()
    server.close()


def test_ingest_search_and_generate_without_network(model_dir, tmp_path):
    """A fresh process: ingest real contracts, search, generate; count outbound attempts."""
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from discreet.core import offline
        offline.enforce()
        from discreet.services import Services
        from discreet.models.prompt_format import Message
        from discreet.retrieval.hybrid import search
        svc = Services()
        library = svc.library("offline", create=True)
        report = library.add([Path({str(SMALL_CONTRACT)!r})])
        hits = search(library, "governing law", svc.settings.retrieval).hits
        text = svc.llm().chat([Message("user", "Say yes.")], max_tokens=8).collect()
        assert report.added == 1 and hits and text.strip(), (report, text)
        print("BLOCKED", len(offline.blocked_attempts()))
        """
    )
    env = dict(os.environ, DISCREET_HOME=str(tmp_path), DISCREET_MODEL_DIR=str(model_dir))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "BLOCKED 0" in result.stdout


def test_only_the_configured_server_is_allowed():
    guard = offline.enforce(allowed_hosts={"203.0.113.9"})
    try:
        guard.check("203.0.113.9", 8000)  # the user's own Chroma server: allowed
        socket.getaddrinfo("203.0.113.9", 8000)  # a literal needs no DNS, and is allowed
        with pytest.raises(NetworkBlocked):
            guard.check("203.0.113.10", 8000)
    finally:
        guard.allowed_hosts.discard("203.0.113.9")
    with pytest.raises(NetworkBlocked):
        guard.check("203.0.113.9", 8000)
