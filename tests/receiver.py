"""A local webhook receiver for tests: records every POST, and can be told to fail."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes
    status: int


@dataclass
class Receiver:
    url: str
    deliveries: list[Delivery] = field(default_factory=list)
    fail_next: int = 0  # answer 503 to this many requests first

    @property
    def accepted(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.status == 200]


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                status = 503 if receiver.fail_next > 0 else 200
                receiver.fail_next = max(receiver.fail_next - 1, 0)
                receiver.deliveries.append(
                    Delivery(self.path, dict(self.headers), json.loads(raw), raw, status)
                )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
