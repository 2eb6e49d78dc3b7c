"""The same API without ``await``, for scripts: ``strongbox.sync.Connection(...).model("prod")
.add_secret(...)``. Each object runs its calls on one private event loop."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Iterator

from . import app, connection


class _Sync:
    """Wraps an async object: its coroutines run to completion, its async iterators become
    lists, and the objects it returns (a model, a secret) are wrapped the same way."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attribute(*args, **kwargs)
            # ``watch`` never ends: its events are handed out one by one, not gathered.
            if name == "watch" and inspect.isasyncgen(result):
                return self._drain(result)
            return self._wrap(result)

        return call

    def _wrap(self, result: Any) -> Any:
        if inspect.isawaitable(result):
            result = self._loop.run_until_complete(result)
        if inspect.isasyncgen(result):
            return list(self._drain(result))
        if type(result).__module__.startswith("strongbox.") and hasattr(result, "__dict__") \
                and any(inspect.iscoroutinefunction(getattr(result, n, None))
                        for n in dir(type(result)) if not n.startswith("__")):
            return _Sync(result, self._loop)
        return result

    def _drain(self, generator: Any) -> Iterator[Any]:
        while True:
            try:
                yield self._loop.run_until_complete(generator.__anext__())
            except StopAsyncIteration:
                return


def Connection(*args: Any, **kwargs: Any) -> Any:
    """``strongbox.Connection``, with plain calls."""
    return _Sync(connection.Connection(*args, **kwargs), asyncio.new_event_loop())


def AppClient(*args: Any, **kwargs: Any) -> Any:
    """``strongbox.AppClient``, with plain calls."""
    return _Sync(app.AppClient(*args, **kwargs), asyncio.new_event_loop())
