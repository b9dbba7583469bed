"""Rules files: every shipped file loads; every broken one names its file, line and key."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import holidays
import pytest

from transfercheck.adapters.rules_files import PACKAGED, load_rule_book
from transfercheck.domain.errors import NotFound, RulesFileError
from transfercheck.domain.rules import (
    TRANSFER_JURISDICTIONS,
    JurisdictionRules,
    RuleBook,
    content_version,
    parse_rules,
)
from transfercheck.domain.rules.locate import KeyLines

AGE_ENTRY = """
[[minimum_ages]]
firearm = "long_gun"
age = 21
citation = "Test Code 1"
effective_from = 2018-03-09
"""


def state_text(body: str = AGE_ENTRY, code: str = "FL") -> str:
    return f'[jurisdiction]\ncode = "{code}"\nname = "Test"\n{body}'


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


def problems_of(text: str, federal: JurisdictionRules | None, source: str = "FL.toml") -> list[str]:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, source, federal)
    assert caught.value.source == source
    return [str(problem) for problem in caught.value.problems]


# ── What ships ──────────────────────────────────────────────────────────────────────


def test_every_shipped_file_loads(book: RuleBook, shipped_sources: dict[str, str]) -> None:
    assert "US.toml" in shipped_sources
    own_files = book.with_own_rules | book.proposals | {"US"}
    assert {f"{code}.toml" for code in own_files} == set(shipped_sources)
    assert {"FL", "TX", "NY", "CA", "CO"} <= book.with_own_rules
    assert book.proposals == {"US-AWB2013"}
    for code in book.jurisdictions:
        assert book.for_jurisdiction(code).jurisdiction == code


@pytest.mark.parametrize(
    "name", ["US.toml", "FL.toml", "TX.toml", "NY.toml", "CA.toml", "CO.toml", "US-AWB2013.toml"]
)
def test_each_shipped_file_parses_alone(
    shipped_sources: dict[str, str], federal: JurisdictionRules, name: str
) -> None:
    rules = parse_rules(shipped_sources[name], name, federal)
    assert rules.source == name
    assert rules.code == name.removesuffix(".toml")


def test_federal_windows(book: RuleBook) -> None:
    rules = book.for_jurisdiction("TX")
    assert rules.default_proceed_business_days == 3
    assert rules.open_check_retention_days == 88
    assert rules.default_proceed_business_days_on(date(2024, 6, 3)) == 3
    assert rules.open_check_retention_days_on(date(2024, 6, 3)) == 88
    with pytest.raises(ValueError, match="no default-proceed window in force"):
        rules.default_proceed_business_days_on(date(1998, 11, 29))


def test_a_state_may_set_a_longer_window(federal_text: str) -> None:
    window = (
        "[[default_proceed]]\nbusiness_days = 5\ncitation = 'Test'\neffective_from = 2020-01-01\n"
    )
    book = RuleBook.from_sources({"US.toml": federal_text, "NJ.toml": state_text(window, "NJ")})
    new_jersey = book.for_jurisdiction("NJ")
    assert new_jersey.default_proceed_business_days_on(date(2019, 12, 31)) == 3
    assert new_jersey.default_proceed_business_days_on(date(2020, 1, 1)) == 5
    assert new_jersey.default_proceed_business_days == 5
    assert book.for_jurisdiction("NY").default_proceed_business_days == 3


def test_every_state_and_territory_is_a_jurisdiction(book: RuleBook) -> None:
    # The explicit list agrees with the holidays package (less the uninhabited UM).
    subdivisions = holidays.country_holidays("US").subdivisions
    assert set(subdivisions) - {"UM"} == TRANSFER_JURISDICTIONS
    assert book.jurisdictions == TRANSFER_JURISDICTIONS
    assert len(TRANSFER_JURISDICTIONS) == 56


@pytest.mark.parametrize("code", ["ZZ", "fl", "US", "", "FLA"])
def test_unknown_jurisdiction_is_not_found(book: RuleBook, code: str) -> None:
    with pytest.raises(NotFound) as caught:
        book.for_jurisdiction(code)
    assert (caught.value.what, caught.value.key) == ("jurisdiction", code)


def test_version_is_a_stable_content_hash(shipped_sources: dict[str, str], book: RuleBook) -> None:
    assert book.version == content_version(dict(reversed(shipped_sources.items())))
    assert len(book.version) == 12
    int(book.version, 16)
    windows = {name: text.replace("\n", "\r\n") for name, text in shipped_sources.items()}
    assert content_version(windows) == book.version
    changed = {**shipped_sources, "TX.toml": shipped_sources["TX.toml"] + "\n# edited\n"}
    assert content_version(changed) != book.version


def test_loads_from_a_directory(tmp_path: Path) -> None:
    for name in ("US.toml", "FL.toml"):
        (tmp_path / name).write_text((PACKAGED / name).read_text(encoding="utf-8"))
    (tmp_path / "README.md").write_text("not a rules file")
    book = load_rule_book(tmp_path)
    assert book.with_own_rules == frozenset({"FL"})


def test_directory_errors(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError, match="not a directory"):
        load_rule_book(tmp_path / "missing")
    with pytest.raises(RulesFileError, match="federal file is missing"):
        load_rule_book(tmp_path)
    shutil.copy(Path(str(PACKAGED / "US.toml")), tmp_path / "US.toml")
    (tmp_path / "FL.toml").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(RulesFileError, match="not UTF-8"):
        load_rule_book(tmp_path)


# ── What is refused ─────────────────────────────────────────────────────────────────


def test_toml_syntax_error_names_line_and_column(federal: JurisdictionRules) -> None:
    text = state_text(AGE_ENTRY.replace("age = 21", "age = = 21"))
    [problem] = problems_of(text, federal)
    assert problem.startswith(f"line {line_of(text, 'age = =')}, column 7: TOML syntax:")


ERROR_ROWS = [
    pytest.param("age = 21", "age = 21\nminimum_age = 21", "minimum_age =",
                 "minimum_ages[0].minimum_age: unknown key; expected one of: age, citation, ",
                 id="unknown key, with the allowed keys"),
    pytest.param("age = 21", 'age = "21"', "age = ",
                 "minimum_ages[0].age: must be an integer", id="wrong type: a quoted number"),
    pytest.param("age = 21", "age = 21\ntransfer_types = []", "transfer_types",
                 "minimum_ages[0].transfer_types: must name at least one transfer type",
                 id="an empty transfer_types list is refused, not read as all"),
    pytest.param("age = 21", "age = 121", "age = ",
                 "minimum_ages[0].age: must be an integer between 0 and 120",
                 id="age out of range"),
    pytest.param("age = 21", "age = true", "age = ",
                 "minimum_ages[0].age: must be an integer", id="wrong type: a boolean"),
    pytest.param('"long_gun"', '"rifle"', "firearm",
                 "minimum_ages[0].firearm: unknown firearm 'rifle'; expected 'handgun', ",
                 id="unknown firearm category"),
    pytest.param("effective_from = 2018-03-09", 'effective_from = "2018-03-09"', "effective_from",
                 "minimum_ages[0].effective_from: must be a TOML date such as 2018-03-09",
                 id="a quoted date is a string, not a date"),
    pytest.param("effective_from = 2018-03-09",
                 "effective_from = 2018-03-09\neffective_until = 2018-03-08", "effective_until",
                 "minimum_ages[0].effective_until: 2018-03-08 is before effective_from 2018-03-09",
                 id="effective_until before effective_from"),
    pytest.param('citation = "Test Code 1"', 'citation = " "', "citation",
                 "minimum_ages[0].citation: must cite the legal basis", id="blank citation"),
    pytest.param("age = 21", "age = 17", "age = ",
                 "minimum_ages[0].age: 17 is below the federal minimum of 18 for long_gun "
                 "(18 U.S.C. 922(b)(1)); a state may only raise it",
                 id="a state may not lower a federal age"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "marker", "expected"), ERROR_ROWS)
def test_each_problem_names_line_and_key(
    federal: JurisdictionRules, old: str, new: str, marker: str, expected: str
) -> None:
    text = state_text(AGE_ENTRY.replace(old, new))
    [problem] = problems_of(text, federal)
    assert problem.startswith(f"line {line_of(text, marker)}, {expected}"), problem


PROHIBITION = """
[[prohibitions]]
category = "922g3"
label = "Test"
citation = "Test Code 2"
requires_final_disposition = false
pending_case_prohibits = false
expires = "never"
relieved_by = []
effective_from = 2000-01-01
"""

PROHIBITION_ROWS = [
    pytest.param('"922g3"', '"922g10"', "category",
                 "prohibitions[0].category: unknown category '922g10'; expected '922g1', ",
                 id="unknown category"),
    pytest.param('expires = "never"\n', "", "[[prohibitions]]",
                 "prohibitions[0].expires: is required", id="a required key is missing"),
    pytest.param('"never"', '"sometimes"', "expires",
                 "prohibitions[0].expires: unknown expires 'sometimes'; expected 'never' or ",
                 id="unknown expiry mode"),
    pytest.param("relieved_by = []", 'relieved_by = ["amnesty"]', "relieved_by",
                 "prohibitions[0].relieved_by[0]: unknown relieved_by 'amnesty'",
                 id="unknown relief type"),
    pytest.param("= false\npending_case_prohibits = false", "= true\npending_case_prohibits = true",
                 "pending_case_prohibits",
                 "prohibitions[0].pending_case_prohibits: cannot be true when "
                 "requires_final_disposition is true",
                 id="a category needs a conviction or prohibits while pending, not both"),
    pytest.param("relieved_by = []", 'relieved_by = []\nconviction_category = "922g3"',
                 "conviction_category",
                 "prohibitions[0].conviction_category: '922g3' must name another category",
                 id="conviction_category must name another category"),
    pytest.param("relieved_by = []", 'relieved_by = []\nconviction_category = "922g1"',
                 "conviction_category",
                 "prohibitions[0].conviction_category: '922g1' must name another category with "
                 "an entry in this file", id="conviction_category must be defined in the file"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "marker", "expected"), PROHIBITION_ROWS)
def test_prohibition_entry_problems(
    federal: JurisdictionRules, old: str, new: str, marker: str, expected: str
) -> None:
    text = state_text(PROHIBITION.replace(old, new))
    [problem] = problems_of(text, federal)
    assert problem.startswith(f"line {line_of(text, marker)}, {expected}"), problem


def test_all_problems_are_reported_together(federal: JurisdictionRules) -> None:
    text = state_text(AGE_ENTRY.replace("age = 21", 'age = "x"\ncolour = "red"'))
    problems = problems_of(text, federal)
    assert len(problems) == 2
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, "FL.toml", federal)
    assert str(caught.value).startswith("FL.toml: line ")


def test_a_state_may_not_shorten_the_default_proceed_window(federal: JurisdictionRules) -> None:
    text = state_text(
        "[[default_proceed]]\nbusiness_days = 2\ncitation = 'T'\neffective_from = 2020-01-01"
    )
    [problem] = problems_of(text, federal)
    assert "default_proceed[0].business_days: 2 is shorter than the federal 3" in problem


def test_entries_in_force_on_the_same_days_are_ambiguous(federal: JurisdictionRules) -> None:
    second = AGE_ENTRY.replace("2018-03-09", "2020-01-01")
    text = state_text(AGE_ENTRY + second)
    [problem] = problems_of(text, federal)
    assert problem == (
        f"line {line_of(text, 'effective_from = 2020') - 4}, minimum_ages[1]: "
        "in force on the same days as minimum_ages[0]"
    )
    closed = AGE_ENTRY.replace("effective_from", "effective_until = 2019-12-31\neffective_from")
    assert parse_rules(state_text(closed + second), "FL.toml", federal).minimum_ages


@pytest.mark.parametrize(
    ("code", "source", "message"),
    [
        ("ZZ", "ZZ.toml", "unknown jurisdiction 'ZZ'"),
        ("GA", "FL.toml", "'GA' does not match the file name FL.toml"),
    ],
)
def test_jurisdiction_code_problems(
    federal: JurisdictionRules, code: str, source: str, message: str
) -> None:
    problems = problems_of(state_text(code=code), federal, source)
    assert any(p.startswith("line 2, jurisdiction.code: " + message) for p in problems)


def test_the_federal_file_must_cover_every_category(federal_text: str) -> None:
    start = federal_text.index('[[prohibitions]]\ncategory = "922g7"')
    end = federal_text.index("[[prohibitions]]", start + 1)
    problems = problems_of(federal_text[:start] + federal_text[end:], None, "US.toml")
    assert problems == [f"line {line_of(federal_text, '[[prohibitions]]')}, prohibitions: "
                        "no entry for category 922g7"]  # fmt: skip


def test_the_federal_file_is_required(federal_text: str) -> None:
    with pytest.raises(RulesFileError, match=r"US\.toml: \(file\): the federal file is missing"):
        RuleBook.from_sources({"FL.toml": state_text()})


def test_key_lines_skip_multiline_values() -> None:
    text = (
        '[jurisdiction]\nname = """\nage = 5\n"""\n'  # lines 1-4
        "[[minimum_ages]]\ntransfer_types = [\n  'a',\n]\nage = 3\n"  # lines 5-9
        "[[minimum_ages]]\n'age' = 4 # [\n"  # lines 10-11
    )
    lines = KeyLines(text)
    assert lines.line_of(("jurisdiction", "age")) == 1  # inside a string: falls back
    assert lines.line_of(("minimum_ages", 0, "transfer_types", 0)) == 6
    assert lines.line_of(("minimum_ages", 0, "age")) == 9
    assert lines.line_of(("minimum_ages", 1, "age")) == 11
    assert lines.line_of(("nowhere",)) is None
