"""Anti-forgery tokens: every state-changing form carries its session's token (SR-11)."""

from __future__ import annotations

import hmac

from transfercheck.domain.accounts import Session


def csrf_ok(session: Session, token: str) -> bool:
    return hmac.compare_digest(session.csrf_token.encode(), token.encode())
