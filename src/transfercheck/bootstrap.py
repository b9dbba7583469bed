"""The only wiring point: settings -> adapters -> services, built once per process."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.adapters.rules_files import load_rule_book
from transfercheck.config import Settings
from transfercheck.domain.calendar import BusinessCalendar
from transfercheck.domain.checks import NTN_ALPHABET, NTN_LENGTH
from transfercheck.domain.determinations import MatchThresholds
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.matching import IdentityIndex, Matcher, load_default_model
from transfercheck.services.intake import CheckingContext

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def new_ntn() -> str:
    return "".join(secrets.choice(NTN_ALPHABET) for _ in range(NTN_LENGTH))


@dataclass
class Application:
    settings: Settings
    engine: Engine
    index: IdentityIndex
    checking: CheckingContext
    clock: Clock

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def today(self, now: datetime) -> date:
        """The local date at the counter: ages and business days count in local days."""
        return now.astimezone(ZoneInfo(self.settings.timezone)).date()

    def index_records(self, records: list[ProhibitingRecord]) -> None:
        self.index.add_many((record.record_id, record.subject) for record in records)

    def is_ready(self) -> bool:
        """Ready only with a reachable database and a loaded index: never fail open."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return self.index is not None

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings, clock: Clock = system_clock) -> Application:
    engine = make_engine(settings.database_url)
    migrate(engine)
    index = IdentityIndex()
    with SqlUnitOfWork(engine) as uow:  # in bulk: several times faster than one by one
        index.add_many((record.record_id, record.subject) for record in uow.records.iter_all())
    matcher = Matcher(load_default_model(), index)
    checking = CheckingContext(
        finder=matcher,
        rule_book=load_rule_book(),
        calendar=BusinessCalendar(),
        thresholds=MatchThresholds(settings.delay_threshold, settings.deny_threshold),
        new_ntn=new_ntn,
    )
    return Application(settings, engine, index, checking, clock)
