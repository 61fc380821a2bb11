"""Settings from ASSESS_* environment variables; a bad value stops the process with a message."""

from __future__ import annotations

import os
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
    secret_key: SecretStr | None = Field(
        default=None,
        min_length=16,
        description=(
            "Key that signs form tokens and derives respondents' links, so they can be "
            "shown again. Unset, with a SQLite file it is made once and kept beside the "
            "database (`<database>.key`); otherwise each process makes a random one at "
            "start, which suits one process only: set it when several processes serve "
            "the same pages, and keep it, or links made under it cannot be shown again "
            "(they still work)."
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


def secret_key_of(settings: Settings) -> str:
    """The server's key: as set, else kept in a file beside a SQLite database (made on
    first use, readable by its owner only), else a random one for this process."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    from sqlalchemy.engine import make_url  # here: rendering processes import settings

    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return secrets.token_urlsafe(32)
    path = Path(f"{url.database}.key")
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
