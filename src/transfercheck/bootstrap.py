"""The only wiring point: settings -> adapters -> services, built once per process."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from transfercheck.adapters import signing_key
from transfercheck.adapters.db.engine import make_engine
from transfercheck.adapters.db.migrate import migrate
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.adapters.rules_files import load_rule_book
from transfercheck.adapters.webhooks import WebhookTransport
from transfercheck.config import Settings
from transfercheck.domain.calendar import BusinessCalendar
from transfercheck.domain.checks import (
    NTN_ALPHABET,
    NTN_LENGTH,
    FirearmCategory,
    Transfer,
    TransferType,
)
from transfercheck.domain.determinations import MatchThresholds
from transfercheck.domain.identities import Identity, PersonName, Sex
from transfercheck.domain.records import ProhibitingRecord
from transfercheck.matching import IdentityIndex, Matcher, load_default_model
from transfercheck.services.certificates import CertificateAuthority
from transfercheck.services.index_loading import load_or_build_index
from transfercheck.services.intake import CheckingContext, determine_transfer
from transfercheck.services.outbox import Channel, DeliveryContext
from transfercheck.services.rap_back import rescreen_open_checks, revoke_certificates_matching
from transfercheck.services.review import ReviewContext

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def disposition_answer_url(settings: Settings, request_id: str) -> str:
    """Where a records agency answers a disposition request (its API endpoint)."""
    return f"{settings.base_url}/v1/disposition-requests/{request_id}/answer"


def new_ntn() -> str:
    return "".join(secrets.choice(NTN_ALPHABET) for _ in range(NTN_LENGTH))


def local_date(timezone: str) -> Callable[[datetime], date]:
    """The local date at the counter: ages and business days count in local days."""
    zone = ZoneInfo(timezone)

    def today(now: datetime) -> date:
        return now.astimezone(zone).date()

    return today


@dataclass
class Application:
    settings: Settings
    engine: Engine
    matcher: Matcher  # the identity index behind it: read and changed through the matcher
    checking: CheckingContext
    clock: Clock
    review: ReviewContext
    delivery: DeliveryContext

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    @property
    def index(self) -> IdentityIndex:
        return self.matcher.index

    def today(self, now: datetime) -> date:
        return self.review.local_date(now)

    @cached_property
    def certificates(self) -> CertificateAuthority:
        """The certificate signing key, loaded (or created) on first use."""
        return CertificateAuthority(signing_key.load_or_create(self.settings.certificate_key_path))

    def index_records(self, records: list[ProhibitingRecord]) -> None:
        self.matcher.add_records((record.record_id, record.subject) for record in records)
        # Rap back: new records reach live certificates as soon as they reach the index.
        now = self.clock()
        rescreen_open_checks(records, self.checking, self.review, self.unit_of_work, now)
        revoke_certificates_matching(
            records, self.checking, self.unit_of_work, now, self.today(now)
        )

    def warm_up(self) -> None:
        """Run one check's determination, storing nothing, before the first dealer's check.

        Lazy imports and first-use caches would otherwise be paid by real checks: the
        holiday tables alone took 0.65 s, and under load every check queued behind the
        first one waited too (the slowest 1% of a load run were all in its first 0.4 s).
        """
        now = self.clock()
        determine_transfer(_WARM_UP_TRANSFER, self.checking, self.unit_of_work, self.today(now))

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


def bootstrap(
    settings: Settings, clock: Clock = system_clock, load_index: bool = True
) -> Application:
    """`load_index=False` for processes that never match buyers (the worker)."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    index = IdentityIndex()
    if load_index:
        index = load_or_build_index(
            lambda: SqlUnitOfWork(engine), settings.index_snapshot_path
        ).index
    matcher = Matcher(load_default_model(), index)
    calendar = BusinessCalendar()
    checking = CheckingContext(
        finder=matcher,
        rule_book=load_rule_book(),
        calendar=calendar,
        thresholds=MatchThresholds(settings.delay_threshold, settings.deny_threshold),
        new_ntn=new_ntn,
        answer_url=lambda request_id: disposition_answer_url(settings, request_id),
    )

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    review = ReviewContext(
        unit_of_work,
        calendar,
        local_date(settings.timezone),
        timedelta(minutes=settings.claim_minutes),
    )
    delivery = DeliveryContext(
        unit_of_work,
        WebhookTransport(settings.webhook_secret),
        {
            Channel.LAW_ENFORCEMENT: settings.law_enforcement_webhook_url,
            Channel.AGENCY: settings.agency_webhook_url,
        },
    )
    application = Application(settings, engine, matcher, checking, clock, review, delivery)
    if load_index:
        application.warm_up()
    return application


# A made-up buyer whose check warms the path up; its determination is thrown away.
_WARM_UP_TRANSFER = Transfer(
    Identity(PersonName("Warm", "Up"), date(1970, 1, 1), Sex.UNKNOWN),
    FirearmCategory.LONG_GUN,
    TransferType.DEALER_SALE,
    "TX",
)
