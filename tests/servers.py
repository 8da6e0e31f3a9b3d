"""Real servers on 127.0.0.1 for tests and benches: started on a free port, waited
for, and stopped with their whole process group."""

from __future__ import annotations

import datetime
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from discreet.core.machine import resolve_threads

_SERVE = "import discreet.models.llama_runtime\nfrom llama_cpp.server.__main__ import main\nmain()"


@dataclass(frozen=True)
class Tls:
    """A test CA's certificate, and a server certificate for 127.0.0.1 it signed."""

    ca: Path
    cert: Path
    key: Path


def make_tls(folder: Path) -> Tls:
    """A private CA and a certificate for 127.0.0.1, as an organization's PKI issues."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def pem(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    ca_key, server_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Example Org test CA"))
        .issuer_name(name("Example Org test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    tls = Tls(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    tls.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key.write_bytes(pem(server_key))
    return tls


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_inference_server(
    model: Path, key: str, context: int = 8192, tls: Tls | None = None, logprobs: bool = True
) -> tuple[subprocess.Popen, str]:
    """llama-cpp-python's OpenAI-compatible server with an API key, ready to answer:
    (process, /v1 URL). It loads the llama.cpp CPU build the app chose for this machine,
    as an administrator would run one built for theirs, so that a comparison with the
    app's local model measures the HTTP hop and not the build. Its log-probabilities
    need logits for every prompt token (`logits_all`), which slows prompt reading;
    `logprobs=False` serves without them."""
    port = free_port()
    options: dict[str, object] = {
        "model": model,
        "host": "127.0.0.1",
        "port": port,
        "n_ctx": context,
        "api_key": key,
    }
    # as the app loads its own model: a thread per core for both phases, flash attention
    threads = resolve_threads(0)
    options |= {"n_threads": threads, "n_threads_batch": threads, "flash_attn": True}
    options["logits_all"] = logprobs
    if tls is not None:
        options |= {"ssl_certfile": tls.cert, "ssl_keyfile": tls.key}
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}/v1"
    command = [sys.executable, "-c", _SERVE, *(f"--{k}={v}" for k, v in options.items())]
    return serve(
        command,
        lambda: httpx.get(
            f"{url}/models",
            headers={"Authorization": f"Bearer {key}"},
            verify=str(tls.ca) if tls else True,
        ),
        "the inference server",
    ), url


def serve(
    command: list[str],
    probe: Callable[[], httpx.Response],
    what: str,
    env: dict[str, str] | None = None,
    timeout_s: float = 90,
) -> subprocess.Popen:
    """Start a server in its own process group and wait until `probe` answers 200."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start")
        try:
            if probe().status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{what} did not start in {timeout_s:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started here, and whatever it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_chroma(folder: Path) -> tuple[subprocess.Popen, str]:
    """`chroma run` (the CLI chromadb installs) on `folder`, ready: (process, URL)."""
    port = free_port()
    chroma = str(Path(sys.executable).parent / "chroma")
    url = f"http://127.0.0.1:{port}"
    command = [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    probe = lambda: httpx.get(f"{url}/api/v2/heartbeat")  # noqa: E731
    return serve(command, probe, "the Chroma server", env, 60), url


def start_auth_proxy(upstream: str, token_file: Path, tls: Tls) -> tuple[subprocess.Popen, str]:
    """The token-checking TLS proxy of `auth_proxy.py` in front of `upstream`: (process, URL)."""
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    script = str(Path(__file__).with_name("auth_proxy.py"))
    command = [sys.executable, script, upstream, str(port), str(token_file), str(tls.cert)]
    token = token_file.read_text().strip()

    def probe() -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.get(f"{url}/api/v2/heartbeat", headers=headers, verify=str(tls.ca))

    return serve([*command, str(tls.key)], probe, "the authenticating proxy", timeout_s=30), url
