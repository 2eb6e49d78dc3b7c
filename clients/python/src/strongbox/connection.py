"""``Connection``: where the server is and who is asking. A libjuju user changes the connection
lines and nothing else: ``model = await conn.model("prod")`` gives libjuju's ``Model`` methods."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional

from ._transport import Transport
from .errors import NotFoundError, StrongboxError
from .model import Model


def saved_login() -> dict[str, Any]:
    """What ``strongbox login`` keeps: ``$XDG_CONFIG_HOME/strongbox/config.json``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "strongbox" / "config.json"
    try:
        loaded = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise StrongboxError(f"cannot read {path}: {e}") from e
    return loaded if isinstance(loaded, dict) else {}


def _setting(given: Optional[str], variable: str, saved: dict[str, Any], key: str) -> Optional[str]:
    value = given or os.environ.get(variable) or saved.get(key)
    return str(value) if value else None


class Connection:
    """``Connection(url, token)`` or ``Connection(url, username=…, password=…)``. Each falls back
    to ``STRONGBOX_SERVER`` / ``STRONGBOX_TOKEN`` / ``STRONGBOX_CA_FILE``, then to the CLI's
    saved login. A password sign-in makes a personal token that ``close()`` revokes."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, *,
                 username: Optional[str] = None, password: Optional[str] = None,
                 ca_file: Optional[str] = None) -> None:
        saved = {} if (url and (token or username)) else saved_login()
        server = _setting(url, "STRONGBOX_SERVER", saved, "server")
        if not server:
            raise StrongboxError(
                "no server: pass url, set STRONGBOX_SERVER, or run `strongbox login`")
        self._ca_file = _setting(ca_file, "STRONGBOX_CA_FILE", saved, "ca_file")
        self._url = server
        self._username, self._password = username, password
        self._token = None if username else _setting(token, "STRONGBOX_TOKEN", saved, "token")
        if not self._token and not (username and password):
            raise StrongboxError("not logged in: pass token (or username and password), "
                                 "set STRONGBOX_TOKEN, or run `strongbox login`")
        self._transport: Optional[Transport] = None
        self._signed_in = False

    async def _open(self) -> Transport:
        if self._transport is None:
            if self._token is None:
                anonymous = Transport(self._url, None, self._ca_file)
                try:
                    body = {"username": self._username, "password": self._password,
                            "label": "python client"}
                    answer = await anonymous.call("POST", "/login", json=body)
                finally:
                    await anonymous.close()
                self._token = str(answer["token"])
                self._signed_in = True
            self._transport = Transport(self._url, self._token, self._ca_file)
        return self._transport

    async def model(self, name: str) -> Model:
        """The model ``name``, as the caller sees it."""
        transport = await self._open()
        for m in await transport.call("GET", "/models"):
            if m["name"] == name:
                return Model(transport, name, str(m["uuid"]))
        raise NotFoundError(f'model "{name}" not found', error="not_found", field="model",
                            status=404)

    async def close(self) -> None:
        if self._transport is not None:
            if self._signed_in:
                await self._transport.call("DELETE", "/tokens/current")
            await self._transport.close()
            self._transport = None

    async def __aenter__(self) -> Connection:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
