"""Replays the calls Juju's `vault` secret backend makes, in Juju's order and with its bodies,
against a Vault-compatible server, and prints what Juju reads from each answer as JSON.

Run against OpenBao and against Strongbox, the two transcripts must be equal (issue 29). The
calls and bodies are those of juju/juju `internal/secrets/provider/vault/` (provider.go,
backend.go, errors.go); the scenarios follow Juju's integration suite
`tests/suites/secrets_iaas/vault.sh`: add a backend, create secrets as a charm, update, read as
a consumer, revoke, drain, remove the model.

    python3 replay.py URL ADMIN_TOKEN [--mount-prefix P]

ADMIN_TOKEN is the token given to `juju add-secret-backend`. What Juju reads is kept (status,
the fields it decodes, whether an error names what Juju looks for); what differs between any
two servers by nature (tokens, accessors, times) is reduced to its shape.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import time
from typing import Any

import hvac  # type: ignore[import-untyped]
from hvac.adapters import RawAdapter  # type: ignore[import-untyped]

RFC3339_NANOS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$")
# Juju names a model's mount `<model name>-<last 6 of its UUID>`.
MODEL_UUID = "6a1c3f52-87e1-4a5e-9d0b-2f4c8e7a91d3"
MOUNT = f"wordpress-{MODEL_UUID[-6:]}"
# Juju's secret ids (xid) and their revision paths `<id>-<revision>`.
OWNED = "d4kq8pbmp25c77ukat9g"
SHARED = "d4kq8s3mp25c77ukata0"
OTHER = "d4kq8uju5o9c77ukatag"


class Juju:
    """One client of Juju's: a token and the headers Juju's Go client sends."""

    def __init__(self, url: str, token: str) -> None:
        self.client = hvac.Client(url=url, token=token, adapter=RawAdapter)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.adapter.request(
            method, f"/v1/{path}", json=body, raise_exception=False,
            headers={"X-Vault-Request": "true"})


def errors_of(response: Any) -> list[str]:
    try:
        return list(response.json().get("errors") or [])
    except ValueError:
        return []


def has_data(response: Any) -> bool:
    try:
        return bool(response.json().get("data"))
    except ValueError:
        return False


def seen(step: str, response: Any, **fields: Any) -> dict[str, Any]:
    """One line of the transcript: the step, the status, and what Juju reads there."""
    return {"step": step, "status": response.status_code, **fields}


def value_map(response: Any) -> dict[str, str] | None:
    if response.status_code != 200:
        return None
    return {k: str(v) for k, v in (response.json().get("data") or {}).items()}


def replay(url: str, admin_token: str, prefix: str) -> list[dict[str, Any]]:
    mount = f"{prefix}/{MOUNT}" if prefix else MOUNT
    admin = Juju(url, admin_token)
    out: list[dict[str, Any]] = []

    # `juju add-secret-backend`: Ping.
    r = admin.call("GET", "sys/health?uninitcode=299&sealedcode=299&standbycode=299"
                          "&drsecondarycode=299&performancestandbycode=299")
    body = r.json()
    out.append(seen("health", r, initialized=body.get("initialized"), sealed=body.get("sealed")))
    r = admin.call("GET", "sys/key-status")
    data = r.json().get("data") or {}
    out.append(seen("key-status", r, term_is_number=isinstance(data.get("term"), int),
                    install_time_rfc3339=bool(RFC3339_NANOS.match(str(data.get("install_time"))))))
    r = Juju(url, "not-a-token").call("GET", "sys/key-status")
    out.append(seen("key-status with a bad token", r))

    # Initialise the model's mount.
    r = admin.call("GET", "sys/mounts")
    mounts = r.json().get("data") or {}
    out.append(seen("list mounts", r, has_mount=f"{mount}/" in mounts,
                    options_are_strings=all(
                        all(isinstance(v, str) for v in (m.get("options") or {}).values())
                        for m in mounts.values())))
    mount_body = {"type": "kv", "options": {"version": "1"}}
    r = admin.call("POST", f"sys/mounts/{mount}", mount_body)
    out.append(seen("mount kv v1", r))
    r = admin.call("POST", f"sys/mounts/{mount}", mount_body)
    out.append(seen("mount again", r, already_in_use=any(
        "path is already in use" in e for e in errors_of(r))))
    r = admin.call("GET", "sys/mounts")
    listed = (r.json().get("data") or {}).get(f"{mount}/") or {}
    out.append(seen("list mounts after", r, type=listed.get("type"),
                    options=listed.get("options")))

    def policy(name: str, rule: str) -> None:
        r = admin.call("PUT", f"sys/policies/acl/{name}", {"policy": rule})
        out.append(seen(f"put policy {name.removeprefix(mount)}", r))

    def token(what: str, policies: list[str], **extra: Any) -> Juju:
        body = {"ttl": "10m", "no_default_policy": True, "policies": policies, **extra}
        r = admin.call("POST", "auth/token/create", body)
        auth = r.json().get("auth") or {}
        out.append(seen(f"token for {what}", r, has_client_token=bool(auth.get("client_token")),
                        policies=sorted(p.removeprefix(mount) for p in auth.get("policies") or []),
                        lease_duration=auth.get("lease_duration")))
        return Juju(url, auth.get("client_token") or "none")

    def ensure(capability: str) -> str:
        name = f"{mount}-{capability}"
        policy(name, f'path "{mount}/*" {{capabilities = ["{capability}"]}}')
        return name

    def owner(secret: str) -> str:
        name = f"{mount}-{secret}-owner"
        policy(name, f'path "{mount}/{secret}-*" {{capabilities = '
                     '["create", "read", "update", "delete", "list"]}')
        return name

    def reader(secret: str) -> str:
        name = f"{mount}-{secret}-read"
        policy(name, f'path "{mount}/{secret}-*" {{capabilities = ["read"]}}')
        return name

    def put(who: Juju, step: str, path: str, values: dict[str, str]) -> None:
        encoded = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
        out.append(seen(step, who.call("PUT", f"{mount}/{path}", encoded)))

    def get(who: Juju, step: str, path: str) -> None:
        r = who.call("GET", f"{mount}/{path}")
        out.append(seen(step, r, data=value_map(r), errors=errors_of(r) if r.status_code != 404
                        else None, has_data=has_data(r)))

    # The unit agent that owns a secret: create and owner policies.
    unit = token("the owning unit", [ensure("create"), owner(OWNED)])
    # Without the default policy a token cannot even look itself up.
    out.append(seen("unit looks itself up", unit.call("GET", "auth/token/lookup-self")))
    put(unit, "unit saves revision 1", f"{OWNED}-1", {"password": "s3cret"})
    get(unit, "unit reads revision 1", f"{OWNED}-1")
    put(unit, "unit saves revision 2", f"{OWNED}-2", {"password": "n3w"})
    get(unit, "unit reads a revision never saved", f"{OWNED}-9")
    r = unit.call("LIST", mount)
    out.append(seen("unit lists the mount", r))

    # A create-only token writes a new key but cannot read it back.
    creator = token("a creator", [f"{mount}-create"])
    put(creator, "creator saves another secret", f"{OTHER}-1", {"token": "v"})
    get(creator, "creator reads what it saved", f"{OTHER}-1")
    put(creator, "creator overwrites it", f"{OTHER}-1", {"token": "w"})

    # The consuming unit: read of the shared secret only.
    consumer = token("the consumer", [reader(OWNED)])
    get(consumer, "consumer reads revision 2", f"{OWNED}-2")
    put(consumer, "consumer tries to write", f"{OWNED}-3", {"password": "x"})
    get(consumer, "consumer reads another secret", f"{OTHER}-1")
    r = consumer.call("DELETE", f"{mount}/{OWNED}-2")
    out.append(seen("consumer tries to delete", r))

    # The model's admin reads everything in the model.
    model_admin = token("the model admin", [ensure("read"), f"{mount}-create"])
    get(model_admin, "admin reads another secret", f"{OTHER}-1")

    # Revoke: the consumer's policy goes, and its token with it.
    r = admin.call("GET", "sys/policies/acl?list=true")
    keys = (r.json().get("data") or {}).get("keys") or []
    out.append(seen("list policies", r, mine=sorted(k.removeprefix(mount) for k in keys
                                                     if k.startswith(mount))))
    r = admin.call("DELETE", f"sys/policies/acl/{mount}-{OWNED}-read")
    out.append(seen("delete the read policy", r))
    get(consumer, "consumer reads after the revoke", f"{OWNED}-2")
    r = admin.call("DELETE", f"sys/policies/acl/{mount}-{SHARED}-read")
    out.append(seen("delete a policy never made", r))

    # Drain: update on the mount, create for new keys; update alone cannot create.
    drain = token("the drain worker", [ensure("update"), f"{mount}-create"])
    put(drain, "drain rewrites an existing key", f"{OWNED}-2", {"password": "n3w"})
    updater = token("update only", [f"{mount}-update"])
    put(updater, "update-only writes a new key", f"{SHARED}-1", {"token": "v"})
    put(updater, "update-only rewrites an existing key", f"{OWNED}-2", {"password": "n3w"})

    # Removing a revision: read first, then delete.
    get(unit, "unit reads before deleting", f"{OWNED}-1")
    r = unit.call("DELETE", f"{mount}/{OWNED}-1")
    out.append(seen("unit deletes revision 1", r))
    get(unit, "unit reads the deleted revision", f"{OWNED}-1")
    r = unit.call("DELETE", f"{mount}/{OWNED}-1")
    out.append(seen("unit deletes it again", r))

    # Token expiry, and the controller's own token rotation (an orphan).
    short = token("a short-lived unit", [f"{mount}-create"], ttl="2s")
    time.sleep(3)
    r = short.call("GET", "auth/token/lookup-self")
    out.append(seen("expired token looks itself up", r))
    put(short, "expired token writes", f"{SHARED}-2", {"token": "v"})
    r = admin.call("POST", "auth/token/create", {"ttl": "3600s", "no_parent": True})
    auth = r.json().get("auth") or {}
    out.append(seen("rotate the backend token (orphan)", r, orphan=auth.get("orphan"),
                    has_client_token=bool(auth.get("client_token"))))

    # The rotated token inherits the backend token's powers (no policies named). The agent
    # tokens it makes are its children and die with it; an orphan it makes does not.
    rotated = Juju(url, auth.get("client_token") or "none")
    r = rotated.call("POST", "auth/token/create",
                     {"ttl": "10m", "no_default_policy": True, "policies": [f"{mount}-read"]})
    out.append(seen("rotated token makes an agent token", r))
    child = Juju(url, (r.json().get("auth") or {}).get("client_token") or "none")
    r = rotated.call("POST", "auth/token/create", {"ttl": "10m", "no_default_policy": True,
                                                   "policies": [f"{mount}-read"], "no_parent": True})
    out.append(seen("rotated token makes an orphan", r, orphan=(r.json().get("auth") or {}).get("orphan")))
    orphan = Juju(url, (r.json().get("auth") or {}).get("client_token") or "none")
    get(child, "agent token reads", f"{OTHER}-1")
    r = rotated.call("POST", "auth/token/revoke-self")
    out.append(seen("rotated token revokes itself", r))
    out.append(seen("rotated token after", rotated.call("GET", "auth/token/lookup-self")))
    get(child, "agent token after its parent's revocation", f"{OTHER}-1")
    get(orphan, "orphan after its maker's revocation", f"{OTHER}-1")

    # Remove the model: its policies, its keys, its mount.
    r = admin.call("GET", "sys/policies/acl?list=true")
    for name in [k for k in (r.json().get("data") or {}).get("keys") or [] if k.startswith(mount)]:
        admin.call("DELETE", f"sys/policies/acl/{name}")
    r = admin.call("LIST", mount)
    keys = sorted((r.json().get("data") or {}).get("keys") or [])
    out.append(seen("list the mount's keys", r, keys=keys))
    for key in keys:
        admin.call("DELETE", f"{mount}/{key}")
    r = admin.call("DELETE", f"sys/mounts/{mount}")
    out.append(seen("unmount", r))
    r = admin.call("LIST", mount)
    out.append(seen("list the removed mount", r, has_data=has_data(r)))
    r = admin.call("GET", "sys/policies/acl?list=true")
    left = [k for k in (r.json().get("data") or {}).get("keys") or [] if k.startswith(mount)]
    out.append(seen("policies left", r, left=left))
    return out


def main() -> None:
    args = sys.argv[1:]
    prefix = ""
    if "--mount-prefix" in args:
        i = args.index("--mount-prefix")
        prefix = args[i + 1]
        del args[i:i + 2]
    url, token = args
    json.dump(replay(url, token, prefix), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
