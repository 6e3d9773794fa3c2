"""Request-size limits as ASGI middleware: a body over the limit is refused with 413 before it
is read into memory, whether or not the client said its length."""

from __future__ import annotations

import json

from worldreel.server.errors import error_body


class BodyLimit:
    """Refuse bodies larger than `upload_bytes` (multipart uploads) or `json_bytes` (the rest)."""

    def __init__(self, app, *, json_bytes: int, upload_bytes: int):
        self.app, self.json_bytes, self.upload_bytes = app, json_bytes, upload_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        limit = self.upload_bytes if kind == b"multipart/form-data" else self.json_bytes
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                return await _refuse(send, 400, "Content-Length is not a number")
            if too_big:
                return await _refuse(send, 413, _too_big(limit))
        seen = 0
        refused = False

        async def counted():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    raise _TooBig
            return message

        started = False

        async def tracked(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooBig:
            if not started:
                await _refuse(send, 413, _too_big(limit))
        except Exception:
            if refused and not started:  # the app wrapped our signal in its own error
                await _refuse(send, 413, _too_big(limit))
            else:
                raise


class _TooBig(Exception):
    pass


def _too_big(limit: int) -> str:
    return f"the request body is larger than {limit >> 20} MiB; send less"


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps(error_body(status, message, code="request_too_large" if status == 413
                                 else "invalid_request")).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
