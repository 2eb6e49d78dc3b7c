"""One HTTP session to ``/api/v1``: the bearer token, a custom CA, and error bodies turned into
exceptions. Requests are never retried."""

from __future__ import annotations

import ssl
from typing import Any, Mapping, Optional

import httpx

from .errors import StrongboxError, from_body


class Transport:
    def __init__(self, url: str, token: Optional[str] = None,
                 ca_file: Optional[str] = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise StrongboxError(f"server URL {url!r} must start with https:// or http://")
        self.url = url.rstrip("/")
        verify: ssl.SSLContext | bool = True
        if ca_file:
            try:
                verify = ssl.create_default_context(cafile=ca_file)
            except (OSError, ssl.SSLError) as e:
                raise StrongboxError(f"CA file {ca_file}: {e}") from e
        headers = {"user-agent": "strongbox-client-python"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(base_url=f"{self.url}/api/v1", headers=headers,
                                       verify=verify, timeout=30.0)

    async def close(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, path: str, *, json: Any = None,
                   params: Optional[Mapping[str, Any]] = None,
                   timeout: Optional[float] = None) -> Any:
        """The decoded JSON answer (``None`` for an empty one), or the server's refusal raised.
        ``timeout`` replaces the default 30 s, for long polls."""
        response = await self._send(method, path, json, params, timeout)
        return response.json() if response.content else None

    async def call_text(self, method: str, path: str, *,
                        params: Optional[Mapping[str, Any]] = None) -> str:
        """The answer as text (a CSV export), or the server's refusal raised."""
        return (await self._send(method, path, None, params, None)).text

    async def _send(self, method: str, path: str, json: Any,
                    params: Optional[Mapping[str, Any]],
                    timeout: Optional[float]) -> httpx.Response:
        """A successful answer; a list value repeats its key in the query."""
        query = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = await self._http.request(
                method, path, json=json, params=query,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT)
        except httpx.HTTPError as e:
            raise StrongboxError(f"cannot reach {self.url}: {e}") from e
        if response.is_success:
            return response
        try:
            body = response.json()
            error, message = str(body["error"]), str(body["message"])
            field = body.get("field")
        except (ValueError, KeyError, TypeError):
            raise StrongboxError(
                f"the server answered {response.status_code} with something unexpected",
                error="unexpected", status=response.status_code) from None
        raise from_body(response.status_code, error, message, field)


def segment(text: str) -> str:
    """One path segment, percent-encoded."""
    from urllib.parse import quote

    return quote(text, safe="")
