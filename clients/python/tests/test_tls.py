"""A server behind an internal TLS proxy: its private CA is refused until given as ``ca_file``."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import AsyncIterator
from urllib.parse import urlparse

import pytest
import trustme

import strongbox
from conftest import Server


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


@pytest.fixture
async def tls_url(server: Server, tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    """``https://localhost:PORT`` terminating TLS in front of the server, and the CA's file."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    ca_file = tmp_path / "internal-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    upstream = urlparse(server.url)

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(upstream.hostname, upstream.port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer),
                             return_exceptions=True)

    proxy = await asyncio.start_server(forward, "127.0.0.1", 0, ssl=context)
    port = proxy.sockets[0].getsockname()[1]
    try:
        yield f"https://localhost:{port}", ca_file
    finally:
        proxy.close()


async def test_a_private_ca_is_trusted_only_when_given(server: Server,
                                                       tls_url: tuple[str, Path]) -> None:
    url, ca_file = tls_url
    with pytest.raises(strongbox.StrongboxError, match=f"cannot reach {url}"):
        await strongbox.Connection(url, server.admin_token).model("prod")
    conn = strongbox.Connection(url, server.admin_token, ca_file=str(ca_file))
    m = await conn.model("prod")
    uri = await m.add_secret("over-tls", ["key=value"])
    assert [s.uri for s in await m.list_secrets()] == [uri]
    await conn.close()
