"""Secret content from data arguments as the juju CLI and libjuju take them (``key=value``,
``key#base64=…``, ``key#file=path``) and from a YAML file, with Juju's key rule and texts.

Values are never trimmed: libjuju's ``rstrip`` dropped trailing ``P``, ``Q`` and ``=``
(python-libjuju#1275) and ``#file`` letters from keys. The server checks sizes."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Iterable

import yaml

from .errors import BadRequestError

_KEY = re.compile(r"^[a-z](?:-?[a-z0-9]){2,}$")

Content = dict[str, dict[str, str]]


def _key(key: str) -> str:
    if not _KEY.match(key):
        raise BadRequestError(f'key "{key}" not valid', error="invalid", field="key")
    return key


def _split(raw_key: str) -> tuple[str, str]:
    for suffix in ("#base64", "#file"):
        if raw_key.endswith(suffix):
            return raw_key[: -len(suffix)], suffix
    return raw_key, ""


def content(data_args: Iterable[str], file: str = "") -> Content:
    """``{"content": {…}, "content_base64": {…}}`` for the API; the file's keys win."""
    plain: dict[str, str] = {}
    encoded: dict[str, str] = {}
    for arg in data_args:
        # As Juju: trailing '=' (padding) is ignored only to find the separator.
        idx = arg.rstrip("=").find("=")
        if idx < 1:
            raise BadRequestError(f'key value "{arg}" not valid', error="invalid", field="key")
        raw_key, value = arg[:idx], arg[idx + 1:]
        key, suffix = _split(raw_key)
        _key(key)
        if suffix == "#base64":
            plain.pop(key, None)
            encoded[key] = value
        elif suffix == "#file":
            try:
                data = Path(value).read_bytes()
            except OSError as e:
                raise BadRequestError(f'cannot read file "{value}": {e}') from e
            plain.pop(key, None)
            encoded[key] = base64.b64encode(data).decode()
        else:
            encoded.pop(key, None)
            plain[key] = value
    if file:
        for raw_key, value in _document(file).items():
            key, suffix = _split(raw_key)
            _key(key)
            if suffix == "#base64":
                plain.pop(key, None)
                encoded[key] = value
            else:
                encoded.pop(key, None)
                plain[key] = value
    return {"content": plain, "content_base64": encoded}


def _document(path: str) -> dict[str, str]:
    try:
        loaded = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as e:
        raise BadRequestError(f"secret document not valid: {e}", error="invalid") from e
    if not isinstance(loaded, dict):
        raise BadRequestError("secret document not valid: expected a map of keys to values",
                              error="invalid")
    return {str(k): v if isinstance(v, str) else str(v) for k, v in loaded.items()}
