"""Time-based one-time codes (RFC 6238) as the second factor of staff logins.

A code is accepted for its own 30-second step or one step either side (clock drift,
NIST SP 800-63B 5.1.4.2), and only once: the caller stores the step it matched and
refuses that step and earlier ones afterwards, so an overheard code cannot be replayed.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp

ISSUER = "transfercheck"
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads (usually shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


@dataclass(frozen=True)
class CodeCheck:
    step: int | None  # the time step the code belongs to; None if it matches none
    replayed: bool  # it matched, but that step was used already


def check_code(secret: str, code: str, now: datetime, last_step: int | None) -> CodeCheck:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    given = code.strip().encode()
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = current + offset
        if hmac.compare_digest(totp.generate_otp(step).encode(), given):
            replayed = last_step is not None and step <= last_step
            return CodeCheck(step, replayed)
    return CodeCheck(None, False)
