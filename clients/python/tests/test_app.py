"""The application side: secret-get's tracking, as Juju's charms see it."""

from __future__ import annotations

import pytest

import strongbox
from conftest import Server


async def test_tracking_peek_refresh_and_obsolete_revisions(server: Server) -> None:
    m = await strongbox.Connection(server.url, server.admin_token).model("prod")
    token = await m.add_application("reader-app")
    uri = await m.add_secret("creds", ["user=app", "pass=one"])
    await m.grant_secret("creds", "reader-app")

    async with strongbox.AppClient(server.url, token) as app:
        assert await app.get(uri) == {"user": "app", "pass": "one"}, "the first read tracks"
        await m.update_secret("creds", ["user=app", "pass=two"])
        assert await app.get(uri, "pass") == "one", "the tracked revision until a refresh"
        assert await app.get(uri, "pass", peek=True) == "two"
        assert await app.get(uri, "pass") == "one", "peek does not move the tracking"
        revisions = await m.secret("creds").revisions()
        assert [(r.revision, r.obsolete) for r in revisions] == [(1, False), (2, False)]
        assert await app.get(uri, "pass", refresh=True) == "two"
        assert await app.get(uri, "pass") == "two"
        revisions = await m.secret("creds").revisions()
        assert [(r.revision, r.obsolete) for r in revisions] == [(1, True), (2, False)], \
            "no one tracks revision 1 any more"
        assert await app.get(uri, "pass#base64") == "dHdv"
        with pytest.raises(strongbox.NotFoundError, match='secret key value "nope" not found'):
            await app.get(uri, "nope")
        with pytest.raises(strongbox.StrongboxError, match="peek or refresh but not both"):
            await app.get(uri, peek=True, refresh=True)

        await m.revoke_secret("creds", "reader-app")
        with pytest.raises(strongbox.ForbiddenError):
            await app.get(uri)


async def test_an_application_reads_nothing_it_was_not_granted(server: Server) -> None:
    m = await strongbox.Connection(server.url, server.admin_token).model("prod")
    token = await m.add_application("nosy")
    uri = await m.add_secret("private", ["key=value"])
    async with strongbox.AppClient(server.url, token) as app:
        with pytest.raises(strongbox.ForbiddenError) as refused:
            await app.get(uri)
    assert refused.value.error == "forbidden"
