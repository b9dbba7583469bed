"""Identity matching: who in the index may the buyer be, how likely, and why.

The service layer needs only this surface:

    model = load_default_model()
    index = IdentityIndex()
    index.add(record.record_id, record.subject)        # and index.remove(record_id)
    matcher = Matcher(model, index)
    candidates = matcher.find_candidates(buyer_identity, min_probability=0.01)
    matcher.model_version                               # record it with the decision

Modules, in pipeline order: text (unicode to ASCII words), normalise (names and
identities), query (name and date readings), blocking (keys), index (blocks), comparisons
(levels per field), model (m/u weights, model file), explain (examiner sentences),
matcher (all of it together).
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

__all__ = [
    "BlockLookup",
    "CandidateSearch",
    "IdentityIndex",
    "MatchModel",
    "Matcher",
    "ModelFileError",
    "load_default_model",
    "model_from_json",
    "parse_model",
]
