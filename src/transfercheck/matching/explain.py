"""Sentences an examiner reads: why a candidate record scored as it did, field by field.

Every entry carries the weight it added, and the entries add up to the candidate's match
weight (the first entry is the prior), so the explanation is the computation itself.
Identifiers are described, never printed: explanations travel to screens and logs.
"""

from __future__ import annotations

from dataclasses import dataclass

from transfercheck.domain.identities import Sex
from transfercheck.domain.matches import FieldEvidence
from transfercheck.matching.comparisons import (
    COMPARISONS,
    DATE_OF_BIRTH,
    FAMILY_NAME,
    GIVEN_NAME,
    NAME_FIELD_COUNT,
    NO_EVIDENCE,
    SEX,
    DobLevel,
    FamilyLevel,
    GivenLevel,
    SexLevel,
    is_similar,
    is_typo,
)
from transfercheck.matching.model import MatchModel
from transfercheck.matching.normalise import NormalisedIdentity, NormalisedName, place_shown
from transfercheck.matching.query import NameVariant, Orientation
from transfercheck.matching.text import name_words

_PHRASES: dict[tuple[str, str], str] = {
    ("given_name", "exact"): "Given name agrees",
    ("given_name", "typo"): "Given names differ by one slip",
    ("given_name", "similar"): "Given names are spelling variants or sound alike",
    ("given_name", "initial"): "Given name is only an initial on one side, and it agrees",
    ("given_name", "disagree"): "Given names differ",
    ("given_name", "one_edit"): (
        "Short given names one letter apart (Kim/Oim): as likely another person's name as a slip"
    ),
    ("middle_name", "exact"): "Middle name agrees",
    ("middle_name", "initial"): "Middle names share their initial",
    ("middle_name", "disagree"): "Middle names differ",
    ("family_name", "exact"): "Family name agrees",
    ("family_name", "compound"): (
        "Family names share part of a compound name, or differ only by a particle such as "
        '"de" or "al"'
    ),
    ("family_name", "typo"): "Family names differ by one slip",
    ("family_name", "similar"): "Family names are spelling variants or sound alike",
    ("family_name", "disagree"): "Family names differ",
    ("family_name", "one_edit"): (
        "Short family names one letter apart (Tan/Gan): as likely another person's name as a slip"
    ),
    ("family_name", "married_name"): (
        "Family names differ; both are women, and a name changed at marriage is common"
    ),
    ("suffix", "agree"): "Name suffix agrees",
    ("suffix", "disagree"): "Name suffixes differ, which points to a father and son",
    ("date_of_birth", "exact"): "Date of birth agrees exactly",
    ("date_of_birth", "day_month_swapped"): "Dates of birth agree with day and month swapped",
    ("date_of_birth", "typo"): "Dates of birth differ by one slip in one part",
    ("date_of_birth", "disagree"): "Dates of birth differ",
    ("sex", "agree"): "Sex agrees",
    ("sex", "disagree"): "Sex differs",
    ("ssn", "exact"): "Social Security number agrees exactly",
    ("ssn", "typo"): "Social Security numbers differ by one digit or two swapped digits",
    ("ssn", "disagree"): "Social Security numbers differ",
    ("id_document", "exact"): "ID document number agrees exactly",
    ("id_document", "disagree"): "ID documents from the same issuer have different numbers",
    ("fbi_number", "exact"): "FBI number agrees exactly",
    ("fbi_number", "disagree"): "FBI numbers differ",
    ("place_of_birth", "exact"): "Place of birth agrees",
    ("place_of_birth", "disagree"): "Places of birth differ",
}
_QUOTED = frozenset({"given_name", "middle_name", "family_name", "suffix"})
_SHOWN_ONCE = frozenset({"exact", "agree"})
_NOT_SHOWN = frozenset({"ssn", "fbi_number"})  # identifiers are described, never printed

_MISSING: dict[str, str] = {
    "given_name": "Given name missing on {side}",
    "middle_name": "Middle name missing on {side}",
    "family_name": "Family name missing on {side}",
    "suffix": "No name suffix (Jr, Sr, II) on {side}",
    "sex": "Sex not stated on {side}",
    "ssn": "No Social Security number on {side}",
    "id_document": "No ID document on {side}",
    "fbi_number": "No FBI number on {side}",
    "place_of_birth": "No place of birth on {side}",
}

_ORDER = {
    Orientation.GIVEN_MIDDLE_SWAPPED: "given and middle names swapped",
    Orientation.GIVEN_FAMILY_SWAPPED: "given and family names swapped",
}

_RELATIVES = (
    "Given names differ while family name and date of birth agree: the pattern of twins and "
    "siblings, far commoner among different people than chance agreement would make it"
)
_RELATIVE_BY_NAME = "; with surname and date of birth agreeing this points to a relative"
_OTHER_SEX_FORM = ", and so does sex: they read as the male and female forms of one name"
_RELATIVE_BY_DATE = "; with the same name this points to a relative (a father and son)"


@dataclass(frozen=True)
class ComparedPair:
    """The best reading of a buyer against a record, with its levels and weights."""

    gamma: tuple[int, ...]
    weights: tuple[float, ...]
    buyer_name: NameVariant | None
    record_name: NormalisedName | None  # the reading compared (may be given/middle swapped)
    record_alias_number: int
    record_orientation: Orientation
    orientation_bits: float
    # Bits for given, middle and family name and place of birth (`scoring.Scores`).
    term_frequency: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    relatives_bits: float = 0.0  # the twins-and-siblings term, when it applied


def build_evidence(
    model: MatchModel,
    pair: ComparedPair,
    buyer: NormalisedIdentity,
    record: NormalisedIdentity,
    prior_weight: float | None = None,
) -> tuple[FieldEvidence, ...]:
    """The prior, then one entry per field, then how the names were read if not as entered."""
    entries = [_prior_entry(model.prior_weight if prior_weight is None else prior_weight)]
    for i, comparison in enumerate(COMPARISONS):
        values = _values(comparison.field, pair, buyer, record)
        level = pair.gamma[i]
        if level == NO_EVIDENCE:
            entries.append(_missing_entry(comparison.field, values))
            continue
        label = comparison.labels[level]
        text = _sentence(comparison.field, label, values, pair.gamma)
        text += _frequency_note(comparison.field, label, pair)
        entries.append(FieldEvidence(comparison.field, label, pair.weights[i],
                                     f"{text} ({_bits(pair.weights[i])})"))  # fmt: skip
    entries.extend(_reading_entries(pair, buyer, record))
    if pair.relatives_bits:
        entries.append(FieldEvidence("relatives", "twins or siblings", pair.relatives_bits,
                                     f"{_RELATIVES} ({_bits(pair.relatives_bits)})"))  # fmt: skip
    return tuple(entries)


def _frequency_note(field: str, label: str, pair: ComparedPair) -> str:
    fields = ("given_name", "middle_name", "family_name", "place_of_birth")
    bits = pair.term_frequency[fields.index(field)] if field in fields else 0.0
    if abs(bits) < 0.05:
        return ""
    if field == "place_of_birth" and pair.relatives_bits:
        return "; twins and siblings share a place of birth, so here it counts for nothing"
    if field == "place_of_birth":  # agreement weighed among people of the family name
        return (f"; many people of the record's family name were born there, so this counts "
                f"{-bits:.1f} bits less")  # fmt: skip
    if label == "disagree":  # the unknown-name term (see name_scoring)
        if bits > 0:
            return (f"; no record carries the buyer's name, so it is likelier a slip on the "
                    f"form and the difference counts {bits:.1f} bits less")  # fmt: skip
        return (f"; other records carry the buyer's name, so it is likelier another "
                f"person's and the difference counts {-bits:.1f} bits more")  # fmt: skip
    if label == "one_edit":  # its term frequency: names one letter from the buyer's
        if bits < 0:
            return (f"; many records carry a name one letter from the buyer's, so this "
                    f"counts {-bits:.1f} bits less")  # fmt: skip
        return (f"; few records carry a name one letter from the buyer's, so this counts "
                f"{bits:.1f} bits more")  # fmt: skip
    if field == "given_name" and label in ("nickname", "typo", "similar") and bits < 0:
        return (f"; many people of this family name carry the record's given name, so this "
                f"counts {-bits:.1f} bits less")  # fmt: skip
    if bits < 0:
        return f"; a common name here, so agreeing on it counts {-bits:.1f} bits less"
    return f"; a rare name here, so agreeing on it counts {bits:.1f} bits more"


def _prior_entry(bits: float) -> FieldEvidence:
    text = f"Starting point: any one record is very unlikely to be the buyer ({_bits(bits)})"
    return FieldEvidence("prior", "base rate", bits, text)


def _sentence(field: str, label: str, values: tuple[str, str], gamma: tuple[int, ...]) -> str:
    if field == "given_name" and label == "nickname":
        short, full = sorted(values, key=len)
        return f'Given name "{short}" is a known nickname of "{full}"'
    text = _PHRASES[(field, label)] + _shown_values(field, label, values)
    if field == "given_name" and label == "disagree" and gamma[SEX] == SexLevel.DISAGREE:
        buyer, record = (_plain(v) for v in values)
        if buyer and record and (is_typo(buyer, record) or is_similar(buyer, record)):
            text += _OTHER_SEX_FORM
    return text + _relative_note(field, label, gamma)


def _plain(shown: str) -> str:
    words = name_words(shown)
    return words[0] if words else ""


def _shown_values(field: str, label: str, values: tuple[str, str]) -> str:
    if field in _NOT_SHOWN:
        return ""
    buyer, record = (f'"{v}"' for v in values) if field in _QUOTED else values
    if field == "id_document" or (label in _SHOWN_ONCE and values[0] == values[1]):
        return f" ({buyer})"
    if label in _SHOWN_ONCE:
        return f" ({buyer} vs {record}, the same once spelling is normalised)"
    return f" ({buyer} vs {record})"


def _relative_note(field: str, label: str, gamma: tuple[int, ...]) -> str:
    given, family, dob = gamma[GIVEN_NAME], gamma[FAMILY_NAME], gamma[DATE_OF_BIRTH]
    if (
        field == "given_name"
        and label == "disagree"
        and family in (FamilyLevel.EXACT, FamilyLevel.COMPOUND)
        and dob in (DobLevel.EXACT, DobLevel.DAY_MONTH_SWAPPED)
    ):
        return _RELATIVE_BY_NAME
    if (
        field == "date_of_birth"
        and label == "disagree"
        and family == FamilyLevel.EXACT
        and given in (GivenLevel.EXACT, GivenLevel.NICKNAME)
    ):
        return _RELATIVE_BY_DATE
    return ""


def _missing_entry(field: str, values: tuple[str, str]) -> FieldEvidence:
    buyer, record = values
    side = "the record" if buyer else "the buyer's side" if record else "either side"
    text = _MISSING[field].format(side=side)
    if field == "id_document" and buyer and record:
        text = "ID documents are of different kinds or issuers"
    return FieldEvidence(field, "not compared", 0.0, f"{text}; not compared (no evidence)")


def _reading_entries(
    pair: ComparedPair, buyer: NormalisedIdentity, record: NormalisedIdentity
) -> list[FieldEvidence]:
    entries: list[FieldEvidence] = []
    variant = pair.buyer_name
    if variant is None or pair.record_name is None:
        return entries
    entered = buyer.names[variant.alias_number].shown
    on_record = record.names[pair.record_alias_number].shown
    if variant.alias_number:
        text = f'Compared using the buyer\'s other name "{entered}"'
        entries.append(FieldEvidence("name_used", "buyer alias", 0.0, text))
    if pair.record_alias_number:
        text = f'Compared with the record\'s alias "{on_record}"'
        entries.append(FieldEvidence("name_used", "record alias", 0.0, text))
    orientation = (
        variant.orientation
        if variant.orientation is not Orientation.AS_ENTERED
        else pair.record_orientation
    )
    if orientation is not Orientation.AS_ENTERED:
        text = f'Names agree best read with {_ORDER[orientation]} ("{entered}" vs "{on_record}")'
        entries.append(FieldEvidence("name_order", orientation.value, pair.orientation_bits,
                                     f"{text} ({_bits(pair.orientation_bits)})"))  # fmt: skip
    return entries


def _values(
    field: str, pair: ComparedPair, buyer: NormalisedIdentity, record: NormalisedIdentity
) -> tuple[str, str]:
    """What each side holds for a field, as an examiner may be shown it ("" when absent)."""
    if pair.buyer_name is not None and pair.record_name is not None and _is_name(field):
        return _name_value(field, pair.buyer_name.name), _name_value(field, pair.record_name)
    if field == "date_of_birth":
        return buyer.date_of_birth.isoformat(), record.date_of_birth.isoformat()
    if field == "sex":
        return _sex(buyer.sex), _sex(record.sex)
    if field == "id_document":
        return _document(buyer), _document(record)
    if field == "place_of_birth":
        return place_shown(buyer.place_of_birth), place_shown(record.place_of_birth)
    present = {"ssn": (buyer.ssn, record.ssn), "fbi_number": (buyer.fbi_number, record.fbi_number)}
    a, b = present.get(field, (None, None))
    return ("on file" if a else ""), ("on file" if b else "")


_NAME_FIELDS = frozenset(c.field for c in COMPARISONS[:NAME_FIELD_COUNT])


def _is_name(field: str) -> bool:
    return field in _NAME_FIELDS  # a set: this runs for every field of every candidate


def _name_value(field: str, name: NormalisedName) -> str:
    if field == "given_name":
        return name.shown.given if name.given else ""
    if field == "family_name":
        return name.shown.family if name.family else ""
    if field == "suffix":
        return name.suffix.upper() if name.suffix.startswith("i") else name.suffix.title()
    if name.middle:
        return name.shown.middle or ""
    return name.given[1].title() if len(name.given) > 1 else ""


def _sex(sex: Sex) -> str:
    return {Sex.MALE: "male", Sex.FEMALE: "female"}.get(sex, "")


def _document(identity: NormalisedIdentity) -> str:
    doc = identity.id_document
    if doc is None:
        return ""
    kind = {"state": "driver's licence or state ID"}.get(doc.kind, doc.kind.replace("_", " "))
    return f"{kind} issued by {doc.issuer}"


def _bits(weight: float) -> str:
    return f"{weight:+.1f} bits"
