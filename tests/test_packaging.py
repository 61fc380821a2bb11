"""The wheel: every package is listed in pyproject.toml, and an installed wheel migrates a
database and renders a report outside the source tree, with no setting pointing back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# What a fresh clone needs to build the wheel; nothing else is copied.
SOURCES = ("pyproject.toml", "README.md", "assess", "migrations", "questionnaires")
SOURCES += ("report_templates",)


def _folder_of(package: str) -> Path:
    """Where a listed package's sources are: through [tool.setuptools.package-dir], else
    the folder its dotted name spells."""
    mapped = SETUPTOOLS.get("package-dir", {})
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in mapped:
            return ROOT / mapped[prefix] / Path(*parts[cut:])
    return ROOT / Path(*parts)


def _packages_in(folder: Path, name: str) -> set[str]:
    """The dotted names of every folder with an __init__.py in `folder`, itself included."""
    return {
        ".".join([name, *init.parent.relative_to(folder).parts])
        for init in folder.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_package_is_listed_and_every_listed_package_exists() -> None:
    listed = set(SETUPTOOLS["packages"])
    found = _packages_in(ROOT / "assess", "assess")
    for package, folder in SETUPTOOLS.get("package-dir", {}).items():
        found |= _packages_in(ROOT / folder, package)
    assert {
        "assess.migrations",
        "assess.migrations.versions",
        "assess.questionnaires",
        "assess.report_templates",
    } <= found
    assert sorted(found - listed) == [], "packages missing from [tool.setuptools] packages"
    missing = [p for p in sorted(listed) if not (_folder_of(p) / "__init__.py").is_file()]
    assert missing == [], "listed packages without a folder and __init__.py"


def _missing_from(wheel: Path, source: Path) -> list[str]:
    """The files of the package's folders (templates, static files, catalogues, migrations,
    questionnaires…) that the wheel does not hold; hidden files (.gitkeep) aside."""
    folders = {"assess": "assess"} | SETUPTOOLS.get("package-dir", {})
    held = set(zipfile.ZipFile(wheel).namelist())
    missing = []
    for package, folder in folders.items():
        for path in sorted((source / folder).rglob("*")):
            relative = path.relative_to(source / folder)
            if path.is_dir() or any(part.startswith(".") for part in relative.parts):
                continue
            name = "/".join([*package.split("."), *relative.parts])
            if name not in held:
                missing.append(name)
    return missing


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; on failure, show what it printed."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    printed = f"{done.stdout}\n{done.stderr}"
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{printed}"
    return done.stdout


@pytest.mark.beside_postgresql
def test_installed_wheel_migrates_and_renders_the_report_outside_the_source_tree(
    tmp_path: Path,
) -> None:
    # Built from a copy of the tree, as a fresh clone would: nothing (build/, *.egg-info)
    # lands in the source tree. pip builds it in an isolated environment with the
    # setuptools and wheel that pyproject.toml asks for, as `pip install .` does.
    source = tmp_path / "source"
    source.mkdir()
    skipped = shutil.ignore_patterns("__pycache__")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skipped)
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    dist, site = tmp_path / "dist", tmp_path / "site"
    _run([*pip, "wheel", "--no-deps", "-w", str(dist), str(source)], tmp_path)
    [wheel] = dist.glob("assess-*.whl")
    assert _missing_from(wheel, source) == [], "files of the package left out of the wheel"
    _run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ASSESS_")}
    environment |= {
        "PYTHONPATH": str(site),
        "ASSESS_DATABASE_URL": f"sqlite:///{elsewhere / 'assess.db'}",
    }
    where = [sys.executable, "-c", "import assess; print(assess.__file__)"]
    imported = _run(where, elsewhere, environment)
    assert Path(imported.strip()).is_relative_to(site), "the source tree was imported"

    command = [sys.executable, "-m", "assess.cli.main"]
    _run([*command, "db", "upgrade"], elsewhere, environment)
    assert (elsewhere / "assess.db").stat().st_size > 0
    report = tmp_path / "r.pdf"
    answers = ROOT / "examples" / "answers-demo.csv"
    options = ["-q", "cx-maturity", "-a", str(answers), "--lang", "de", "--out", str(report)]
    _run([*command, "report", *options], elsewhere, environment)

    text = "".join(page.extract_text() for page in pypdf.PdfReader(report).pages)
    title = yaml.safe_load((ROOT / "questionnaires" / "cx-maturity-v2.yaml").read_text())["title"]
    assert "Muster" in text or title["de"] in text
