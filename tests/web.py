"""Helpers for tests that use the server-rendered pages the way a browser does."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response


def form_token(client: TestClient, url: str) -> str:
    """GET a page shown before a session exists; return its form token (the cookie half
    stays in the client's jar)."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    match = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def submit_login(client: TestClient, url: str, **fields: str) -> Response:
    """Fill in a login form as a browser would: load it, accept the system-use notice,
    then post it with its token (`acknowledge=""` leaves the notice unaccepted)."""
    data = {"acknowledge": "yes", **fields, "form_token": form_token(client, url)}
    return client.post(url, data=data)
