"""What the commands do when an argument is wrong: exit with a message saying what to
change."""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str) -> NoReturn:
    """Bad input: say what to change on stderr and exit with 1."""
    typer.echo(message, err=True)
    raise typer.Exit(1)
