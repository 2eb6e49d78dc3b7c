"""Errors carry the server's stable code and its message, as libjuju's JujuAPIError carries the
message. Nothing is retried after a write."""

from __future__ import annotations

from typing import Optional


class StrongboxError(Exception):
    """A refusal from the server, or a request that could not be made."""

    def __init__(self, message: str, error: str = "client", field: Optional[str] = None,
                 status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        #: The server's code, e.g. ``not_found``; ``client`` for what failed before sending.
        self.error = error
        #: The part of the request at fault, when the server names one (``name``, ``key`` …).
        self.field = field
        self.status = status


class BadRequestError(StrongboxError):
    """The request was refused as invalid (``invalid``, ``bad_request``, ``too_large``)."""


class UnauthenticatedError(StrongboxError):
    """No valid token or password."""


class ForbiddenError(StrongboxError):
    """The caller's access level does not allow this."""


class NotFoundError(StrongboxError):
    """The model, secret, revision or application does not exist (for the caller)."""


class ConflictError(StrongboxError):
    """A name already taken, or a revision that moved on (``expected_revision``)."""


class TooManyAttemptsError(StrongboxError):
    """Sign-in back-off: wait and try again."""


class TooManyStreamsError(StrongboxError):
    """The token or its application already holds as many event streams as it may."""


class BusyError(StrongboxError):
    """The server or its database is unavailable for now."""


class ServerError(StrongboxError):
    """The server failed; its message carries a reference id for its log."""


_BY_CODE: dict[str, type[StrongboxError]] = {
    "invalid": BadRequestError,
    "bad_request": BadRequestError,
    "busy": BusyError,
    "too_large": BadRequestError,
    "unauthenticated": UnauthenticatedError,
    "forbidden": ForbiddenError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "too_many_attempts": TooManyAttemptsError,
    "too_many_streams": TooManyStreamsError,
}


def from_body(status: int, error: str, message: str, field: Optional[str]) -> StrongboxError:
    """The exception for an error body ``{error, message, field?}``."""
    kind = _BY_CODE.get(error, ServerError)
    return kind(message, error=error, field=field, status=status)
