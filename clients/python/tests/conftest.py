"""A live ``strongbox serve`` on a free port, from the built binary (``STRONGBOX_BIN``, else the
workspace's ``target/debug/strongbox``), with alice (superuser), bob (reader), model ``prod``
and applications ``mysql`` and ``wordpress``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    port = free_port()
    process = subprocess.Popen(
        [binary(), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data)],
        stdout=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"})
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("the server did not come up")
            time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
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
