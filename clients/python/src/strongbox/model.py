"""A model's secrets with python-libjuju's ``Model`` methods, same names, arguments and
meaning, plus what libjuju lacks (revisions, diffs, grant review, audit, applications)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, AsyncIterator, Optional, Sequence

from ._transport import Transport, segment
from .content import content
from .review import AccessReview
from .results import SecretResult, SecretRevision, SecretValueResult, secret_result

#: Secrets whose details are fetched at once by ``list_secrets``.
_PARALLEL = 8


@dataclass
class Grant:
    application: str
    secret_uri: str
    secret_name: Optional[str]
    granted_by: str
    granted_at: str


@dataclass
class AuditEvent:
    seq: int
    at: str
    actor: str
    action: str
    outcome: str
    secret: Optional[str]
    revision: Optional[int]
    detail: str
    source: Optional[str]


@dataclass
class Webhook:
    """Where an application's events are posted (Standard Webhooks), and how delivery goes."""
    #: ``None`` unless the caller is a model admin: a URL may carry the receiver's token.
    url: Optional[str]
    enabled: bool
    failures: int
    retry_at: Optional[str]
    disabled_at: Optional[str]
    last_error: Optional[str]
    last_success: Optional[str]
    created: str
    #: ``whsec_…``, only in what ``set_webhook`` returns: shown this once.
    signing_secret: Optional[str] = None


def _webhook(body: dict[str, Any]) -> Webhook:
    return Webhook(url=body.get("url"), enabled=bool(body["enabled"]),
                   failures=int(body["failures"]), retry_at=body.get("retry_at"),
                   disabled_at=body.get("disabled_at"), last_error=body.get("last_error"),
                   last_success=body.get("last_success"), created=str(body["created"]),
                   signing_secret=body.get("signing_secret"))


class Model(AccessReview):
    """Obtained from ``await connection.model(name)``."""

    def __init__(self, transport: Transport, name: str, uuid: str) -> None:
        self._t = transport
        self.name = name
        self.uuid = uuid
        self._path = f"/models/{segment(name)}"

    def _secret_path(self, name_or_id: str) -> str:
        return f"{self._path}/secrets/{segment(name_or_id)}"

    async def add_secret(self, name: str, data_args: Sequence[str], file: str = "",
                         info: str = "") -> str:
        """Adds a user secret; returns its URI (``secret:…``)."""
        body: dict[str, Any] = {"name": name, "description": info, **content(data_args, file)}
        created = await self._t.call("POST", f"{self._path}/secrets", json=body)
        return str(created["uri"])

    async def update_secret(self, name: str, data_args: Sequence[str] = (), new_name: str = "",
                            file: str = "", info: str = "",
                            auto_prune: Optional[bool] = None) -> None:
        """Updates the secret named (or with the ID) ``name``. An empty ``info`` or ``new_name``
        leaves the field as it is; libjuju sent the empty strings, which cleared them."""
        body: dict[str, Any] = {}
        if data_args or file:
            body.update(content(data_args, file))
        if new_name:
            body["name"] = new_name
        if info:
            body["description"] = info
        if auto_prune is not None:
            body["auto_prune"] = auto_prune
        await self._t.call("PATCH", self._secret_path(name), json=body)

    async def list_secrets(self, filter: Optional[dict[str, Any]] = None,
                           show_secrets: bool = False) -> list[SecretResult]:
        """Every secret of the model (filter keys: ``uri``, ``label``, ``owner_tag`` or
        ``owner-tag``, ``revision``); with ``show_secrets`` each carries ``value.data``."""
        wanted = {k.replace("-", "_"): v for k, v in (filter or {}).items()}
        summaries = [s for s in await self._summaries() if self._matches(s, wanted)]
        limit = asyncio.Semaphore(_PARALLEL)

        async def one(summary: dict[str, Any]) -> SecretResult:
            async with limit:
                detail = await self._t.call("GET", self._secret_path(summary["id"]))
                value = None
                if show_secrets:
                    value = await self._reveal(summary["id"], wanted.get("revision"))
                return secret_result(detail, self.uuid, value)

        return list(await asyncio.gather(*(one(s) for s in summaries)))

    async def _summaries(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        after: Optional[str] = None
        while True:
            page = await self._t.call("GET", f"{self._path}/secrets",
                                      params={"limit": 500, "after": after})
            items.extend(page["items"])
            after = page.get("next")
            if not after:
                return items

    def _matches(self, summary: dict[str, Any], wanted: dict[str, Any]) -> bool:
        owner = summary["owner"]
        owner_tag = f"model-{self.uuid}" if owner == "model" else f"application-{owner}"
        checks = {"uri": summary["uri"], "label": summary.get("name"), "owner_tag": owner_tag}
        return all(checks[k] == v for k, v in wanted.items() if k in checks)

    async def _reveal(self, secret: str, revision: Optional[int]) -> SecretValueResult:
        revealed = await self._t.call("POST", f"{self._secret_path(secret)}/reveal",
                                      json={"revision": revision})
        return SecretValueResult(data=dict(revealed["content_base64"]))

    async def remove_secret(self, secret_name: str, revision: int = -1) -> None:
        """Removes the secret (by name or ID), or only ``revision`` of it."""
        params = {"revision": revision} if revision >= 0 else None
        await self._t.call("DELETE", self._secret_path(secret_name), params=params)

    async def grant_secret(self, secret_name: str, application: str, *applications: str) -> None:
        """Lets the applications read the secret; any number at once (libjuju raised
        "expected 1 result, got N" for more than one)."""
        await self._access("grant", secret_name, [application, *applications])

    async def revoke_secret(self, secret_name: str, application: str, *applications: str) -> None:
        await self._access("revoke", secret_name, [application, *applications])

    async def _access(self, verb: str, secret: str, applications: list[str]) -> None:
        body = {"applications": applications}
        await self._t.call("POST", f"{self._secret_path(secret)}/{verb}", json=body)

    def secret(self, name_or_id: str) -> Secret:
        return Secret(self, name_or_id)

    async def grant_review(self) -> list[Grant]:
        """Every grant in the model: which application may read which secret, and who granted it."""
        rows = await self._t.call("GET", f"{self._path}/grants")
        return [Grant(r["application"], f"secret:{r['secret']}", r.get("secret_name"),
                      r["granted_by"], r["granted_at"]) for r in rows]

    async def audit(self, actor: Optional[str] = None, action: Optional[str] = None,
                    page_size: int = 100) -> AsyncIterator[AuditEvent]:
        """The model's audit events, newest first, fetched a page at a time."""
        before: Optional[int] = None
        while True:
            params = {"actor": actor, "action": action, "before": before, "limit": page_size}
            rows = await self._t.call("GET", f"{self._path}/audit", params=params)
            for r in rows:
                yield AuditEvent(**r)
            if len(rows) < page_size:
                return
            before = rows[-1]["seq"]

    async def add_application(self, name: str, token_label: str = "python client") -> str:
        """Adds an application and returns a token for it, shown this once."""
        await self._t.call("POST", f"{self._path}/applications", json={"name": name})
        path = f"{self._path}/applications/{segment(name)}/tokens"
        issued = await self._t.call("POST", path, json={"label": token_label})
        return str(issued["token"])

    def _webhook_path(self, application: str) -> str:
        return f"{self._path}/applications/{segment(application)}/webhook"

    async def set_webhook(self, application: str, url: str) -> Webhook:
        """Posts the application's events to ``url``; the answer carries the signing secret,
        this once. Model admins."""
        return _webhook(await self._t.call("PUT", self._webhook_path(application),
                                           json={"url": url}))

    async def webhook(self, application: str) -> Webhook:
        return _webhook(await self._t.call("GET", self._webhook_path(application)))

    async def enable_webhook(self, application: str) -> Webhook:
        """Starts a disabled webhook again from the event it stopped at."""
        path = f"{self._webhook_path(application)}/enable"
        return _webhook(await self._t.call("POST", path))

    async def remove_webhook(self, application: str) -> None:
        await self._t.call("DELETE", self._webhook_path(application))


class Secret:
    """One secret of a model: ``model.secret(name_or_id)``."""

    def __init__(self, model: Model, name_or_id: str) -> None:
        self._model = model
        self._path = model._secret_path(name_or_id)

    async def revisions(self) -> list[SecretRevision]:
        detail = await self._model._t.call("GET", self._path)
        return secret_result(detail, self._model.uuid).revisions

    async def diff(self, a: int, b: int) -> dict[str, list[str]]:
        """Which keys were added, removed, changed or unchanged from revision ``a`` to ``b``;
        key names only, never values."""
        answer = await self._model._t.call("GET", f"{self._path}/diff",
                                           params={"from": a, "to": b})
        return {k: list(v) for k, v in answer.items()}

    async def grants(self) -> list[str]:
        """The applications that may read the secret."""
        detail = await self._model._t.call("GET", self._path)
        return [a["target"].removeprefix("application-") for a in detail["access"]]
