"""The application side: secret-get's tracking, as Juju's charms see it."""

from __future__ import annotations

import asyncio

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


async def test_watch_reports_changes_revocation_and_resumes_from_a_cursor(server: Server) -> None:
    m = await strongbox.Connection(server.url, server.admin_token).model("prod")
    token = await m.add_application("watcher")
    uri = await m.add_secret("watched", ["pass=one"])
    await m.grant_secret("watched", "watcher")

    async with strongbox.AppClient(server.url, token) as app:
        await app.get(uri)
        events = app.watch()
        first = asyncio.ensure_future(events.__anext__())
        await asyncio.sleep(0.3)
        await m.update_secret("watched", ["pass=two"])
        changed = await asyncio.wait_for(first, 10)
        assert (changed.kind, changed.uri) == ("secret-changed", uri)
        assert changed.cursor is not None
        assert await app.get(uri, "pass", refresh=True) == "two"
        await events.aclose()

        # Away for a while: resumed from the cursor, it hears what it missed, once.
        await m.update_secret("watched", ["pass=three"])
        await m.update_secret("watched", ["pass=four"])
        await m.revoke_secret("watched", "watcher")
        resumed = app.watch(since=changed.cursor)
        kinds = [(await resumed.__anext__()).kind]
        assert kinds == ["access-revoked"], "changes after the revoke are not reported"
        await resumed.aclose()


def test_watch_through_the_sync_facade(server: Server) -> None:
    import strongbox.sync

    m = strongbox.sync.Connection(server.url, server.admin_token).model("prod")
    token = m.add_application("sync-watcher")
    uri = m.add_secret("sync-watched", ["pass=one"])
    m.grant_secret("sync-watched", "sync-watcher")
    app = strongbox.sync.AppClient(server.url, token)
    app.get(uri)
    m.update_secret("sync-watched", ["pass=two"])
    events = app.watch()
    event = next(events)
    assert (event.kind, event.uri) == ("secret-changed", uri)
