"""Strongbox's secrets from Python: python-libjuju's secret methods on ``Model``, and the
application side's ``AppClient``. Async on httpx; ``strongbox.sync`` for plain calls."""

from .app import AppClient
from .connection import Connection
from .errors import (
    BadRequestError,
    BusyError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ServerError,
    StrongboxError,
    TooManyAttemptsError,
    TooManyStreamsError,
    UnauthenticatedError,
)
from .model import AuditEvent, Grant, Model, Secret, Webhook
from .review import ReviewItem, SignOff
from .results import AccessInfo, SecretEvent, SecretResult, SecretRevision, SecretValueResult

__all__ = [
    "AccessInfo",
    "AppClient",
    "AuditEvent",
    "BadRequestError",
    "BusyError",
    "ConflictError",
    "Connection",
    "ForbiddenError",
    "Grant",
    "Model",
    "NotFoundError",
    "ReviewItem",
    "Secret",
    "SecretResult",
    "SecretRevision",
    "SecretValueResult",
    "SecretEvent",
    "ServerError",
    "SignOff",
    "StrongboxError",
    "TooManyAttemptsError",
    "TooManyStreamsError",
    "UnauthenticatedError",
    "Webhook",
]
