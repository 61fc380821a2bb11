"""The deployment files: compose.yaml, the Dockerfile and the README's "Deploying" name only
commands and settings that exist, share one database and key, keep secrets out of the
files and the image, and the package carries every file it reads."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from assess.cli.main import app
from assess.config import Settings
from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
README = (ROOT / "README.md").read_text()
SETTING = re.compile(r"\bASSESS_[A-Z][A-Z_]*[A-Z]\b")
# Variables that are not settings of the service: the tests' and benchmarks' databases,
# and a password read by `assess user` instead of asking for it.
# Variables of the tests, benchmarks and commands, not of the service.
NOT_SETTINGS = {
    "ASSESS_TEST_DATABASE_URL",
    "ASSESS_BENCH_DATABASE_URL",
    "ASSESS_NEW_PASSWORD",
    "ASSESS_FUZZ_EXAMPLES",
    "ASSESS_FUZZ_SEED",
    "ASSESS_DIFFERENCING_EXAMPLES",
}
ASSESS_SERVICES = ("migrate", "web", "worker")


def deploying_section() -> str:
    start = README.index("\n## Deploying\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def compose_commands() -> list[list[str]]:
    """Each `assess …` command the compose services run, split into words."""
    commands = []
    for service in COMPOSE["services"].values():
        command = service.get("command")
        if command is not None:
            commands.extend(_assess_commands(command))
    return commands


def dockerfile_commands() -> list[list[str]]:
    """Each `assess …` command of the Dockerfile's CMD."""
    [line] = [line for line in DOCKERFILE.splitlines() if line.startswith("CMD ")]
    return _assess_commands(json.loads(line.removeprefix("CMD ")))


def _assess_commands(command: list[str] | str) -> list[list[str]]:
    words = command if isinstance(command, list) else shlex.split(command)
    if words[:2] == ["sh", "-c"]:
        return [
            found
            for part in re.split(r"&&|;", words[2])
            for found in _assess_commands(part.strip().removeprefix("exec ").strip())
        ]
    return [words] if words and words[0] == "assess" else []


def test_compose_runs_postgresql_a_migration_web_and_worker_on_one_database_and_key() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"db", *ASSESS_SERVICES}
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in COMPOSE["volumes"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    environments = [services[name]["environment"] for name in ASSESS_SERVICES]
    for shared in ("ASSESS_DATABASE_URL", "ASSESS_SECRET_KEY"):
        assert len({environment[shared] for environment in environments}) == 1
    environment = environments[0]
    assert environment["ASSESS_DATABASE_URL"].startswith("postgresql+psycopg://assess:${")
    assert environment["ASSESS_DATABASE_URL"].endswith("@db:5432/assess")


def test_compose_takes_every_secret_from_the_environment_never_the_file() -> None:
    services = COMPOSE["services"]
    password = services["db"]["environment"]["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]+\}", password)
    for name in ASSESS_SERVICES:
        key = services[name]["environment"]["ASSESS_SECRET_KEY"]
        assert re.fullmatch(r"\$\{ASSESS_SECRET_KEY:\?[^}]+\}", key)
        assert services[name]["env_file"] == ".env"
        assert password in services[name]["environment"]["ASSESS_DATABASE_URL"]


def test_compose_and_the_dockerfile_run_only_commands_and_options_that_exist() -> None:
    commands = [*compose_commands(), *dockerfile_commands()]
    assert ["assess", "db", "upgrade"] in commands
    assert ["assess", "serve", "--workers", "2"] in commands
    assert ["assess", "worker"] in commands
    root = typer.main.get_command(app)
    for words in commands:
        _check_command(root, words)


def _check_command(root: Any, words: list[str]) -> None:
    """Fail unless `words` name a command of `root` with options it has. (Typer brings a
    click of its own, so commands are told apart by what they have, not their class.)"""
    command, rest = root, words[1:]
    while hasattr(command, "commands") and rest:
        found = command.commands.get(rest[0])
        assert found is not None, f"{' '.join(words)}: no command {rest[0]}"
        command, rest = found, rest[1:]
    assert not hasattr(command, "commands"), f"{' '.join(words)}: names no command"
    options = {
        opt: param
        for param in command.params
        if param.param_type_name == "option"
        for opt in (*param.opts, *param.secondary_opts)
    }
    arguments = [param for param in command.params if param.param_type_name == "argument"]
    taking_value = False
    for word in rest:
        if taking_value:
            taking_value = False
        elif word.startswith("--"):
            assert word in options, f"{' '.join(words)}: no option {word}"
            taking_value = not options[word].is_flag
        else:
            assert arguments, f"{' '.join(words)}: {command.name} takes no {word}"


def test_every_assess_variable_named_for_deployment_is_a_setting() -> None:
    settings = {f"ASSESS_{name.upper()}" for name in Settings.model_fields}
    named = set()
    for text in (DOCKERFILE, README, (ROOT / "compose.yaml").read_text()):
        named |= set(SETTING.findall(text))
    assert named - NOT_SETTINGS <= settings, sorted(named - NOT_SETTINGS - settings)


def test_every_setting_has_a_row_in_the_deploying_table_with_its_default() -> None:
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `(ASSESS_[A-Z_]+)` \| ([^|]*) \|", deploying_section(), re.M)
    }
    for name, field in Settings.model_fields.items():
        variable = f"ASSESS_{name.upper()}"
        assert variable in rows, f"{variable} has no row in README's Deploying table"
        default = field.default
        if default is None:
            assert rows[variable].startswith("none"), variable
        elif isinstance(default, str | int | float) and not isinstance(default, bool):
            shown = str(default.value if hasattr(default, "value") else default)
            assert f"`{shown.removesuffix('.0')}`" in rows[variable], (variable, shown)


def test_the_image_runs_as_a_user_is_checked_on_readyz_and_has_pdf_libraries() -> None:
    users = [line.split()[1] for line in DOCKERFILE.splitlines() if line.startswith("USER ")]
    assert users
    assert users[-1] not in {"root", "0"}
    assert "/readyz" in DOCKERFILE.split("HEALTHCHECK", 1)[1]
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in DOCKERFILE


def test_the_image_copies_files_that_exist_and_dockerignore_lets_through() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [
        source
        for line in DOCKERFILE.splitlines()
        if line.startswith("COPY ")
        for source in line.split()[1:-1]
    ]
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not _ignored(patterns, source), f"{source} is left out by .dockerignore"
    for secret in (".env", "assess.db", "assess.db.key", "assess.db-wal", ".venv", "tests"):
        assert _ignored(patterns, secret), f"{secret} would go into the image"
    assert _ignored(patterns, "assess/__pycache__")


def _ignored(patterns: list[str], path: str) -> bool:
    """Whether Docker leaves `path` out of the build context: the last pattern that matches
    it or a folder above it decides."""
    parts = Path(path).parts
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.removeprefix("!").rstrip("/")
        if any(
            fnmatch.fnmatch(candidate, glob)
            or (glob.startswith("**/") and fnmatch.fnmatch(candidate.split("/")[-1], glob[3:]))
            for candidate in candidates
        ):
            ignored = not negated
    return ignored


def test_the_installed_package_carries_every_file_it_reads_besides_python() -> None:
    pyproject: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["assess"]
    package = ROOT / "assess"
    carried = {path for glob in globs for path in package.glob(glob) if path.is_file()}
    data = {
        path
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data, "the package has templates, static files and catalogues"
    assert data <= carried, sorted(str(p.relative_to(ROOT)) for p in data - carried)


@pytest.mark.parametrize("words", [["assess", "serve", "--no-such-option"], ["assess", "nope"]])
def test_the_command_check_finds_what_does_not_exist(words: list[str]) -> None:
    with pytest.raises(AssertionError):
        _check_command(typer.main.get_command(app), words)
