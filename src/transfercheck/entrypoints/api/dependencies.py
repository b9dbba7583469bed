"""Request-scoped dependencies: the application, the authenticated dealer, JSON bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from transfercheck.bootstrap import Application
from transfercheck.domain.errors import NotAuthenticated
from transfercheck.services.accounts import authenticate_api_key


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, one hand-over (and a wait for the GIL) per dependency per request.
async def application(request: Request) -> Application:
    app: Application = request.app.state.application
    return app


AppDep = Annotated[Application, Depends(application)]


def bearer_token(authorization: str | None, what: str) -> str:
    """The token of `Authorization: Bearer <token>`; NotAuthenticated naming `what`."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(f"send 'Authorization: Bearer <{what}>'")
    return token.strip()


def dealer_id(app: AppDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The dealer behind `Authorization: Bearer <api key>`."""
    return authenticate_api_key(bearer_token(authorization, "API key"), app.unit_of_work)


DealerId = Annotated[str, Depends(dealer_id)]


async def require_json(content_type: Annotated[str | None, Header()] = None) -> None:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, "send the body as application/json")
