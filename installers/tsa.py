"""An RFC 3161 timestamp authority on 127.0.0.1, for test signing without a network.

A release timestamps with a public authority (`DISCREET_TSA_URL`). Builds here cannot
reach one, so a throw-away authority with its own certificate answers osslsigncode's
requests through `openssl ts -reply`: the signatures carry a real RFC 3161 token that
`osslsigncode verify -TSA-CAfile` checks, exactly as with a public authority.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONFIG = """\
[ tsa ]
default_tsa = local
[ local ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1
digests = sha1, sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def create(folder: Path) -> Path:
    """The authority's key, certificate (EKU timeStamping, critical) and config."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Discreet Test Timestamp Authority",
            "-keyout",
            str(folder / "tsa.key"),
            "-out",
            str(folder / "tsa.crt"),
            "-addext",
            "extendedKeyUsage=critical,timeStamping",
            "-addext",
            "keyUsage=critical,digitalSignature",
        ],
        check=True,
        capture_output=True,
    )
    (folder / "serial").write_text("01\n")
    config = folder / "tsa.cnf"
    config.write_text(CONFIG.format(folder=folder))
    return config


@contextmanager
def authority(folder: Path, url: str = "") -> Iterator[str]:
    """Yield a timestamp URL: `url` if given, else a local authority's while it runs."""
    if url:
        yield url
        return
    config = create(folder)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = self.rfile.read(int(self.headers["Content-Length"]))
            with tempfile.TemporaryDirectory() as scratch:
                query, reply = Path(scratch) / "q.tsq", Path(scratch) / "r.tsr"
                query.write_bytes(request)
                subprocess.run(
                    [
                        "openssl",
                        "ts",
                        "-reply",
                        "-config",
                        str(config),
                        "-queryfile",
                        str(query),
                        "-out",
                        str(reply),
                    ],
                    check=True,
                    capture_output=True,
                )
                body = reply.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
