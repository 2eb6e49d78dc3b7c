"""hvac, the Vault client most Python software uses, reads Strongbox's Vault-compatible surface
with an application's token and nothing else changed (docs/vault-compatibility.md)."""

from __future__ import annotations

import hvac  # type: ignore[import-untyped]
import pytest
from hvac.exceptions import Forbidden, InvalidPath  # type: ignore[import-untyped]

import strongbox
from conftest import Server


async def test_hvac_reads_what_was_granted_and_nothing_else(server: Server) -> None:
    m = await strongbox.Connection(server.url, server.admin_token).model("prod")
    token = await m.add_application("vault-reader")
    await m.add_secret("db", ["password=s3cret", "user=admin"])
    await m.grant_secret("db", "vault-reader")
    await m.add_secret("other", ["token=nope"])

    client = hvac.Client(url=server.url, token=token)
    assert client.is_authenticated()
    read = client.secrets.kv.v2.read_secret_version(
        mount_point="strongbox", path="prod/db", raise_on_deleted_version=True)
    assert read["data"]["data"] == {"password": "s3cret", "user": "admin"}
    assert read["data"]["metadata"]["version"] == 1
    with pytest.raises(Forbidden):
        client.secrets.kv.v2.read_secret_version(
            mount_point="strongbox", path="prod/other", raise_on_deleted_version=True)
    with pytest.raises(InvalidPath):
        client.secrets.kv.v2.read_secret_version(
            mount_point="strongbox", path="prod/missing", raise_on_deleted_version=True)

    client.auth.token.revoke_self()
    assert not client.is_authenticated()
