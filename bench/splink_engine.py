"""Splink 5 on DuckDB with comparisons comparable to transfercheck's, for the benchmarks.

Both engines get the same normalised text (transfercheck's `normalise_identity`: plain
lowercase ASCII words), so the comparison measures matching, not cleaning. Splink's
comparisons mirror ours field by field: given and family name (exact, Jaro-Winkler 0.92,
0.88, 0.7; term-frequency adjusted), middle name (exact), date of birth (exact, one edit,
a month, a year, ten years), sex, SSN (exact, one edit), ID document (exact), place of
birth (exact, normalised the same way: a state code or a country code). Its blocking
rules mirror our keys as far as SQL equality allows: date of birth, family name and year,
given name and year, SSN, document. It is trained the way Splink's documentation does it:
u by random sampling, m by EM under two blocking rules; the prior is set to ours. Only
the primary name of a record is used: Splink has no notion of aliases or name orders.

Needs the `bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from transfercheck.domain.identities import Identity
from transfercheck.matching.normalise import normalise_identity

COLUMNS = ("unique_id", "given", "middle", "family", "dob", "birth_year", "sex", "ssn", "doc",
           "birthplace")  # fmt: skip


def frame(items: Iterable[tuple[str, Identity]]) -> pd.DataFrame:
    """One row per identity, normalised as transfercheck normalises it."""
    rows: list[dict[str, Any]] = []
    for record_id, identity in items:
        normal = normalise_identity(identity)
        name = normal.names[0] if normal.names else None
        doc = normal.id_document
        rows.append(
            {
                "unique_id": record_id,
                "given": (name.first_given or None) if name else None,
                "middle": (name.first_middle or None) if name else None,
                "family": (name.family_joined or None) if name else None,
                "dob": normal.date_of_birth.isoformat(),
                "birth_year": normal.date_of_birth.year,
                "sex": None if normal.sex.value == "U" else normal.sex.value,
                "ssn": normal.ssn,
                "doc": str(doc) if doc else None,
                "birthplace": normal.place_of_birth,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def settings(prior: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[
            cl.NameComparison("given").configure(term_frequency_adjustments=True),
            cl.ExactMatch("middle"),
            cl.NameComparison("family").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.DamerauLevenshteinAtThresholds("ssn", [1]),
            cl.ExactMatch("doc"),
            cl.ExactMatch("birthplace"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("family", "birth_year"),
            block_on("given", "birth_year"),
            block_on("ssn"),
            block_on("doc"),
        ],
        retain_matching_columns=True,
    )


class SplinkEngine:
    """A trained Splink linker between an index of records and the buyers' checks."""

    def __init__(self, records: pd.DataFrame, training_checks: pd.DataFrame, prior: float):
        logging.getLogger("splink").setLevel(logging.WARNING)
        self.db_api = DuckDBAPI()
        self.records = self.db_api.register(records, dataset_display_name="records")
        checks = self.db_api.register(training_checks)
        self.linker = Linker([self.records, checks], settings(prior), log_level=logging.WARNING)
        for column in ("given", "family"):
            self.linker.table_management.compute_tf_table(column)
        training = self.linker.training
        training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
        training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        training.estimate_parameters_using_expectation_maximisation(block_on("family", "given"))

    def predict(self, checks: pd.DataFrame, threshold: float = 0.001) -> pd.DataFrame:
        """Scored pairs (buyer id, record id, probability, identifier agrees)."""
        right = self.db_api.register(checks)
        found = self.linker.inference.predict_between(
            [self.records], [right], threshold_match_probability=threshold, warning_mode="never"
        ).as_pandas_dataframe()
        if found.empty:
            return pd.DataFrame(columns=["buyer_id", "record_id", "probability", "agrees"])
        left_is_record = found["source_dataset_l"] == "records"
        record = found["unique_id_l"].where(left_is_record, found["unique_id_r"])
        buyer = found["unique_id_r"].where(left_is_record, found["unique_id_l"])
        ssn = found["ssn_l"].notna() & (found["ssn_l"] == found["ssn_r"])
        doc = found["doc_l"].notna() & (found["doc_l"] == found["doc_r"])
        return pd.DataFrame(
            {
                "buyer_id": buyer,
                "record_id": record,
                "probability": found["match_probability"],
                "agrees": ssn | doc,
            }
        )
