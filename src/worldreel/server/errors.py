"""Errors as OpenAI's API shapes them: `{"error": {"message", "type", "param", "code"}}` with
the status the SDK maps to its exception classes (400, 401, 404, 413, 429)."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from worldreel.errors import WorldReelError

TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
         404: "not_found_error", 405: "invalid_request_error", 409: "conflict_error",
         413: "invalid_request_error", 415: "invalid_request_error",
         429: "rate_limit_exceeded", 500: "server_error"}


class APIError(Exception):
    """An error a client caused (or the server's own), with the message saying what to change."""

    def __init__(self, status: int, message: str, *, param: str | None = None,
                 code: str | None = None, details: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.details, self.headers = details, headers


def error_body(status: int, message: str, param: str | None = None, code: str | None = None,
               details: list[dict] | None = None) -> dict:
    error = {"message": message, "type": TYPES.get(status, "invalid_request_error"),
             "param": param, "code": code}
    if details:
        error["details"] = details
    return {"error": error}


def error_response(status: int, message: str, **fields) -> JSONResponse:
    headers = fields.pop("headers", None)
    return JSONResponse(error_body(status, message, **fields), status_code=status,
                        headers=headers)


async def api_error(request: Request, exc: APIError) -> JSONResponse:
    return error_response(exc.status, exc.message, param=exc.param, code=exc.code,
                          details=exc.details, headers=exc.headers)


async def worldreel_error(request: Request, exc: WorldReelError) -> JSONResponse:
    return error_response(400, str(exc), code="invalid_request")


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = [{"param": ".".join(str(p) for p in e["loc"][1:]) or None,
                "message": e["msg"].removeprefix("Value error, ")} for e in exc.errors()]
    first = details[0] if details else {"param": None, "message": "malformed request"}
    where = f"{first['param']}: " if first["param"] else ""
    return error_response(400, f"{where}{first['message']}", param=first["param"],
                          code="invalid_request", details=details)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    messages = {404: f"no such route: {request.method} {request.url.path}",
                405: f"{request.method} is not allowed on {request.url.path}"}
    return error_response(exc.status_code, messages.get(exc.status_code, str(exc.detail)),
                          headers=getattr(exc, "headers", None))
