"""One Settings class, built once in bootstrap and passed down (never read at import time)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration from TC_* environment variables; defaults give the embedded demo."""

    model_config = SettingsConfigDict(env_prefix="TC_", extra="forbid", frozen=True)

    environment: str = Field(default="development", pattern="^(development|test|production)$")
    database_url: str = "sqlite:///var/transfercheck.db"
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Local days (ages, business days) are counted in this zone; one zone per deployment.
    timezone: str = "America/New_York"

    # Match probabilities (see domain.determinations.MatchThresholds): an examiner looks at
    # anything from 0.1; a denial also needs an agreeing identifier. Chosen on the synthetic
    # hard mix (docs/matching.md).
    delay_threshold: float = Field(default=0.1, gt=0.0, lt=1.0)
    deny_threshold: float = Field(default=0.999, gt=0.0, lt=1.0)

    # The Ed25519 key that signs buyers' certificates: a file outside the database, created
    # on first use; by default <data_dir>/keys/certificate-signing-key.pem.
    certificate_key_file: Path | None = None
    # The identity index's snapshot, loaded at start-up and brought up to date with the
    # database (services/index_loading.py); by default <data_dir>/index.
    index_snapshot_dir: Path | None = None

    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    max_import_bytes: int = Field(default=2 * 1024**3, ge=1024)
    session_idle_minutes: int = Field(default=30, ge=1)
    session_max_hours: int = Field(default=12, ge=1, le=24)
    # An examiner's claim on a delayed check lapses after this long (then anyone may take it).
    claim_minutes: int = Field(default=30, ge=1, le=8 * 60)

    # Where outbox messages go (the worker delivers them; see services/outbox.py). Unset:
    # messages wait, and are sent once a URL is configured.
    law_enforcement_webhook_url: str | None = None  # retrieval referrals
    agency_webhook_url: str | None = None  # disposition requests to records agencies
    webhook_secret: str | None = None  # signs every webhook body (HMAC-SHA256)
    # The address agencies use to answer; default http://{host}:{port}.
    public_url: str | None = None
    worker_interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    # Secure cookies need HTTPS; only the loopback demo may turn this off.
    secure_cookies: bool = False

    @property
    def index_snapshot_path(self) -> Path:
        return self.index_snapshot_dir or self.data_dir / "index"

    @property
    def certificate_key_path(self) -> Path:
        return self.certificate_key_file or self.data_dir / "keys" / "certificate-signing-key.pem"

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Settings:
        if self.delay_threshold > self.deny_threshold:
            raise ValueError("delay_threshold must not exceed deny_threshold")
        if self.environment == "production" and not self.secure_cookies:
            raise ValueError("production requires TC_SECURE_COOKIES=true (HTTPS)")
        return self

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
