"""`transfercheck serve` hands uvicorn an application whose start-up heap is frozen."""

from __future__ import annotations

import gc
from typing import Any

import pytest
import uvicorn

from transfercheck.bootstrap import Application
from transfercheck.entrypoints import cli


def test_the_start_up_heap_is_left_out_of_full_collections(
    application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full collection over the index and the model stopped every request for 0.4 s at
    # 20,000 records; objects made before serving must be frozen when uvicorn starts.
    frozen_at_start: list[int] = []

    def run(app: Any, **_: Any) -> None:
        frozen_at_start.append(gc.get_freeze_count())

    monkeypatch.setattr(uvicorn, "run", run)
    try:
        cli._serve(application, "127.0.0.1", 8999)
    finally:
        gc.unfreeze()
    assert len(frozen_at_start) == 1
    assert frozen_at_start[0] > 0
