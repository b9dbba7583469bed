"""Identity matching: who in the index may the buyer be, how likely, and why.

The service layer needs only this surface:

    model = load_default_model()
    index = IdentityIndex()
    index.add(record.record_id, record.subject)        # and index.remove(record_id)
    matcher = Matcher(model, index)
    candidates = matcher.find_candidates(buyer_identity, min_probability=0.01)
    matcher.model_version                               # record it with the decision
    save_snapshot(index, path); index = load_snapshot(path)  # seconds, memory-mapped

Modules, in pipeline order: text (unicode to ASCII words), normalise (names and
identities), query (name and date readings), blocking (keys), comparisons (levels per
field, the reference rules), model (m/u weights, model file), explain (examiner
sentences), matcher (all of it together). The index is columnar: pool (interned strings),
columns (growable arrays), table (records as columns), postings (keys to rows), record_ids
(ids to rows), index (all of it, with updates), snapshot (save and memory-mapped load);
scoring and name_scoring apply the comparison rules to whole batches of candidates in
NumPy; training fits the model without labels.
"""

from transfercheck.matching.index import BlockLookup, IdentityIndex
from transfercheck.matching.matcher import CandidateSearch, Matcher
from transfercheck.matching.model import (
    MatchModel,
    ModelFileError,
    load_default_model,
    model_from_json,
    parse_model,
)
from transfercheck.matching.snapshot import SnapshotError, load_snapshot, save_snapshot

__all__ = [
    "BlockLookup",
    "CandidateSearch",
    "IdentityIndex",
    "MatchModel",
    "Matcher",
    "ModelFileError",
    "SnapshotError",
    "load_default_model",
    "load_snapshot",
    "model_from_json",
    "parse_model",
    "save_snapshot",
]
