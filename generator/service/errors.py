"""Request errors answered as JSON ``{"error": ..., "field": ...}``."""

from __future__ import annotations

import functools

from starlette.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, error: str, field: str | None = None, headers: dict | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.field = field
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.error, "field": self.field}, status_code=self.status, headers=self.headers)


def bad(field: str, error: str) -> ApiError:
    return ApiError(400, error, field)


def answering_errors(handler):
    """An endpoint that answers its ``ApiError`` itself (mounted in any Starlette app, the
    service's or a test's, without the app's exception handler)."""

    @functools.wraps(handler)
    async def endpoint(request):
        try:
            return await handler(request)
        except ApiError as exc:
            return exc.response()

    return endpoint
