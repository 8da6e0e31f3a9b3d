"""A token-checking TLS reverse proxy, as an organization puts in front of Chroma 1.x
(whose own server has no authentication): refuses a request without the bearer
token with 401, forwards the rest to the upstream server.

Run as a program by `servers.start_auth_proxy`:
    python auth_proxy.py UPSTREAM PORT TOKEN_FILE CERT KEY
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "authorization"}


def app(upstream: str, token: str) -> Starlette:
    """The proxy: one route for every path and method."""
    client = httpx.AsyncClient(base_url=upstream, timeout=60)

    async def forward(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {token}":
            return Response("missing or wrong token", status_code=401)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        reply = await client.request(
            request.method,
            request.url.path,
            params=request.query_params,
            content=await request.body(),
            headers=headers,
        )
        kept = {k: v for k, v in reply.headers.items() if k.lower() not in HOP_HEADERS}
        kept.pop("content-encoding", None)  # httpx has decoded the body
        return Response(reply.content, status_code=reply.status_code, headers=kept)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", forward, methods=methods)])


if __name__ == "__main__":
    upstream, port, token_file, cert, key = sys.argv[1:6]
    uvicorn.run(
        app(upstream, Path(token_file).read_text().strip()),
        host="127.0.0.1",
        port=int(port),
        ssl_certfile=cert,
        ssl_keyfile=key,
        log_level="warning",
    )
