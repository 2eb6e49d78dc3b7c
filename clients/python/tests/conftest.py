"""A live ``strongbox serve`` on a port of its own, from the built binary (``STRONGBOX_BIN``,
else the workspace's ``target/debug/strongbox``), with alice (superuser), bob (reader), model
``prod`` and applications ``mysql`` and ``wordpress``."""

from __future__ import annotations

import json
import os
import select
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "password-123"


def binary() -> str:
    path = os.environ.get("STRONGBOX_BIN") or str(ROOT / "target" / "debug" / "strongbox")
    if not Path(path).exists():
        pytest.fail(f"{path} is missing: build the server (cargo build -p server) first")
    return path


def admin(data: Path, *args: str, stdin: str = "") -> None:
    subprocess.run([binary(), "admin", "--data-dir", str(data), *args], input=stdin.encode(),
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"})


def login(url: str, user: str) -> str:
    body = json.dumps({"username": user, "password": PASSWORD, "label": "pytest"}).encode()
    request = urllib.request.Request(f"{url}/api/v1/login", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return str(json.load(answer)["token"])


@dataclass
class Server:
    url: str
    admin_token: str
    reader_token: str
    data: Path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    data = tmp_path / "data"
    admin(data, "create-user", "alice", "--superuser", stdin=PASSWORD + "\n")
    admin(data, "create-model", "prod")
    admin(data, "create-user", "bob", stdin=PASSWORD + "\n")
    admin(data, "set-access", "prod", "bob", "read")
    for app in ("mysql", "wordpress"):
        admin(data, "add-application", "prod", app)
    # Port 0: the server binds a port it keeps, and says which on its first line.
    process = subprocess.Popen(
        [binary(), "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "RUST_LOG": "warn"})
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    said = process.stdout.readline() if ready else ""
    if not said.startswith("strongbox listening on "):
        process.kill()
        pytest.fail(f"the server did not come up: {said!r}")
    url = said.removeprefix("strongbox listening on ").strip()
    try:
        yield Server(url, login(url, "alice"), login(url, "bob"), data)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def no_saved_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no CLI login and no STRONGBOX_* variables."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("STRONGBOX_SERVER", "STRONGBOX_TOKEN", "STRONGBOX_CA_FILE"):
        monkeypatch.delenv(name, raising=False)
