"""Snapshots: an index saved and loaded finds and scores exactly as before, and still
takes inserts, updates and deletes; a broken snapshot is refused with a clear reason."""

from __future__ import annotations

import ast
import json
import mmap
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from tests.unit.matching.matching_helpers import person, synthetic_identities
from transfercheck.domain.identities import PersonName
from transfercheck.matching import (
    IdentityIndex,
    Matcher,
    SnapshotError,
    load_default_model,
    load_snapshot,
    save_snapshot,
)
from transfercheck.matching import snapshot as snapshot_module

MODEL = load_default_model()
MATCHING = Path(snapshot_module.__file__).parent
PEOPLE = {f"p{i}": p for i, p in enumerate(synthetic_identities(300, seed=5))}
BUYERS = [p for _, p in list(PEOPLE.items())[::7]] + [person("Bill", "Smyth")]


def built() -> IdentityIndex:
    index = IdentityIndex(max_block_size=50)
    index.add_many(PEOPLE.items())
    index.add("smith", person("William", "Smith", aliases=(PersonName("Vasily", "Kuznetsov"),)))
    index.remove("p3")
    index.add("p4", person("Maria", "Garcia", date(1990, 1, 2)))  # an update
    return index


def results(index: IdentityIndex) -> list[list[tuple[str, float]]]:
    matcher = Matcher(MODEL, index)
    return [
        [(c.record_id, round(c.probability, 12)) for c in matcher.find_candidates(b)]
        for b in BUYERS
    ]


@pytest.mark.parametrize("mmap", [True, False], ids=["mapped", "read"])
def test_a_loaded_snapshot_answers_like_the_index_it_came_from(tmp_path: Path, mmap: bool) -> None:
    index = built()
    before = results(index)
    save_snapshot(index, tmp_path / "snap")
    loaded = load_snapshot(tmp_path / "snap", mmap=mmap)
    assert len(loaded) == len(index) == 300
    assert results(loaded) == before
    assert "p3" not in loaded
    assert "p4" in loaded
    assert loaded.identity("smith").names[1].family == ("kuznetsov",)
    assert loaded.max_block_size == 50


def test_big_arrays_are_memory_mapped(tmp_path: Path) -> None:
    save_snapshot(built(), tmp_path / "snap")
    loaded = load_snapshot(tmp_path / "snap")
    assert mapped(loaded.postings.keys)
    assert mapped(loaded.table.column("dob"))


def mapped(array: object) -> bool:
    """True when the array's memory comes from a memory-mapped file."""
    while array is not None:
        if isinstance(array, np.memmap | mmap.mmap):
            return True
        array = getattr(array, "base", None)
    return False


def test_a_loaded_snapshot_takes_inserts_updates_and_deletes(tmp_path: Path) -> None:
    save_snapshot(built(), tmp_path / "snap")
    loaded = load_snapshot(tmp_path / "snap")
    loaded.add("new", person("Olusegun", "Okafor", date(1975, 6, 1)))
    loaded.update("smith", person("Wilhelmina", "Smithers", date(1961, 2, 2)))
    assert loaded.remove("p5") is True
    matcher = Matcher(MODEL, loaded)
    assert (
        matcher.find_candidates(person("Olusegun", "Okafor", date(1975, 6, 1)))[0].record_id
        == "new"
    )
    assert not [
        c for c in matcher.find_candidates(person("Vasily", "Kuznetsov")) if c.record_id == "smith"
    ]
    assert "p5" not in loaded
    assert len(loaded) == 300
    # And it saves again over the old snapshot, which it was reading from.
    save_snapshot(loaded, tmp_path / "snap")
    again = load_snapshot(tmp_path / "snap")
    assert len(again) == 300
    assert "new" in again
    assert "p5" not in again


def test_a_folder_without_a_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="not an index snapshot"):
        load_snapshot(tmp_path)


def test_another_format_is_refused(tmp_path: Path) -> None:
    save_snapshot(built(), tmp_path / "snap")
    manifest = tmp_path / "snap" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format"] = "something/else@9"
    manifest.write_text(json.dumps(data))
    with pytest.raises(SnapshotError, match="format"):
        load_snapshot(tmp_path / "snap")


def test_a_missing_array_is_refused(tmp_path: Path) -> None:
    save_snapshot(built(), tmp_path / "snap")
    (tmp_path / "snap" / "postings.keys.npy").unlink()
    with pytest.raises(SnapshotError, match=r"postings\.keys\.npy is missing"):
        load_snapshot(tmp_path / "snap")


def test_a_snapshot_of_other_matching_code_is_refused(tmp_path: Path) -> None:
    save_snapshot(built(), tmp_path / "snap")
    manifest = tmp_path / "snap" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["code"] = "0" * 64
    manifest.write_text(json.dumps(data))
    with pytest.raises(SnapshotError, match="other matching code"):
        load_snapshot(tmp_path / "snap")


def _matching_imports(module: str) -> set[str]:
    tree = ast.parse((MATCHING / f"{module}.py").read_text())
    return {
        node.module.rsplit(".", 1)[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("transfercheck.matching.")
    }


def test_the_code_digest_covers_every_module_that_builds_a_snapshot() -> None:
    # Everything the index and the snapshot import, directly or not, shapes what a snapshot
    # holds; a module left out of the digest would let a changed rule read an old snapshot.
    reached, todo = set(), ["index", "snapshot"]
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo.extend(_matching_imports(module))
    assert reached <= set(snapshot_module._SNAPSHOT_MODULES)
    assert "name_scoring" not in snapshot_module._SNAPSHOT_MODULES  # scoring is not in it
