"""Delivery of outbox messages as webhooks: an HTTP POST of JSON to the recipient's URL.

Each request carries the message id (`Idempotency-Key`, so a receiver can drop a repeat)
and, when a shared secret is set, `X-Transfercheck-Signature: sha256=<HMAC of the body>`
so the receiver knows the message is ours. Anything but a 2xx answer is a failure the
worker retries; redirects are not followed (a message goes where it was addressed).
"""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from transfercheck.adapters.db.outbox import OutboxMessage
from transfercheck.domain.errors import DeliveryFailed


def body_of(message: OutboxMessage) -> bytes:
    return json.dumps(
        {
            "id": message.message_id,
            "kind": message.kind,
            "created_at": message.created_at.isoformat(),
            "payload": message.payload,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookTransport:
    def __init__(self, secret: str | None = None, timeout_seconds: float = 10.0) -> None:
        self._secret = secret
        self._timeout = timeout_seconds

    def send(self, url: str, message: OutboxMessage) -> None:
        body = body_of(message)
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.message_id,
            "X-Transfercheck-Event": message.kind,
        }
        if self._secret:
            headers["X-Transfercheck-Signature"] = signature(self._secret, body)
        try:
            response = httpx.post(
                url, content=body, headers=headers, timeout=self._timeout, follow_redirects=False
            )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__} from {url}") from error
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"HTTP {response.status_code} from {url}")
