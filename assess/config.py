"""Settings from ASSESS_* environment variables; a bad value stops the process with a message."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assess.domain.benchmarking import K_MINIMUM

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the service can be configured with."""

    model_config = SettingsConfigDict(env_prefix="ASSESS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./assess.db",
        description="SQLAlchemy URL: sqlite:///path.db (default) or postgresql+psycopg://…",
    )
    database_pool_size: int = Field(
        default=40,
        ge=1,
        le=1000,
        description="Database connections kept open: one per worker thread (40) by default.",
    )
    questionnaires_dir: Path = Field(
        default=PROJECT_ROOT / "questionnaires",
        description="Folder of questionnaire YAML files served and loaded by default.",
    )
    report_templates_dir: Path = Field(
        default=PROJECT_ROOT / "report_templates",
        description="Folder of the report's template (report.html.j2) and stylesheet.",
    )
    report_workers: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Processes that render reports (each peaks at about 145 MB resident).",
    )
    benchmark_k: int = Field(
        default=5,
        description="Fewest organisations (respondents, in a study) a figure may describe.",
    )
    secret_key: SecretStr = Field(
        default_factory=lambda: SecretStr(secrets.token_urlsafe(32)),
        min_length=16,
        description=(
            "Key that signs the respondents' form tokens. Unset, each process makes a "
            "random one at start: right for one process (`assess serve`); set it when "
            "several processes serve the same links, or forms open across a restart are "
            "refused once (nothing saved is lost)."
        ),
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("benchmark_k")
    @classmethod
    def _k_protects_anonymity(cls, value: int) -> int:
        if value < K_MINIMUM:
            raise ValueError(
                f"ASSESS_BENCHMARK_K is {value}; figures of fewer than {K_MINIMUM} "
                "organisations (or study respondents) could identify them: set it to "
                f"{K_MINIMUM} or more (default 5)"
            )
        return value

    @field_validator("questionnaires_dir", "report_templates_dir")
    @classmethod
    def _must_be_a_folder(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
