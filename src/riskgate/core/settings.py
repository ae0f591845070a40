"""Typed settings read from RISKGATE_* environment variables (and an optional .env file).

Bad values fail loudly at start-up: a platform that silently ignores a mistyped setting is worse
than one that refuses to start.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'riskgate.db'}"


class Settings(BaseSettings):
    """All configuration in one place; see docs/operations.md for each variable."""

    model_config = SettingsConfigDict(
        env_prefix="RISKGATE_", env_file=".env", extra="ignore", case_sensitive=False
    )

    database_url: str = Field(default_factory=_default_database_url)
    secret_key: str = Field(
        default="dev-insecure-change-me-0123456789abcdef",
        min_length=32,
        description="Signs session cookies and CSRF tokens. Set a random value in production.",
    )
    environment: Literal["development", "production", "test"] = "development"
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    default_language: Literal["zh-CN", "en"] = "zh-CN"
    timezone: str = "Asia/Shanghai"

    # Sign-in and sessions.
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_hours: int = Field(default=12, ge=1, le=24 * 7)
    lockout_threshold: int = Field(default=5, ge=1, le=100)
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    password_min_length: int = Field(default=10, ge=8, le=128)
    # Password hashing (argon2id, parallelism 1; identity/passwords.py): passes over the memory,
    # and the memory in KiB. The defaults are OWASP's argon2id minimum (t=2, m=19 MiB), about
    # 20 ms a hash on one core; a hash made with other values is made again at the next sign-in.
    # The tests use the cheapest values argon2 allows (t=1, m=8 KiB); production refuses values
    # below OWASP's table (at least 7 MiB and passes × MiB ≥ 35, e.g. t=5 with m=7 MiB).
    password_hash_time_cost: int = Field(default=2, ge=1, le=20)
    password_hash_memory_kib: int = Field(default=19 * 1024, ge=8, le=4 * 1024 * 1024)
    cookie_secure: bool = False

    # Front-end libraries installed from npm at set-up (package.json at the project root).
    assets_dir: Path = PROJECT_ROOT / "node_modules"

    # Requests.
    # Threads that run route handlers per process. Handlers are mostly CPU-bound Python, so a
    # handful beats many: more threads only queue on the GIL and stretch every request.
    http_threads: int = Field(default=8, ge=1, le=200)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Declaration batches and files (100,000 lines is 20–30 MB of JSON) may be larger.
    max_batch_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)

    # Reports from the public and enterprises (riskgate.reports): attachments on disk by SHA-256,
    # the fallback receiving organisation (a code), per-client limits of the public forms.
    attachments_dir: Path = PROJECT_ROOT / "var" / "attachments"
    attachment_max_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024)
    attachment_max_files: int = Field(default=5, ge=0, le=50)
    reports_receiving_org: str | None = None
    public_submissions_per_window: int = Field(default=5, ge=1, le=100_000)
    public_lookups_per_window: int = Field(default=30, ge=1, le=100_000)
    public_rate_window_seconds: int = Field(default=600, ge=1, le=86_400)

    # Assessment reports (riskgate.analysis_reports): generated PDF / Excel files on disk by
    # SHA-256; the longest period a report may cover when generated on request.
    analysis_reports_dir: Path = PROJECT_ROOT / "var" / "analysis_reports"
    analysis_report_max_days: int = Field(default=400, ge=1, le=3700)

    # Outbox and worker.
    worker_in_process: bool = True
    worker_batch_size: int = Field(default=100, ge=1, le=5000)
    worker_concurrency: int = Field(default=16, ge=1, le=256)
    worker_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    worker_lease_seconds: int = Field(default=60, ge=5, le=3600)
    outbox_max_attempts: int = Field(default=8, ge=1, le=100)
    outbox_backoff_base_seconds: float = Field(default=2.0, gt=0, le=3600)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=300)

    # Scheduled jobs (run by the worker, see core/schedule.py) and the channels that use them.
    schedule_enabled: bool = True
    schedule_poll_seconds: float = Field(default=15.0, gt=0, le=3600)
    schedule_retry_seconds: int = Field(default=300, ge=1, le=7 * 86400)
    feed_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    feed_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    quarterly_due_days: int = Field(default=15, ge=0, le=90)
    quarterly_reminder_days: int = Field(default=7, ge=0, le=60)
    # Warnings: the enterprise comment window in working days, and public holidays (ISO dates)
    # the working-day count skips.
    warning_comment_days: int = Field(default=5, ge=1, le=30)
    warning_holidays: list[dt.date] = Field(default_factory=list)

    # Public warnings: hours a recipient has to acknowledge (签收) a pushed warning, by level;
    # the same length again after the reminder, the delivery is escalated to supervisors.
    warning_ack_hours_i: float = Field(default=2, gt=0, le=24 * 30)
    warning_ack_hours_ii: float = Field(default=12, gt=0, le=24 * 30)
    warning_ack_hours_iii: float = Field(default=24, gt=0, le=24 * 30)
    warning_ack_hours_iv: float = Field(default=72, gt=0, le=24 * 30)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "riskgate@localhost"

    # Logging.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = False

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError(
                "RISKGATE_DATABASE_URL must start with sqlite:// or postgresql+psycopg://"
            )
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key.startswith("dev-insecure"):
            raise ValueError("RISKGATE_SECRET_KEY must be set to a random value in production")
        return self

    @model_validator(mode="after")
    def _no_cheap_password_hashing_in_production(self) -> Settings:
        memory_mib = self.password_hash_memory_kib / 1024
        if self.environment == "production" and (
            memory_mib < 7 or memory_mib * self.password_hash_time_cost < 35
        ):
            raise ValueError(
                "RISKGATE_PASSWORD_HASH_MEMORY_KIB and _TIME_COST are below OWASP's argon2id "
                "minimum (e.g. 19456 KiB with 2 passes) in production"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own Settings instead of patching this."""
    return Settings()
