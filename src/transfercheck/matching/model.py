"""The Fellegi-Sunter match model: per field and level an m and a u probability.

A level's weight is log2(m/u) bits. A pair's match weight is the prior's weight,
log2(lambda / (1 - lambda)), plus the weights of its levels (a field with no evidence adds
nothing), plus a small cost when the names agree only in a swapped reading. The match
probability is 2^w / (1 + 2^w).

Parameters are data: a versioned JSON file, validated on load with every problem named.
The layout is the one an EM fit needs: fields in a fixed order, levels 0..k per field,
one gamma vector (a level per field, -1 for no evidence) per pair.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any, TypeGuard

import numpy as np
from numpy.typing import NDArray

from transfercheck.domain.errors import Problem, TransferCheckError
from transfercheck.matching.comparisons import COMPARISONS, NO_EVIDENCE, Comparison
from transfercheck.matching.query import Orientation

MODEL_FORMAT = "transfercheck/fs-model@1"
DEFAULT_MODEL_FILE = "fs-v5.json"
_SUM_TOLERANCE = 1e-6


class ModelFileError(TransferCheckError):
    """A match model file is malformed; every problem is named with its location."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class LevelParameters:
    label: str
    m: float
    u: float
    note: str = ""

    @property
    def weight(self) -> float:
        """log2(m/u): bits of evidence for a match when a pair falls on this level."""
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class FieldParameters:
    field: str
    unique_identifier: bool
    levels: tuple[LevelParameters, ...]
    note: str = ""


@dataclass(frozen=True)
class TermFrequency:
    """Exact agreement on a common value is worth less than on a rare one.

    The exact level's weight log2(m/u) uses the average chance agreement u. For a value
    that a share f of the index's names carry, the chance agreement is f, so the weight
    becomes log2(m/f): the adjustment log2(u/f) is added (negative for Garcia, positive
    for a rare name). f is floored at `min_frequency` so a value seen once cannot claim
    unbounded evidence.
    """

    field: str  # "given_name", "middle_name" or "family_name"
    min_frequency: float


@dataclass(frozen=True)
class UnknownName:
    """When a given or family name disagrees: is the buyer's name one no record carries?

    Such a name is most often a slip on the form that the typo rules could not bridge, so
    the disagreement counts less (`unknown_bits` >= 0 is added); a name some record carries
    is likelier another person's, so it counts more (`known_bits` <= 0 is added). Both are
    log2 ratios of how often true and false pairs fall on each side, fitted by EM.
    """

    field: str  # "given_name" or "family_name"
    unknown_bits: float
    known_bits: float


@dataclass(frozen=True)
class MatchModel:
    version: str
    prior: float  # lambda: probability that a random buyer-record pair is one person
    fields: tuple[FieldParameters, ...]  # in the order of comparisons.COMPARISONS
    orientation_bits: tuple[tuple[str, float], ...]
    notes: tuple[str, ...] = ()
    # The index size `prior` was set for; None when the prior does not scale with size.
    reference_records: int | None = None
    term_frequency: tuple[TermFrequency, ...] = ()
    # Added when given names differ while family name and date of birth agree (twins,
    # siblings): that pattern is far commoner among different people than independence
    # of the fields predicts. 0 for models without the term.
    relatives_bits: float = 0.0
    # Split of the given and family names' disagreement by whether the buyer's name is
    # carried by any record; empty for models without the term.
    unknown_names: tuple[UnknownName, ...] = ()

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def prior_weight_for(self, records: int) -> float:
        """The prior for an index of `records` records.

        A check's expected number of true matches does not depend on the index size, so
        the chance that one given record is the buyer falls as the index grows: lambda
        scales as reference_records / records. Indexes smaller than the reference keep
        the reference prior (tests and demo sets are tiny; the matcher must not grow
        bolder on them).
        """
        if self.reference_records is None or records <= self.reference_records:
            return self.prior_weight
        prior = self.prior * self.reference_records / records
        return math.log2(prior / (1.0 - prior))

    def term_frequency_for(self, field: str) -> TermFrequency | None:
        return next((t for t in self.term_frequency if t.field == field), None)

    def unknown_name_for(self, field: str) -> UnknownName | None:
        return next((t for t in self.unknown_names if t.field == field), None)

    def level_weight(self, field_index: int, level: int) -> float:
        """Weight of one field's level; no evidence weighs nothing."""
        if level == NO_EVIDENCE:
            return 0.0
        return self.fields[field_index].levels[level].weight

    def orientation_weight(self, orientation: Orientation) -> float:
        return dict(self.orientation_bits)[orientation.value]

    def match_weight(self, gamma: Sequence[int], orientation_bits: float = 0.0) -> float:
        """Prior plus the weight of every field's level: the pair's total log2 Bayes factor."""
        fields = sum(self.level_weight(i, level) for i, level in enumerate(gamma))
        return self.prior_weight + fields + orientation_bits

    def match_weights(
        self, gammas: NDArray[np.int_], orientation_bits: NDArray[np.float64] | None = None
    ) -> NDArray[np.float64]:
        """`match_weight` for a batch: one row per pair, one column per field."""
        table = self.weight_table()
        no_evidence = gammas == NO_EVIDENCE
        picked = table[np.arange(table.shape[0]), np.where(no_evidence, 0, gammas)]
        total: NDArray[np.float64] = np.where(no_evidence, 0.0, picked).sum(axis=1)
        if orientation_bits is not None:
            total = total + orientation_bits
        return total + self.prior_weight

    def identifier_agrees(self, gamma: Sequence[int]) -> bool:
        """True only when a unique identifier field is at its exact level (level 0)."""
        return any(f.unique_identifier and g == 0 for f, g in zip(self.fields, gamma, strict=True))

    @cached_property
    def _weights(self) -> NDArray[np.float64]:
        width = max(len(f.levels) for f in self.fields)
        table = np.zeros((len(self.fields), width))
        for i, spec in enumerate(self.fields):
            table[i, : len(spec.levels)] = [level.weight for level in spec.levels]
        table.flags.writeable = False
        return table

    def weight_table(self) -> NDArray[np.float64]:
        """Weights as a (field, level) array, padded with zeros; built once per model."""
        return self._weights


def probability(match_weight: float) -> float:
    """2^w / (1 + 2^w), computed without overflow for any weight."""
    if match_weight >= 0:
        return 1.0 / (1.0 + math.pow(2.0, -min(match_weight, 1024.0)))
    odds = math.pow(2.0, max(match_weight, -1074.0))
    return odds / (1.0 + odds)


def probabilities(match_weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """`probability` for an array of weights."""
    clipped = np.clip(match_weights, -1074.0, 1024.0)
    return 1.0 / (1.0 + np.exp2(-clipped))


def load_default_model() -> MatchModel:
    """The model shipped with the package (models/, the file DEFAULT_MODEL_FILE names)."""
    package = resources.files("transfercheck.matching")
    source = package.joinpath("models").joinpath(DEFAULT_MODEL_FILE)
    return model_from_json(source.read_text(encoding="utf-8"), DEFAULT_MODEL_FILE)


def model_from_json(text: str, source: str = "<model>") -> MatchModel:
    """Parse and validate a model file's text; raises ModelFileError naming every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelFileError(source, [Problem(f"line {error.lineno}", error.msg)]) from None
    return parse_model(data, source)


def parse_model(data: Any, source: str = "<model>") -> MatchModel:
    """Validate a decoded model file against the comparison levels the code defines."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ModelFileError(source, [Problem("$", "the model must be a JSON object")])
    if data.get("format") != MODEL_FORMAT:
        problems.append(Problem("format", f"must be {MODEL_FORMAT!r}"))
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(Problem("version", "must be a non-empty string"))
    prior = _prior(data.get("prior"), problems)
    orientations = _orientations(data.get("name_orientations"), problems)
    fields = _fields(data.get("fields"), problems)
    notes = data.get("notes", [])
    reference = _reference_records(data.get("prior"), problems)
    frequencies = _term_frequencies(data.get("term_frequency", {}), problems)
    relatives = _relatives(data.get("relatives", {"bits": 0.0}), problems)
    unknown_names = _unknown_names(data.get("unknown_names", {}), problems)
    if problems:
        raise ModelFileError(source, problems)
    return MatchModel(str(version), prior, fields, orientations, tuple(map(str, notes)),
                      reference, frequencies, relatives, unknown_names)  # fmt: skip


_UNKNOWN_NAME_FIELDS = ("given_name", "family_name")


def _unknown_names(raw: Any, problems: list[Problem]) -> tuple[UnknownName, ...]:
    out = []
    for field, where, spec in _field_sections(raw, "unknown_names", _UNKNOWN_NAME_FIELDS, problems):
        unknown, known = spec.get("unknown_bits"), spec.get("known_bits")
        if not _is_number(unknown) or not math.isfinite(unknown) or unknown < 0:
            problems.append(Problem(f"{where}.unknown_bits", "must be a number >= 0"))
            continue
        if not _is_number(known) or not math.isfinite(known) or known > 0:
            problems.append(Problem(f"{where}.known_bits", "must be a number <= 0"))
            continue
        out.append(UnknownName(field, float(unknown), float(known)))
    return tuple(out)


def _field_sections(
    raw: Any, section: str, allowed: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(field, location, settings) of a section keyed by name field; unknown fields and a
    section that is not an object are reported."""
    if not isinstance(raw, dict):
        problems.append(Problem(section, "must be an object"))
        return
    for field, spec in raw.items():
        where = f"{section}.{field}"
        if field not in allowed:
            problems.append(Problem(where, f"applies only to {allowed}"))
            continue
        yield field, where, spec if isinstance(spec, dict) else {}


def _relatives(raw: Any, problems: list[Problem]) -> float:
    bits = raw.get("bits") if isinstance(raw, dict) else None
    if not _is_number(bits) or not math.isfinite(bits) or bits > 0:
        problems.append(Problem("relatives.bits", "must be a number <= 0"))
        return 0.0
    return float(bits)


def _reference_records(raw: Any, problems: list[Problem]) -> int | None:
    value = raw.get("reference_records") if isinstance(raw, dict) else None
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        problems.append(Problem("prior.reference_records", "must be a positive integer"))
        return None
    return value


_TF_FIELDS = ("given_name", "middle_name", "family_name")


def _term_frequencies(raw: Any, problems: list[Problem]) -> tuple[TermFrequency, ...]:
    out = []
    for field, where, spec in _field_sections(raw, "term_frequency", _TF_FIELDS, problems):
        floor = spec.get("min_frequency")
        if not _is_number(floor) or not 0.0 < floor < 1.0:
            problems.append(Problem(f"{where}.min_frequency", "must be a number in (0, 1)"))
            continue
        out.append(TermFrequency(field, float(floor)))
    return tuple(out)


def _prior(raw: Any, problems: list[Problem]) -> float:
    value = raw.get("lambda") if isinstance(raw, dict) else None
    if not _is_number(value) or not 0.0 < value < 1.0:
        problems.append(Problem("prior.lambda", "must be a number strictly between 0 and 1"))
        return 0.5
    return float(value)


def _orientations(raw: Any, problems: list[Problem]) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, dict):
        problems.append(Problem("name_orientations", "must be an object"))
        return ()
    expected = [o.value for o in Orientation]
    for unknown in sorted(set(raw) - set(expected)):
        problems.append(Problem(f"name_orientations.{unknown}", "unknown name orientation"))
    out: list[tuple[str, float]] = []
    for name in expected:
        bits = raw.get(name, {}).get("bits") if isinstance(raw.get(name), dict) else None
        if not _is_number(bits) or not math.isfinite(bits) or bits > 0:
            problems.append(Problem(f"name_orientations.{name}.bits", "must be a number <= 0"))
            continue
        out.append((name, float(bits)))
    return tuple(out)


def _fields(raw: Any, problems: list[Problem]) -> tuple[FieldParameters, ...]:
    if not isinstance(raw, dict):
        problems.append(Problem("fields", "must be an object"))
        return ()
    known = {c.field for c in COMPARISONS}
    for unknown in sorted(set(raw) - known):
        problems.append(Problem(f"fields.{unknown}", f"unknown field; expected {sorted(known)}"))
    out: list[FieldParameters] = []
    for comparison in COMPARISONS:
        if comparison.field not in raw:
            problems.append(Problem(f"fields.{comparison.field}", "missing field"))
            continue
        parsed = _field(comparison, raw[comparison.field], problems)
        if parsed is not None:
            out.append(parsed)
    return tuple(out)


def _field(comparison: Comparison, raw: Any, problems: list[Problem]) -> FieldParameters | None:
    where = f"fields.{comparison.field}"
    if not isinstance(raw, dict) or not isinstance(raw.get("levels"), list):
        problems.append(Problem(f"{where}.levels", "must be a list of levels"))
        return None
    if raw.get("unique_identifier") is not comparison.unique_identifier:
        problems.append(
            Problem(
                f"{where}.unique_identifier",
                f"must be {str(comparison.unique_identifier).lower()} for this field",
            )
        )
    before = len(problems)
    levels = [_level(f"{where}.levels[{i}]", r, problems) for i, r in enumerate(raw["levels"])]
    _check_labels(where, comparison.labels, [lv.label for lv in levels], problems)
    if len(problems) > before:
        return None
    for part in ("m", "u"):
        total = sum(getattr(lv, part) for lv in levels)
        if abs(total - 1.0) > _SUM_TOLERANCE:
            problems.append(Problem(where, f"{part} values sum to {total:.6g}; they must sum to 1"))
    return FieldParameters(comparison.field, comparison.unique_identifier, tuple(levels),
                           str(raw.get("note", "")))  # fmt: skip


def _level(where: str, raw: Any, problems: list[Problem]) -> LevelParameters:
    if not isinstance(raw, dict):
        problems.append(Problem(where, "must be an object with label, m and u"))
        return LevelParameters("", 1.0, 1.0)
    label = raw.get("label")
    if not isinstance(label, str) or not label:
        problems.append(Problem(f"{where}.label", "must be a non-empty string"))
        label = ""
    m = _probability(f"{where}.m", raw.get("m"), problems)
    u = _probability(f"{where}.u", raw.get("u"), problems)
    return LevelParameters(label, m, u, str(raw.get("note", "")))


def _probability(where: str, value: Any, problems: list[Problem]) -> float:
    if not _is_number(value) or not 0.0 < value <= 1.0:
        problems.append(Problem(where, f"must be a number in (0, 1], not {value!r}"))
        return 1.0
    return float(value)


def _check_labels(
    where: str, expected: tuple[str, ...], found: list[str], problems: list[Problem]
) -> None:
    missing = [label for label in expected if label not in found]
    unknown = [label for label in found if label and label not in expected]
    if missing:
        problems.append(Problem(f"{where}.levels", f"missing level(s): {', '.join(missing)}"))
    if unknown:
        problems.append(Problem(f"{where}.levels", f"unknown level(s): {', '.join(unknown)}"))
    if not missing and not unknown and tuple(found) != expected:
        problems.append(
            Problem(f"{where}.levels", f"levels must be in this order: {', '.join(expected)}")
        )


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
