"""Dependencies routes share: the questionnaire catalogue, and loading one or 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from assess.catalogue import Catalogue, Entry


def get_catalogue(request: Request) -> Catalogue:
    """The catalogue the app loaded at start."""
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


def get_entry(questionnaire_id: str, catalogue: CatalogueDep) -> Entry:
    """The questionnaire named in the path, or 404."""
    entry = catalogue.get(questionnaire_id)
    if entry is None:
        raise HTTPException(404, f"No questionnaire with id '{questionnaire_id}'.")
    return entry


EntryDep = Annotated[Entry, Depends(get_entry)]
