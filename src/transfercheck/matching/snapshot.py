"""Index snapshots: the index's arrays as .npy files in a folder, loaded memory-mapped.

A snapshot is what lets a new API process serve checks seconds after it starts instead of
normalising ten million records again. `save_snapshot` compacts the index (dead rows out,
pending postings merged) and writes every array with `np.save` plus a manifest naming
the format, the record count and each array's dtype and shape; it writes into a fresh
folder and renames it into place, so a reader never sees half a snapshot.

`load_snapshot` maps the big arrays (postings, record columns, ids) read-only from the
files: the operating system pages them in as look-ups touch them, and processes that load
the same snapshot share those pages. Only the string pool is read into Python objects.
The loaded index takes inserts, updates and deletes like any other: a mapped column is
copied into memory the first time it must change.

A snapshot also names the matching code that built it (a digest of the modules that
normalise and key the records, and of the libraries they use): normalised names and blocking
keys are that code's output, so a snapshot from other code is refused rather than silently
read with other rules. `extra` arrays ride along in the
same folder, under the same atomic rename (the record versions of `services.index_loading`).
"""

from __future__ import annotations

import hashlib
import json
import mmap as mmap_module
import os
import shutil
import tempfile
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from transfercheck.domain.errors import TransferCheckError
from transfercheck.matching.index import IdentityIndex

SNAPSHOT_FORMAT = "transfercheck/index-snapshot@1"
MANIFEST = "manifest.json"
# Arrays read into memory rather than mapped: small, and decoded into Python anyway.
_READ_WHOLE = ("pool.",)
_EXTRA = "extra."


class SnapshotError(TransferCheckError):
    """A snapshot folder is missing, incomplete or of another format."""


# The modules whose output a snapshot holds (normalised names, pool features, blocking
# keys, the arrays' layout) and the libraries they call. Scoring, the model and the
# explanations read a snapshot but are not in it: changing them must not force a rebuild
# of ten million records at the next start.
_SNAPSHOT_MODULES = (
    "blocking", "bulk", "columns", "index", "nickname_table", "normalise", "phonetic", "pool",
    "postings", "query", "record_ids", "snapshot", "sorted_runs", "table", "text",
)  # fmt: skip
_SNAPSHOT_LIBRARIES = ("jellyfish", "nicknames")


def code_digest() -> str:
    """A digest of the code that normalises and keys the records: the modules that build a
    snapshot's contents and the versions of the libraries they use."""
    return _CODE_DIGEST


def _digest_of_source() -> str:
    digest = hashlib.sha256()
    package = resources.files(__package__)
    for name in _SNAPSHOT_MODULES:
        digest.update(name.encode() + b"\0" + package.joinpath(f"{name}.py").read_bytes())
    for library in _SNAPSHOT_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()


# Taken when the process imports this package, so it names the code the process runs even
# if the files are replaced later (an upgrade in place while an old process still writes).
_CODE_DIGEST = _digest_of_source()


def save_snapshot(
    index: IdentityIndex, directory: Path, extra: dict[str, NDArray[Any]] | None = None
) -> None:
    """Write the index (and `extra` arrays) to `directory`, replaced if it exists, atomically."""
    arrays = index.to_arrays()
    arrays.update({f"{_EXTRA}{name}": array for name, array in (extra or {}).items()})
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for name, array in arrays.items():
            np.save(staging / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        manifest = {
            "format": SNAPSHOT_FORMAT,
            "code": code_digest(),
            "records": len(index),
            "max_block_size": index.max_block_size,
            "arrays": {
                n: {"dtype": a.dtype.str, "shape": list(a.shape)} for n, a in arrays.items()
            },
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load_snapshot(directory: Path, mmap: bool = True) -> IdentityIndex:
    """An index from a snapshot folder; big arrays memory-mapped unless `mmap` is False."""
    return load_snapshot_with_extra(directory, mmap)[0]


def load_snapshot_with_extra(
    directory: Path, mmap: bool = True
) -> tuple[IdentityIndex, dict[str, NDArray[Any]]]:
    """The index and the `extra` arrays saved with it, read from one and the same folder."""
    directory = Path(directory)
    manifest = _manifest(directory)
    arrays: dict[str, NDArray[Any]] = {}
    for name, spec in manifest["arrays"].items():
        path = directory / f"{name}.npy"
        if not path.is_file():
            raise SnapshotError(f"{directory}: array file {path.name} is missing")
        mapped = mmap and not name.startswith(_READ_WHOLE)
        array = np.load(path, mmap_mode="r" if mapped else None, allow_pickle=False)
        if array.dtype.str != spec["dtype"] or list(array.shape) != spec["shape"]:
            raise SnapshotError(f"{directory}: {path.name} does not match the manifest")
        # A plain ndarray view of the map: same pages, without np.memmap's per-slice cost.
        arrays[name] = np.asarray(array)
        if mapped:
            _fault_in(arrays[name])
    extra = {n: arrays.pop(n) for n in [n for n in arrays if n.startswith(_EXTRA)]}
    index = IdentityIndex.from_arrays(arrays, int(manifest["max_block_size"]))
    if len(index) != manifest["records"]:
        raise SnapshotError(f"{directory}: holds {len(index)} records, manifest says otherwise")
    return index, {n.removeprefix(_EXTRA): a for n, a in extra.items()}


_PAGE = mmap_module.PAGESIZE


def _fault_in(array: NDArray[Any]) -> None:
    """Map every page of a mapped array now, one byte read per page. Otherwise the first
    few thousand checks after a start each pay for the pages their look-ups touch first
    (p99 of one check at 1,000,000 records: 8.5 ms on the first pass, 4.3 ms after); a
    second process loading the same snapshot maps the pages the first already read."""
    if array.nbytes:
        int(array.reshape(-1).view(np.uint8)[::_PAGE].sum())


def _manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{directory}: no {MANIFEST}; not an index snapshot") from None
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{path}: not valid JSON ({error.msg})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(f"{path}: format must be {SNAPSHOT_FORMAT!r}")
    if manifest.get("code") != code_digest():
        raise SnapshotError(f"{directory}: written by other matching code; build it again")
    return manifest


def _replace(staging: Path, directory: Path) -> None:
    """Move `staging` to `directory`; an old snapshot there is removed only afterwards."""
    if directory.exists():
        retired = directory.with_name(f".{directory.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        os.replace(directory, retired)
        os.replace(staging, directory)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, directory)
