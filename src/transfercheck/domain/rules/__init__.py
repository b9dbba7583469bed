"""Jurisdiction rules as data: which records prohibit, minimum ages, check windows, and
which weapons and magazines may not be transferred.

The service layer loads a `RuleBook` once (`transfercheck.adapters.rules_files`), then:

    rules = book.for_jurisdiction("FL")              # NotFound for an unknown code
    rules.assess(record, on, "FL")                   # -> RecordAssessment
    rules.assess_age(date_of_birth, on, firearm, transfer_type)  # -> AgeAssessment
    rules.minimum_age(firearm, transfer_type, on)    # -> (age, citation)
    rules.default_proceed_business_days              # -> int, as the rules now stand
    rules.default_proceed_business_days_on(on)       # -> int, in force on a date
    rules.open_check_retention_days                  # -> int (and ..._on(on))
    rules.classify_item(item, on)                    # -> ItemAssessment (weapons, magazines)
    book.item_rules("US-AWB2013").classify(item, on) # also US alone and proposals
    book.version                                     # recorded on every determination
"""

from transfercheck.domain.rules.book import RuleBook, content_version
from transfercheck.domain.rules.effective import Effective
from transfercheck.domain.rules.item_model import ItemClause
from transfercheck.domain.rules.items import ItemRuleSet
from transfercheck.domain.rules.jurisdictions import TRANSFER_JURISDICTIONS
from transfercheck.domain.rules.model import (
    FEDERAL,
    AgeRule,
    DaysRule,
    Expiry,
    JurisdictionRules,
    ProhibitionRule,
)
from transfercheck.domain.rules.parsing import parse_rules
from transfercheck.domain.rules.ruleset import RuleSet

__all__ = [
    "FEDERAL",
    "TRANSFER_JURISDICTIONS",
    "AgeRule",
    "DaysRule",
    "Effective",
    "Expiry",
    "ItemClause",
    "ItemRuleSet",
    "JurisdictionRules",
    "ProhibitionRule",
    "RuleBook",
    "RuleSet",
    "content_version",
    "parse_rules",
]
