"""The access review: which applications hold grants, and whether they use them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ._transport import Transport


@dataclass
class ReviewItem:
    """One grant and the usage behind it, as ``GET …/access-review`` gives it."""
    application: str
    secret_id: str
    secret_name: Optional[str]
    granted_by: str
    granted_at: str
    #: ``None`` when the application never read the secret.
    last_read_at: Optional[str]
    reads_30d: int
    #: ``None`` until the application's first tracked read.
    tracked_revision: Optional[int]
    latest_revision: int
    #: Any of ``never-read``, ``stale``, ``behind``, ``no-token``.
    flags: list[str] = field(default_factory=list)


@dataclass
class SignOff:
    id: int
    reviewed_by: str
    reviewed_at: str
    note: str
    grant_count: int
    grant_digest: str


class AccessReview:
    """The review's calls on a model; ``Model`` has them all."""

    _t: Transport
    _path: str

    def _review_params(self, stale_days: int, flags: Sequence[str],
                       application: Optional[str], secret: Optional[str],
                       fmt: str) -> dict[str, Any]:
        return {"stale_days": stale_days, "flag": list(flags) or None,
                "application": application, "secret": secret, "format": fmt}

    async def access_review(self, stale_days: int = 30, flags: Sequence[str] = (),
                            application: Optional[str] = None,
                            secret: Optional[str] = None) -> list[ReviewItem]:
        """The model's grants with their usage; ``flags`` keeps grants with any of them."""
        params = self._review_params(stale_days, flags, application, secret, "json")
        body = await self._t.call("GET", f"{self._path}/access-review", params=params)
        return [ReviewItem(**item) for item in body["items"]]

    async def access_review_csv(self, stale_days: int = 30, flags: Sequence[str] = (),
                                application: Optional[str] = None,
                                secret: Optional[str] = None) -> str:
        """The same review as CSV, with a header row."""
        params = self._review_params(stale_days, flags, application, secret, "csv")
        return await self._t.call_text("GET", f"{self._path}/access-review", params=params)

    async def sign_off_review(self, note: str = "") -> SignOff:
        """Records that the model's grants were reviewed (model admins)."""
        body = await self._t.call("POST", f"{self._path}/access-review/sign-off",
                                  json={"note": note})
        return SignOff(**body)

    async def review_sign_offs(self) -> list[SignOff]:
        """The model's sign-offs, newest first."""
        rows = await self._t.call("GET", f"{self._path}/access-review/sign-offs")
        return [SignOff(**r) for r in rows]

    async def revoke_grants(self, grants: Sequence[tuple[str, str]]) -> int:
        """Revokes (application, secret) grants together: all, or none if any is not a grant
        (model admins). Returns how many were revoked."""
        body = await self._t.call(
            "POST", f"{self._path}/access-review/revoke",
            json={"grants": [{"application": a, "secret": s} for a, s in grants]})
        return int(body["revoked"])
