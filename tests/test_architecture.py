"""The domain stays pure (no web, database, template, PDF or chart framework in it) and the
settings are a leaf; the contracts in pyproject.toml (`lint-imports`) check all the layers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).parent.parent / "assess" / "domain"
FORBIDDEN = {"fastapi", "starlette", "sqlmodel", "sqlalchemy", "jinja2", "weasyprint", "matplotlib"}


def test_domain_source_imports_no_framework() -> None:
    found = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert found == []


def test_importing_the_domain_loads_no_framework() -> None:
    code = (
        "import sys, assess.domain.scoring, assess.domain.validation, assess.domain.answers;"
        f"print(sorted(m for m in {sorted(FORBIDDEN)!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_settings_loads_no_other_module_of_assess() -> None:
    code = (
        "import sys, assess.config;"
        "print(sorted(m for m in sys.modules if m.startswith('assess.')"
        " and m not in ('assess.config', 'assess.config_checks')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
