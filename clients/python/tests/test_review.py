"""The access review from Python: usage, flags, CSV, sign-off and bulk revoke."""

from __future__ import annotations

import csv
import io

import pytest

import strongbox
from conftest import Server


async def test_review_usage_csv_sign_off_and_bulk_revoke(server: Server) -> None:
    conn = strongbox.Connection(server.url, server.admin_token)
    m = await conn.model("prod")
    read_uri = await m.add_secret("api-key-2", ["password=one"])
    await m.add_secret("api-key-10", ["password=one"])
    for name in ("api-key-2", "api-key-10"):
        await m.grant_secret(name, "mysql")
    app_token = await m.add_application("redis")
    await m.grant_secret("api-key-2", "redis")
    async with strongbox.AppClient(server.url, app_token) as app:
        assert await app.get(read_uri, "password") == "one"

    items = await m.access_review()
    assert [(i.application, i.secret_name, i.flags) for i in items] == [
        ("mysql", "api-key-2", ["never-read", "no-token"]),
        ("mysql", "api-key-10", ["never-read", "no-token"]),
        ("redis", "api-key-2", []),
    ]
    assert (items[2].reads_30d, items[2].tracked_revision) == (1, 1)
    assert items[2].last_read_at is not None
    [unread] = await m.access_review(flags=["never-read"], secret="api-key-10")
    assert unread.application == "mysql"

    rows = list(csv.DictReader(io.StringIO(await m.access_review_csv())))
    assert [(r["application"], r["secret_name"], r["flags"]) for r in rows] == \
        [(i.application, i.secret_name, " ".join(i.flags)) for i in items]

    reader = await strongbox.Connection(server.url, server.reader_token).model("prod")
    assert len(await reader.access_review()) == 3, "readers see the review"
    with pytest.raises(strongbox.ForbiddenError):
        await reader.revoke_grants([("mysql", "api-key-10")])
    with pytest.raises(strongbox.ForbiddenError):
        await reader.sign_off_review("looks fine")

    assert await m.revoke_grants([("mysql", "api-key-2"), ("mysql", "api-key-10")]) == 2
    assert [i.application for i in await m.access_review()] == ["redis"]
    signed = await m.sign_off_review("only redis needs it")
    assert (signed.reviewed_by, signed.grant_count) == ("alice", 1)
    [listed] = await reader.review_sign_offs()
    assert listed == signed
