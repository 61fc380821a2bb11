"""Pages of the API's lists: `limit` and `offset` in the query, the body still the JSON
array of one page, the whole list's length in X-Total-Count and the next page's address
in an RFC 8288 Link header (rel="next") while more follow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Beyond any list's length, and within what both databases take as a number.
MAX_OFFSET = 1_000_000_000
T = TypeVar("T")

# How the API documents a page of a list.
PAGED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "One page of the list, in a stable order.",
        "headers": {
            "X-Total-Count": {
                "description": "How many entries the whole list has.",
                "schema": {"type": "integer"},
            },
            "Link": {
                "description": 'The next page\'s address, as `<…>; rel="next"` (RFC 8288), '
                "while more entries follow.",
                "schema": {"type": "string"},
            },
        },
    }
}


@dataclass(frozen=True)
class Page:
    """Which part of a list a request asks for."""

    limit: int
    offset: int


def page_of(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Entries per page, at most {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip from the start.")
    ] = 0,
) -> Page:
    """The page a request asks for; 422 for a limit or offset out of range."""
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page_of)]


def announce(request: Request, response: Response, page: Page, total: int) -> None:
    """Tell the total and, while more follow, where the next page is: an address relative
    to the request's (RFC 8288 resolves it so), right behind any proxy, whatever host and
    scheme it was reached by."""
    response.headers["X-Total-Count"] = str(total)
    following = page.offset + page.limit
    if following < total:
        url = request.url.include_query_params(limit=page.limit, offset=following)
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'


def page_from(items: Sequence[T], request: Request, response: Response, page: Page) -> list[T]:
    """One page of a list already at hand, announced (for lists built in Python)."""
    announce(request, response, page, len(items))
    return list(items[page.offset : page.offset + page.limit])
