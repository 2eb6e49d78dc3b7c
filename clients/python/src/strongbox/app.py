"""The application side, the equivalent of a charm's ``secret-get``."""

from __future__ import annotations

from typing import AsyncGenerator, Optional, overload

from ._transport import Transport, segment
from .errors import NotFoundError, StrongboxError
from .results import SecretEvent

#: Seconds one long poll waits for events.
WATCH_WAIT = 25


class AppClient:
    """``AppClient(url, app_token)``: reads what the application owns or was granted."""

    def __init__(self, url: str, app_token: str, ca_file: Optional[str] = None) -> None:
        self._t = Transport(url, app_token, ca_file)

    @overload
    async def get(self, uri_or_label: str, key: None = None, peek: bool = False,
                  refresh: bool = False) -> dict[str, str]: ...

    @overload
    async def get(self, uri_or_label: str, key: str, peek: bool = False,
                  refresh: bool = False) -> str: ...

    async def get(self, uri_or_label: str, key: Optional[str] = None, peek: bool = False,
                  refresh: bool = False) -> dict[str, str] | str:
        """The tracked revision's content (the first read tracks the latest); ``peek`` reads
        the latest without moving the tracking, ``refresh`` moves it to the latest. With
        ``key``, that value only (``key#base64`` gives it base64-encoded)."""
        if peek and refresh:
            raise StrongboxError("specify one of peek or refresh but not both")
        mode = "peek" if peek else "refresh" if refresh else None
        read = await self._t.call("GET", f"/app/secrets/{segment(uri_or_label)}",
                                  params={"mode": mode})
        if key is None:
            return dict(read["content"])
        name, values = (key[: -len("#base64")], read["content_base64"]) \
            if key.endswith("#base64") else (key, read["content"])
        if name not in values:
            raise NotFoundError(f'secret key value "{name}" not found', error="not_found",
                                field="key", status=404)
        return str(values[name])

    async def watch(self, since: Optional[str] = None) -> AsyncGenerator[SecretEvent, None]:
        """The application's events as they come, like a charm's secret hooks:
        ``secret-changed`` (read with ``refresh=True``), ``access-revoked``, ``secret-removed``,
        and ``resync``. On starting it first reports each secret the application is behind on.
        Pass an event's ``cursor`` as ``since`` to resume after it; without it, only what
        happens from now on."""
        cursor = since
        while True:
            page = await self._t.call("GET", "/app/events",
                                      params={"since": cursor, "wait": WATCH_WAIT},
                                      timeout=WATCH_WAIT + 15)
            cursor = str(page["next"])
            for e in page["events"]:
                yield SecretEvent(kind=str(e["kind"]), secret_id=e.get("secret"),
                                  uri=e.get("uri"), cursor=e.get("id"))

    async def close(self) -> None:
        await self._t.close()

    async def __aenter__(self) -> AppClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
