"""Dealers, API keys, users and web sessions.

API keys are 256-bit random secrets, so a fast hash (SHA-256) is enough to store them;
passwords are low-entropy and get Argon2id (argon2-cffi's defaults follow RFC 9106).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from transfercheck.adapters.db.repositories import Credentials, KeyOwner
from transfercheck.adapters.db.unit_of_work import SqlUnitOfWork
from transfercheck.domain.accounts import (
    SECOND_FACTOR_ROLES,
    Agency,
    Dealer,
    Role,
    Session,
    User,
)
from transfercheck.domain.audit import AuditEvent, EventType
from transfercheck.domain.errors import (
    Forbidden,
    NotAuthenticated,
    NotFound,
    Problem,
    ValidationFailed,
)
from transfercheck.services.ports import UnitOfWorkFactory
from transfercheck.services.second_factor import check_code

API_KEY_PREFIX = "tc"
MAX_FAILED_LOGINS = 5  # CJIS AC-7: lock after 5 consecutive failures
MIN_PASSWORD_LENGTH = 8  # NIST SP 800-63B 5.1.1.2
MAX_PASSWORD_LENGTH = 128
MAX_SESSION_AGE = timedelta(hours=12)

_hasher = PasswordHasher()
# Verified against when the user is unknown, so timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def create_dealer(dealer: Dealer, unit_of_work: UnitOfWorkFactory, now: datetime) -> None:
    with unit_of_work() as uow:
        uow.accounts.add_dealer(dealer, now)
        uow.commit()


def create_agency(agency: Agency, unit_of_work: UnitOfWorkFactory, now: datetime) -> None:
    with unit_of_work() as uow:
        uow.accounts.add_agency(agency, now)
        uow.commit()


def issue_api_key(dealer_id: str, unit_of_work: UnitOfWorkFactory, now: datetime) -> str:
    """A new key for the dealer. The full key is returned once and never stored."""
    return _issue_key(unit_of_work, now, dealer_id=dealer_id)


def issue_agency_api_key(agency_id: str, unit_of_work: UnitOfWorkFactory, now: datetime) -> str:
    """A new key for a records agency, returned once and never stored."""
    return _issue_key(unit_of_work, now, agency_id=agency_id)


def _issue_key(
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    dealer_id: str | None = None,
    agency_id: str | None = None,
) -> str:
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    with unit_of_work() as uow:
        uow.accounts.add_api_key(key_id, _sha256(secret), now, dealer_id, agency_id)
        uow.commit()
    return f"{API_KEY_PREFIX}_{key_id}_{secret}"


def authenticate_api_key(api_key: str, unit_of_work: UnitOfWorkFactory) -> str:
    """The dealer the key belongs to."""
    owner = _key_owner(api_key, unit_of_work)
    if owner.dealer_id is None:
        raise Forbidden("this API key belongs to a records agency, not a dealer")
    return owner.dealer_id


def authenticate_agency_key(api_key: str, unit_of_work: UnitOfWorkFactory) -> str:
    """The records agency the key belongs to."""
    owner = _key_owner(api_key, unit_of_work)
    if owner.agency_id is None:
        raise Forbidden("this API key belongs to a dealer, not a records agency")
    return owner.agency_id


def _key_owner(api_key: str, unit_of_work: UnitOfWorkFactory) -> KeyOwner:
    prefix, _, rest = api_key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != API_KEY_PREFIX or not key_id or not secret:
        raise NotAuthenticated("malformed API key")
    with unit_of_work() as uow:
        found = uow.accounts.api_key(key_id)
    if found is None or not hmac.compare_digest(found.secret_hash, _sha256(secret)):
        raise NotAuthenticated("unknown or revoked API key")
    return found


def password_problems(password: str, username: str) -> list[Problem]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [Problem("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [Problem("password", f"must be at most {MAX_PASSWORD_LENGTH} characters")]
    if username.casefold() in password.casefold():
        return [Problem("password", "must not contain the user name")]
    return []


def create_user(
    user: User,
    password: str,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    totp_secret: str | None = None,
) -> None:
    problems = password_problems(password, user.username)
    if user.role is Role.DEALER_CLERK and user.dealer_id is None:
        problems.append(Problem("dealer_id", "a dealer clerk must belong to a dealer"))
    if user.role in SECOND_FACTOR_ROLES and not totp_secret:
        problems.append(Problem("totp_secret", f"a {user.role.value} needs a second factor"))
    if problems:
        raise ValidationFailed(problems)
    with unit_of_work() as uow:
        uow.accounts.add_user(user, _hasher.hash(password), now, totp_secret)
        uow.commit()


def unlock_user(username: str, actor: str, unit_of_work: UnitOfWorkFactory, now: datetime) -> None:
    """An administrator releases a locked account (CJIS AC-7); audited."""
    with unit_of_work() as uow:
        credentials = uow.accounts.credentials(username)
        if credentials is None:
            raise NotFound("user", username)
        uow.accounts.unlock(credentials.user.user_id)
        user_id = credentials.user.user_id
        uow.audit.append(AuditEvent(EventType.ACCOUNT_UNLOCKED, actor, "user", user_id), now)
        uow.commit()


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie; only its hash is stored
    session: Session


def log_in(
    username: str,
    password: str,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    one_time_code: str | None = None,
) -> NewSession:
    """A new session, or NotAuthenticated with the same message whatever went wrong.

    Staff (SECOND_FACTOR_ROLES) also need a one-time code; a wrong or replayed code counts
    as a failed login, toward the lockout, like a wrong password."""
    with unit_of_work() as uow:
        credentials = uow.accounts.credentials(username)
        if credentials is None:
            _verify(_DUMMY_HASH, password)
            uow.audit.append(_login_event(EventType.LOGIN_FAILED, "unknown", "failed"), now)
            uow.commit()
            raise NotAuthenticated("invalid credentials")
        user = credentials.user
        password_ok = _verify(credentials.password_hash, password) and not credentials.locked
        # The code is looked at (and used up) only behind the right password.
        factor_ok, replayed = (
            _second_factor(uow, credentials, one_time_code, now) if password_ok else (False, False)
        )
        if not (password_ok and factor_ok):
            _record_failure(uow, credentials, now, replayed)
            uow.commit()
            raise NotAuthenticated("invalid credentials")
        if _hasher.check_needs_rehash(credentials.password_hash):
            uow.accounts.set_password_hash(user.user_id, _hasher.hash(password))
        uow.accounts.record_login_result(user.user_id, 0, None)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        uow.accounts.add_session(_sha256(token), user.user_id, csrf, now)
        uow.audit.append(_login_event(EventType.LOGIN_SUCCEEDED, user.user_id, "ok"), now)
        uow.commit()
    return NewSession(token, Session(user, csrf))


def _second_factor(
    uow: SqlUnitOfWork, credentials: Credentials, code: str | None, now: datetime
) -> tuple[bool, bool]:
    """(accepted, replayed). Users without a second factor pass; staff always have one."""
    if credentials.user.role not in SECOND_FACTOR_ROLES and credentials.totp_secret is None:
        return True, False
    if credentials.totp_secret is None or not code:
        return False, False
    found = check_code(credentials.totp_secret, code, now, credentials.totp_last_step)
    if found.step is None:
        return False, False
    if found.replayed or not uow.accounts.use_totp_step(credentials.user.user_id, found.step):
        return False, True
    return True, False


def _record_failure(
    uow: SqlUnitOfWork, credentials: Credentials, now: datetime, replayed: bool
) -> None:
    user_id = credentials.user.user_id
    failures = credentials.failed_logins + 1
    locked_at = now if failures >= MAX_FAILED_LOGINS or credentials.locked else None
    uow.accounts.record_login_result(user_id, failures, locked_at)
    if replayed:  # the right password with a used code: someone may be replaying it
        uow.audit.append(_login_event(EventType.OTP_REPLAY, user_id, "refused"), now)
    uow.audit.append(_login_event(EventType.LOGIN_FAILED, user_id, "failed"), now)
    if locked_at is not None and not credentials.locked:
        uow.audit.append(_login_event(EventType.ACCOUNT_LOCKED, user_id, "locked"), now)


def resume_session(
    token: str,
    unit_of_work: UnitOfWorkFactory,
    now: datetime,
    idle_limit: timedelta,
    max_age: timedelta = MAX_SESSION_AGE,
) -> Session:
    """The session behind a cookie token, if it has not sat idle too long nor lived too long
    (CJIS AC-11, AC-12: log in again after 30 idle minutes and at least every 12 hours)."""
    with unit_of_work() as uow:
        found = uow.accounts.session(_sha256(token))
        if found is None:
            raise NotAuthenticated("no session")
        if now - found.last_seen_at > idle_limit or now - found.created_at > max_age:
            uow.accounts.delete_session(_sha256(token))
            uow.commit()
            raise NotAuthenticated("session expired")
        uow.accounts.touch_session(_sha256(token), now)
        uow.commit()
    return Session(found.user, found.csrf_token)


def log_out(token: str, unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.accounts.delete_session(_sha256(token))
        uow.commit()


def _login_event(event_type: EventType, user_id: str, outcome: str) -> AuditEvent:
    # The typed user name is not recorded: a password typed into it would end up in the log.
    return AuditEvent(event_type, f"user:{user_id}", "user", user_id, outcome)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
