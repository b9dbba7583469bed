"""The item of a transfer: a firearm as the weapon and magazine laws describe it.

Assault-weapon and magazine laws test a firearm's class, action, magazine (fixed or
detachable, and how many rounds it holds), ignition, lengths, weight and a list of named
features, and some name makes and models outright. `Item` carries exactly those facts, as
the dealer or the seller states them; whether the item may be transferred is decided by
the rules (`domain.rules.items`), not here.

Units: lengths in inches, weight in ounces (unloaded), capacity in rounds. Dates: the day
the transferor has possessed the item since, and the day it was made, for grandfather
clauses. A magazine's capacity is that of the magazine transferred with the firearm (for a
fixed magazine, the firearm's own).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from transfercheck.domain.errors import Problem


class FirearmClass(StrEnum):
    RIFLE = "rifle"
    PISTOL = "pistol"  # every handgun, revolvers included (the action says which)
    SHOTGUN = "shotgun"
    OTHER = "other"  # neither rifle, pistol nor shotgun


class Action(StrEnum):
    SEMI_AUTOMATIC = "semi_automatic"
    PUMP = "pump"  # pump or slide action
    BOLT = "bolt"
    LEVER = "lever"
    REVOLVER = "revolver"  # a revolving cylinder
    BREAK_ACTION = "break_action"
    SINGLE_SHOT = "single_shot"


class MagazineType(StrEnum):
    DETACHABLE = "detachable"  # removable without disassembling the action
    FIXED = "fixed"  # a box or other fixed magazine
    TUBULAR = "tubular"  # a fixed tubular magazine (under the barrel or in the stock)
    NONE = "none"  # no magazine (single shot, break action, cylinder only)


class Ignition(StrEnum):
    CENTERFIRE = "centerfire"
    RIMFIRE = "rimfire"


class Feature(StrEnum):
    """The named features the laws list. Each law picks its own subset."""

    PISTOL_GRIP = "pistol_grip"  # protruding conspicuously beneath the action
    THUMBHOLE_STOCK = "thumbhole_stock"
    FOLDING_STOCK = "folding_stock"
    TELESCOPING_STOCK = "telescoping_stock"
    DETACHABLE_STOCK = "detachable_stock"
    FORWARD_GRIP = "forward_grip"  # a second handgrip, held by the non-trigger hand
    FLASH_SUPPRESSOR = "flash_suppressor"
    MUZZLE_BRAKE = "muzzle_brake"
    MUZZLE_COMPENSATOR = "muzzle_compensator"
    THREADED_BARREL = "threaded_barrel"
    BARREL_SHROUD = "barrel_shroud"
    BAYONET_MOUNT = "bayonet_mount"
    GRENADE_LAUNCHER = "grenade_launcher"
    FLARE_LAUNCHER = "flare_launcher"
    ROCKET_LAUNCHER = "rocket_launcher"
    MAGAZINE_OUTSIDE_GRIP = "magazine_outside_grip"  # a pistol's magazine well not in the grip
    SEMIAUTO_VERSION_OF_AUTOMATIC = "semiauto_version_of_automatic"


ACTION_WORDS = {
    Action.SEMI_AUTOMATIC: "semi-automatic",
    Action.PUMP: "pump-action",
    Action.BOLT: "bolt-action",
    Action.LEVER: "lever-action",
    Action.REVOLVER: "revolving-cylinder",
    Action.BREAK_ACTION: "break-action",
    Action.SINGLE_SHOT: "single-shot",
}
MAGAZINE_WORDS = {
    MagazineType.DETACHABLE: "a detachable magazine",
    MagazineType.FIXED: "a fixed magazine",
    MagazineType.TUBULAR: "a fixed tubular magazine",
    MagazineType.NONE: "no magazine",
}
FEATURE_WORDS = {
    Feature.PISTOL_GRIP: "a pistol grip protruding beneath the action",
    Feature.THUMBHOLE_STOCK: "a thumbhole stock",
    Feature.FOLDING_STOCK: "a folding stock",
    Feature.TELESCOPING_STOCK: "a telescoping stock",
    Feature.DETACHABLE_STOCK: "a detachable stock",
    Feature.FORWARD_GRIP: "a forward or second handgrip",
    Feature.FLASH_SUPPRESSOR: "a flash suppressor",
    Feature.MUZZLE_BRAKE: "a muzzle brake",
    Feature.MUZZLE_COMPENSATOR: "a muzzle compensator",
    Feature.THREADED_BARREL: "a threaded barrel",
    Feature.BARREL_SHROUD: "a barrel shroud",
    Feature.BAYONET_MOUNT: "a bayonet mount",
    Feature.GRENADE_LAUNCHER: "a grenade launcher",
    Feature.FLARE_LAUNCHER: "a flare launcher",
    Feature.ROCKET_LAUNCHER: "a rocket launcher",
    Feature.MAGAZINE_OUTSIDE_GRIP: "a magazine that attaches outside the pistol grip",
    Feature.SEMIAUTO_VERSION_OF_AUTOMATIC: "the design of a semi-automatic version of an "
    "automatic firearm",
}

MAX_CAPACITY = 1000  # rounds: a belt or drum can be long, nothing holds more
MAX_LENGTH_IN = 100.0
MAX_WEIGHT_OZ = 1600.0  # 100 lb
MAX_NAME_LENGTH = 100
EARLIEST_DATE = date(1800, 1, 1)


@dataclass(frozen=True)
class Item:
    firearm_class: FirearmClass
    action: Action
    magazine: MagazineType
    magazine_capacity: int | None  # rounds; None when there is no magazine
    make: str
    model: str
    features: frozenset[Feature] = frozenset()
    ignition: Ignition | None = None
    overall_length_in: float | None = None
    barrel_length_in: float | None = None
    weight_oz: float | None = None  # unloaded
    possessed_since: date | None = None  # by the transferor, continuously
    manufactured_on: date | None = None

    def __str__(self) -> str:
        return f"{ACTION_WORDS[self.action]} {self.firearm_class.value} ({self.make} {self.model})"


# ── Make and model names ──────────────────────────────────────────────────────────────

_WORD = re.compile(r"[^\W_]+")
_COMPANY_SUFFIXES = frozenset(
    {"inc", "incorporated", "corp", "corporation", "co", "company", "llc", "ltd", "limited"}
)


def normalise_model(text: str) -> str:
    """A model name compared regardless of case, spaces, hyphens and punctuation:
    'AR-15', 'ar 15' and 'AR15' are the same model."""
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def normalise_make(text: str) -> str:
    """A maker's name, like a model name, without trailing company words ('Inc.', 'Corp.')."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return "".join(words)


# ── Validation ────────────────────────────────────────────────────────────────────────


def item_problems(item: Item, on: date, location: str = "item") -> list[Problem]:
    """What makes a description impossible to judge on `on` (the transfer date)."""
    problems = [
        *_capacity_problems(item),
        *_name_problems("make", item.make),
        *_name_problems("model", item.model),
        *_measure_problems(item),
        *_date_problems(item, on),
    ]
    return [Problem(f"{location}.{name}", message) for name, message in problems]


def _capacity_problems(item: Item) -> list[tuple[str, str]]:
    capacity = item.magazine_capacity
    if item.magazine is MagazineType.NONE:
        if capacity is not None:
            return [("magazine_capacity", "must be left out when magazine is 'none'")]
        return []
    if capacity is None:
        return [("magazine_capacity", f"is required for {MAGAZINE_WORDS[item.magazine]}")]
    if not 1 <= capacity <= MAX_CAPACITY:
        return [
            (
                "magazine_capacity",
                f"must be a whole number of rounds from 1 to {MAX_CAPACITY} "
                "(for a firearm without a magazine, give magazine 'none')",
            )
        ]
    return []


def _name_problems(name: str, value: str) -> list[tuple[str, str]]:
    if not normalise_model(value):
        return [(name, "must contain a letter or digit")]
    if len(value) > MAX_NAME_LENGTH:
        return [(name, f"must be at most {MAX_NAME_LENGTH} characters")]
    if any(unicodedata.category(ch)[0] == "C" for ch in value):
        return [(name, "must not contain control or invisible characters")]
    return []


def _measure_problems(item: Item) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name, value, high, unit in (
        ("overall_length_in", item.overall_length_in, MAX_LENGTH_IN, "inches"),
        ("barrel_length_in", item.barrel_length_in, MAX_LENGTH_IN, "inches"),
        ("weight_oz", item.weight_oz, MAX_WEIGHT_OZ, "ounces"),
    ):
        if value is not None and not 0 < value <= high:
            problems.append((name, f"must be more than 0 and at most {high:g} {unit}"))
    overall, barrel = item.overall_length_in, item.barrel_length_in
    if not problems and overall is not None and barrel is not None and barrel > overall:
        problems.append(("barrel_length_in", "must not be longer than the overall length"))
    return problems


def _date_problems(item: Item, on: date) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name, value in (
        ("possessed_since", item.possessed_since),
        ("manufactured_on", item.manufactured_on),
    ):
        if value is not None and value > on:
            problems.append((name, f"must not be after the transfer date {on.isoformat()}"))
        elif value is not None and value < EARLIEST_DATE:
            problems.append((name, f"must not be before {EARLIEST_DATE.isoformat()}"))
    made, held = item.manufactured_on, item.possessed_since
    if not problems and made is not None and held is not None and made > held:
        problems.append(("possessed_since", "must not be before manufactured_on"))
    return problems
