"""The rules of recommendations' `depends_on`: every id names another recommendation,
none depends on itself, and no chain of dependencies comes back to where it started
(each cycle reported once, named). They read the raw data and skip what is malformed."""

from __future__ import annotations

from typing import Any

from assess.domain.cross_checks import closest, mappings
from assess.domain.yamlfile import Document, Path, Problem

# A recommendation id -> where its `depends_on` list stands and what it lists.
Graph = dict[str, tuple[Path, list[Any]]]


def dependency_checks(doc: Document) -> list[Problem]:
    """Unknown ids, self-dependencies and cycles in `depends_on`, at the offending id."""
    graph: Graph = {}
    dimensions: list[str] = []
    lists: list[tuple[Path, Any, list[Any]]] = []
    for d, dimension in mappings(doc.data.get("dimensions")):
        if isinstance(dimension.get("id"), str):
            dimensions.append(dimension["id"])
        for r, recommendation in mappings(dimension.get("recommendations")):
            own, listed = recommendation.get("id"), recommendation.get("depends_on")
            place: Path = ("dimensions", d, "recommendations", r, "depends_on")
            listed = listed if isinstance(listed, list) else []
            lists.append((place, own, listed))
            # A duplicate id is reported elsewhere; the first one stands for it.
            if isinstance(own, str) and own not in graph:
                graph[own] = (place, listed)
    problems: list[Problem] = []
    for place, own, listed in lists:
        problems += _unknown(doc, place, own, listed, graph, dimensions)
    return problems + _cycles(doc, graph)


def _unknown(
    doc: Document, place: Path, own: Any, listed: list[Any], graph: Graph, dimensions: list[str]
) -> list[Problem]:
    """Every id in one `depends_on` is another recommendation's."""
    known = [other for other in graph if other != own]
    problems: list[Problem] = []
    for n, other in enumerate(listed):
        if not isinstance(other, str):
            continue
        if other == own:
            problems.append(
                doc.problem(
                    (*place, n), f"'{other}' depends on itself; remove it from its depends_on"
                )
            )
        elif other not in graph:
            what = (
                f"'{other}' is a dimension; depends_on names recommendations"
                if other in dimensions
                else f"depends_on names an unknown recommendation '{other}'"
            )
            hint = closest(other, known) or (
                "; recommendation ids are: " + ", ".join(known) if known else ""
            )
            problems.append(doc.problem((*place, n), what + hint))
    return problems


def _cycles(doc: Document, graph: Graph) -> list[Problem]:
    """Each cycle of `depends_on`, reported once: at the dependency that closes it."""
    problems: list[Problem] = []
    done: set[str] = set()
    for start in graph:
        if start in done:
            continue
        # A depth-first walk without recursion: a file may chain thousands of steps.
        trail: list[tuple[str, int]] = [(start, 0)]
        while trail:
            rec_id, n = trail[-1]
            place, listed = graph[rec_id]
            if n == len(listed):
                trail.pop()
                done.add(rec_id)
                continue
            trail[-1] = (rec_id, n + 1)
            other = listed[n]
            if not isinstance(other, str) or other == rec_id or other in done or other not in graph:
                continue
            on_trail = [r for r, _ in trail]
            if other in on_trail:
                cycle = [*on_trail[on_trail.index(other) :], other]
                # Named from the recommendation whose depends_on closes it.
                named = [rec_id, *cycle[:-2], rec_id]
                problems.append(
                    doc.problem(
                        (*place, n),
                        "depends_on closes a cycle: "
                        + " -> ".join(named)
                        + "; remove one of these dependencies",
                    )
                )
            else:
                trail.append((other, 0))
    return problems
