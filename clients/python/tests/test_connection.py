"""Connecting: a token, a password, the environment or the CLI's saved login; the plain-call
facade; the audit trail page by page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import strongbox
import strongbox.sync
from conftest import PASSWORD, Server


async def test_from_the_environment_and_from_the_clis_saved_login(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRONGBOX_SERVER", server.url)
    monkeypatch.setenv("STRONGBOX_TOKEN", server.admin_token)
    assert (await strongbox.Connection().model("prod")).name == "prod"

    monkeypatch.delenv("STRONGBOX_SERVER")
    monkeypatch.delenv("STRONGBOX_TOKEN")
    saved = tmp_path / "config" / "strongbox" / "config.json"
    saved.parent.mkdir(parents=True)
    saved.write_text(json.dumps({"server": server.url, "token": server.reader_token}))
    m = await strongbox.Connection().model("prod")
    with pytest.raises(strongbox.ForbiddenError):
        await m.add_secret("x", ["key=value"])

    saved.unlink()
    with pytest.raises(strongbox.StrongboxError, match="no server"):
        strongbox.Connection()


async def test_a_password_sign_in_revokes_its_token_on_close(server: Server) -> None:
    conn = strongbox.Connection(server.url, username="alice", password=PASSWORD)
    m = await conn.model("prod")
    await m.add_secret("by-password", ["key=value"])
    token = conn._token
    assert token
    await conn.close()
    with pytest.raises(strongbox.UnauthenticatedError):
        await strongbox.Connection(server.url, token).model("prod")
    with pytest.raises(strongbox.UnauthenticatedError):
        await strongbox.Connection(server.url, username="alice", password="wrong").model("prod")


async def test_unknown_models_tokens_and_ca_files_are_named(server: Server,
                                                            tmp_path: Path) -> None:
    with pytest.raises(strongbox.NotFoundError, match='model "staging" not found'):
        await strongbox.Connection(server.url, server.admin_token).model("staging")
    with pytest.raises(strongbox.UnauthenticatedError) as bad:
        await strongbox.Connection(server.url, "sbp_not-a-token").model("prod")
    assert bad.value.error == "unauthenticated"
    missing = tmp_path / "missing.pem"
    with pytest.raises(strongbox.StrongboxError, match=f"CA file {missing}"):
        await strongbox.Connection(server.url, server.admin_token,
                                   ca_file=str(missing)).model("prod")


async def test_the_audit_trail_comes_page_by_page(server: Server) -> None:
    m = await strongbox.Connection(server.url, server.admin_token).model("prod")
    for n in range(5):
        await m.add_secret(f"audited-{n}", ["key=value"])
    events = [e async for e in m.audit(action="secret-add", page_size=2)]
    assert [e.detail for e in events][:1] and len(events) == 5
    assert [e.seq for e in events] == sorted((e.seq for e in events), reverse=True)
    assert {e.actor for e in events} == {"alice"}


def test_plain_calls_without_await(server: Server) -> None:
    conn = strongbox.sync.Connection(server.url, server.admin_token)
    m = conn.model("prod")
    uri = m.add_secret("sync", ["key=value"])
    m.grant_secret("sync", "mysql")
    assert [s.uri for s in m.list_secrets()] == [uri]
    assert m.secret("sync").grants() == ["mysql"]
    assert len(m.audit(action="secret-add")) == 1
    conn.close()
