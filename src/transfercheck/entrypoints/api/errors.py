"""Domain errors -> HTTP, in one place. Bodies never echo the input (it may hold PII)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from transfercheck.domain.errors import (
    Conflict,
    Forbidden,
    IdempotencyConflict,
    NotAuthenticated,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)

log = logging.getLogger(__name__)


def error_response(
    status: int, error: str, detail: object, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _loc(location: str) -> list[str]:
    return location.split(".")


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "loc": list(e["loc"]),
                "msg": str(e["msg"]).removeprefix("Value error, "),
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        return error_response(422, "validation_failed", detail)

    @app.exception_handler(ValidationFailed)
    async def _invalid_domain(_: Request, exc: ValidationFailed) -> JSONResponse:
        detail = [
            {"loc": ["body", *_loc(p.location)], "msg": p.message, "type": "value_error"}
            for p in exc.problems
        ]
        return error_response(422, "validation_failed", detail)

    @app.exception_handler(IdempotencyConflict)
    async def _key_reused(_: Request, exc: IdempotencyConflict) -> JSONResponse:
        return error_response(422, "idempotency_key_reused", str(exc))

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, "not_found", f"no such {exc.what}")

    @app.exception_handler(NotAuthenticated)
    async def _unauthenticated(_: Request, exc: NotAuthenticated) -> JSONResponse:
        return error_response(401, "not_authenticated", str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def _forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return error_response(403, "forbidden", str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        return error_response(409, "conflict", str(exc))

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(_: Request, exc: ServiceUnavailable) -> JSONResponse:
        return _retry_later(exc.retry_after_seconds)

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database error: %s", exc.__class__.__name__)
        return _retry_later(5)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {
            404: "not_found",
            405: "method_not_allowed",
            413: "body_too_large",
            415: "unsupported_media_type",
        }
        return error_response(
            exc.status_code, names.get(exc.status_code, "http_error"), exc.detail, exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "an internal error occurred")


def _retry_later(seconds: int) -> JSONResponse:
    return error_response(
        503,
        "service_unavailable",
        "the service cannot answer checks right now; retry with the same Idempotency-Key",
        {"Retry-After": str(seconds)},
    )
