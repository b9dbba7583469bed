"""The ASGI application: API routers, web pages, error mapping, middleware."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from transfercheck import __version__
from transfercheck.bootstrap import Application
from transfercheck.entrypoints.api import (
    certificates,
    checks,
    dispositions,
    errors,
    items,
    records,
)
from transfercheck.entrypoints.api.middleware import BodySizeLimit, SecurityHeaders
from transfercheck.entrypoints.rate_limits import CertificateLimits, RateLimited
from transfercheck.entrypoints.web import certificates as certificate_pages
from transfercheck.entrypoints.web import examiner, pages, staff


def create_app(application: Application) -> FastAPI:
    app = FastAPI(
        title="transfercheck",
        version=__version__,
        description="Universal background checks for firearm transfers.",
    )
    app.state.application = application
    app.state.certificate_limits = CertificateLimits(application.clock)
    errors.install(app)
    app.include_router(checks.router)
    app.include_router(records.router)
    app.include_router(items.router)
    app.include_router(certificates.router)
    app.include_router(dispositions.router)
    app.include_router(pages.router)
    app.include_router(certificate_pages.router)
    app.include_router(staff.router)
    app.include_router(examiner.router)
    static = resources.files("transfercheck.entrypoints.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.exception_handler(pages.LoginRequired)
    async def _to_login(_: Request, __: pages.LoginRequired) -> RedirectResponse:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(RateLimited)
    async def _slow_down(_: Request, exc: RateLimited) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after_seconds)}
        return errors.error_response(429, "rate_limited", str(exc), headers)

    @app.exception_handler(staff.StaffLoginRequired)
    async def _to_staff_login(_: Request, __: staff.StaffLoginRequired) -> RedirectResponse:
        return RedirectResponse("/review/login", status_code=303)

    @app.exception_handler(staff.StaffForbidden)
    async def _staff_forbidden(request: Request, exc: staff.StaffForbidden) -> Response:
        return staff.message_page(
            request, exc.session, "Not allowed", "Only a supervisor may do this.", 403
        )

    @app.get("/health/live", tags=["health"])
    def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"])
    def ready() -> JSONResponse:
        if application.is_ready():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "not ready"}, status_code=503, headers={"Retry-After": "5"})

    app.add_middleware(
        BodySizeLimit,
        max_bytes=application.settings.max_body_bytes,
        # Bulk record files are streamed to disk, so they may be far larger.
        exceptions={"/v1/records/imports": application.settings.max_import_bytes},
    )
    app.add_middleware(SecurityHeaders)
    return app
