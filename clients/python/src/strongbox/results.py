"""What ``list_secrets`` returns, with python-libjuju's attribute names (``ListSecretResult``
and its parts), so code written against libjuju reads them unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class SecretEvent:
    """One event from ``AppClient.watch()``. ``cursor`` is absent for what is reported on
    starting (secrets found behind, ``resync``)."""
    kind: str
    secret_id: Optional[str]
    uri: Optional[str]
    cursor: Optional[str]


@dataclass
class AccessInfo:
    target_tag: str
    scope_tag: str
    role: str


@dataclass
class SecretRevision:
    revision: int
    create_time: str
    update_time: str
    backend_name: str = "internal"
    expire_time: Optional[str] = None
    #: Strongbox: no application tracks it any more.
    obsolete: bool = False


@dataclass
class SecretValueResult:
    #: Key to base64 value, as libjuju gives it. Never ``None`` when revealed (libjuju#947).
    data: dict[str, str]
    value_ref: None = None


@dataclass
class SecretResult:
    uri: str
    label: Optional[str]
    latest_revision: int
    owner_tag: str
    description: str
    create_time: str
    update_time: str
    rotate_policy: str = "never"
    version: int = 1
    access: list[AccessInfo] = field(default_factory=list)
    revisions: list[SecretRevision] = field(default_factory=list)
    value: Optional[SecretValueResult] = None
    #: Strongbox: whether revisions no application tracks are removed.
    auto_prune: bool = False


def secret_result(detail: dict[str, Any], model_uuid: str,
                  value: Optional[SecretValueResult] = None) -> SecretResult:
    """A secret's detail from the API (``GET …/secrets/{id}``) in libjuju's shape."""
    owner = detail["owner"]
    owner_tag = f"model-{model_uuid}" if owner == "model" else f"application-{owner}"
    return SecretResult(
        uri=detail["uri"],
        label=detail.get("name"),
        latest_revision=detail["revision"],
        owner_tag=owner_tag,
        description=detail["description"],
        create_time=detail["created"],
        update_time=detail["updated"],
        rotate_policy=detail["rotation"],
        auto_prune=detail["auto_prune"],
        access=[AccessInfo(a["target"], a["scope"], a["role"]) for a in detail["access"]],
        revisions=[
            SecretRevision(r["revision"], r["created"], r["created"], obsolete=r["obsolete"])
            for r in detail["revisions"]
        ],
        value=value,
    )
