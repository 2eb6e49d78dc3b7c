"""python-libjuju's Model secret methods against a live server, and its three known bugs fixed."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest

import strongbox
from conftest import Server


async def model(server: Server) -> strongbox.Model:
    return await strongbox.Connection(server.url, server.admin_token).model("prod")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def test_add_list_and_reveal_with_libjujus_attribute_names(server: Server,
                                                                 tmp_path: Path) -> None:
    m = await model(server)
    cert = tmp_path / "ca.pem"
    cert.write_bytes(b"-----BEGIN CERT-----\n")
    doc = tmp_path / "more.yaml"
    doc.write_text("user: admin\npassword: from-the-file\n")
    uri = await m.add_secret("db", ["password=s3cret", f"cert#file={cert}",
                                    f"token#base64={b64('tok')}"], file=str(doc), info="main db")
    assert uri.startswith("secret:") and len(uri) == len("secret:") + 20

    [listed] = await m.list_secrets()
    assert (listed.uri, listed.label, listed.latest_revision, listed.description) == \
        (uri, "db", 1, "main db")
    assert listed.owner_tag == f"model-{m.uuid}"
    assert listed.create_time.endswith("Z") and listed.update_time.endswith("Z")
    assert listed.value is None, "values only when asked for"
    assert [r.revision for r in listed.revisions] == [1]

    [shown] = await m.list_secrets(show_secrets=True)
    assert shown.value is not None, "revealed values are never None (libjuju#947)"
    assert shown.value.data == {
        "cert": b64("-----BEGIN CERT-----\n"),
        "password": b64("from-the-file"),
        "token": b64("tok"),
        "user": b64("admin"),
    }, "the file's keys win over the arguments"


async def test_values_ending_in_p_q_or_padding_survive(server: Server) -> None:
    # libjuju's rstrip("PQ==") ate these (python-libjuju#1275).
    m = await model(server)
    await m.add_secret("tricky", ["plain=endsWithPQ", "padded#base64=YWJjUA==",
                                  "equals=a=b=="])
    [shown] = await m.list_secrets(filter={"label": "tricky"}, show_secrets=True)
    assert shown.value is not None
    assert shown.value.data["plain"] == b64("endsWithPQ")
    assert shown.value.data["padded"] == "YWJjUA=="
    assert base64.b64decode(shown.value.data["equals"]) == b"a=b=="


async def test_update_by_name_or_id_and_empty_strings_leave_fields_alone(server: Server) -> None:
    m = await model(server)
    uri = await m.add_secret("api", ["key=one"], info="the api key")
    # libjuju sent "" for info and new_name, which cleared them; here "" means "leave as is".
    await m.update_secret("api", ["key=two"], new_name="", info="")
    [s] = await m.list_secrets()
    assert (s.label, s.description, s.latest_revision) == ("api", "the api key", 2)
    await m.update_secret(uri.removeprefix("secret:"), new_name="api-key", auto_prune=True)
    [s] = await m.list_secrets()
    assert (s.label, s.auto_prune, s.latest_revision) == ("api-key", True, 2)
    await m.update_secret("api-key", ["key=two"])
    [s] = await m.list_secrets()
    assert s.latest_revision == 2, "the same content makes no revision"


async def test_grant_and_revoke_several_applications_at_once(server: Server) -> None:
    m = await model(server)
    uri = await m.add_secret("shared", ["key=value"])
    # libjuju raised "expected 1 result, got 2" here.
    await m.grant_secret("shared", "mysql", "wordpress")
    assert sorted(await m.secret("shared").grants()) == ["mysql", "wordpress"]
    [s] = await m.list_secrets()
    assert {(a.target_tag, a.role) for a in s.access} == \
        {("application-mysql", "view"), ("application-wordpress", "view")}
    review = await m.grant_review()
    assert sorted((g.application, g.secret_uri, g.secret_name) for g in review) == \
        [("mysql", uri, "shared"), ("wordpress", uri, "shared")]
    await m.revoke_secret("shared", "mysql", "wordpress")
    assert await m.secret("shared").grants() == []


async def test_remove_a_revision_then_the_secret(server: Server) -> None:
    m = await model(server)
    await m.add_secret("gone", ["key=one"])
    await m.update_secret("gone", ["key=two"])
    await m.remove_secret("gone", revision=1)
    assert [r.revision for r in await m.secret("gone").revisions()] == [2]
    await m.remove_secret("gone")
    assert await m.list_secrets() == []


async def test_revisions_diff_and_filters(server: Server) -> None:
    m = await model(server)
    first = await m.add_secret("a-secret", ["user=me", "pass=one"])
    await m.add_secret("b-secret", ["key=x"])
    await m.update_secret("a-secret", ["user=me", "pass=two", "host=db"])
    assert await m.secret("a-secret").diff(1, 2) == {
        "added": ["host"], "removed": [], "changed": ["pass"], "unchanged": ["user"]}
    [only] = await m.list_secrets(filter={"uri": first})
    assert only.label == "a-secret"
    [old] = await m.list_secrets(filter={"label": "a-secret", "revision": 1}, show_secrets=True)
    assert old.value is not None and old.value.data["pass"] == b64("one")


async def test_errors_carry_the_servers_code_and_words(server: Server) -> None:
    m = await model(server)
    await m.add_secret("db", ["key=value"])
    with pytest.raises(strongbox.ConflictError) as taken:
        await m.add_secret("db", ["key=value"])
    assert (taken.value.error, taken.value.message) == \
        ("conflict", 'secret with name "db" already exists')
    with pytest.raises(strongbox.NotFoundError, match='secret "nope" not found'):
        await m.update_secret("nope", ["key=x"])
    with pytest.raises(strongbox.BadRequestError, match='key "A" not valid') as bad:
        await m.add_secret("x", ["A=1"])
    assert bad.value.field == "key"
    with pytest.raises(strongbox.BadRequestError, match='key value "novalue" not valid'):
        await m.add_secret("x", ["novalue"])
    with pytest.raises(strongbox.NotFoundError, match='application "ghost" not found'):
        await m.grant_secret("db", "ghost")
    with pytest.raises(strongbox.BadRequestError,
                       match="at least one attribute to update must be specified"):
        await m.update_secret("db")
    reader = await strongbox.Connection(server.url, server.reader_token).model("prod")
    with pytest.raises(strongbox.ForbiddenError) as refused:
        await reader.add_secret("theirs", ["key=value"])
    assert refused.value.status == 403
    assert [s.label for s in await reader.list_secrets()] == ["db"], "readers still list"


async def test_juju_size_and_file_rules_and_texts(server: Server, tmp_path: Path) -> None:
    m = await model(server)
    big = "x" * 1_000_000
    with pytest.raises(strongbox.BadRequestError) as too_large:
        await m.add_secret("big", [f"blob={big}"])
    assert too_large.value.message.startswith(
        'base64 encoded secret content for key "blob" too large: ')
    missing = tmp_path / "missing.pem"
    with pytest.raises(strongbox.BadRequestError, match=f'cannot read file "{missing}"'):
        await m.add_secret("x", [f"cert#file={missing}"])
    not_a_map = tmp_path / "list.yaml"
    not_a_map.write_text("- one\n- two\n")
    with pytest.raises(strongbox.BadRequestError, match="secret document not valid"):
        await m.add_secret("x", [], file=str(not_a_map))
    # As Juju: trailing '=' is padding, so "key=" has no separator at all.
    with pytest.raises(strongbox.BadRequestError, match='key value "key=" not valid'):
        await m.add_secret("x", ["key="])
    assert await m.list_secrets() == [], "a refused add changes nothing"


async def test_an_application_webhook_is_set_shown_and_removed(server: Server) -> None:
    m = await model(server)
    token = await m.add_application("hooked")
    made = await m.set_webhook("hooked", "https://hooks.example/strongbox")
    assert made.signing_secret is not None and made.signing_secret.startswith("whsec_")
    shown = await m.webhook("hooked")
    assert (shown.url, shown.enabled, shown.failures, shown.signing_secret) == \
        ("https://hooks.example/strongbox", True, 0, None)
    with pytest.raises(strongbox.BadRequestError, match="loopback") as local:
        await m.set_webhook("hooked", "http://127.0.0.1:9/")
    assert local.value.field == "url"
    # A delivery that fails (a name under .example never resolves), so that enabling has
    # failures to forget.
    uri = await m.add_secret("hooked-db", ["pass=one"])
    await m.grant_secret("hooked-db", "hooked")
    async with strongbox.AppClient(server.url, token) as app:
        await app.get(uri)
    await m.update_secret("hooked-db", ["pass=two"])
    failing = await m.webhook("hooked")
    for _ in range(100):
        if failing.failures:
            break
        await asyncio.sleep(0.05)
        failing = await m.webhook("hooked")
    assert failing.failures >= 1 and failing.last_error and failing.retry_at, failing
    enabled = await m.enable_webhook("hooked")
    assert (enabled.url, enabled.enabled, enabled.failures, enabled.retry_at) == \
        ("https://hooks.example/strongbox", True, 0, None)
    with pytest.raises(strongbox.NotFoundError):
        await m.enable_webhook("nobody")
    await m.remove_webhook("hooked")
    with pytest.raises(strongbox.NotFoundError, match='application "hooked" has no webhook'):
        await m.webhook("hooked")
