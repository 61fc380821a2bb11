"""A matplotlib figure as a lean inline SVG element.

matplotlib's SVG carries metadata, a group around every artist, clip paths and
`xlink:href`; WeasyPrint styles and draws each element of an inline SVG, so all of that
costs render time and memory. What is left draws the same picture, as long as the chart
draws within its axes' limits (clip paths are dropped).
"""

from __future__ import annotations

import hashlib
import io
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import matplotlib
from matplotlib.figure import Figure

from assess.reporting.colours import GRID, INK

STYLE: Any = {  # rcParams (typed loosely: matplotlib types its keys as literals)
    "svg.fonttype": "none",
    "svg.hashsalt": "assess",  # the same input gives the same SVG
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.parse_math": False,
    "text.usetex": False,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}

P = ParamSpec("P")
R = TypeVar("R")

# Where constrained layout put the axes, by everything the layout depends on (size,
# tick labels, legend entries). Laying out costs more than drawing, and the same labels
# come back in every report of a questionnaire.
_LAYOUTS: dict[tuple[object, ...], tuple[float, float, float, float]] = {}
_MAX_LAYOUTS = 256


def styled(chart: Callable[P, R]) -> Callable[P, R]:
    """Build and draw the chart under the report's rcParams."""

    @wraps(chart)
    def styled(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(STYLE):
            return chart(*args, **kwargs)

    return styled


class Chart:
    """A figure with one axes: laid out by matplotlib the first time, then placed where
    that layout put it."""

    def __init__(
        self,
        width: float,
        height: float,
        *layout: object,
        projection: str | None = None,
        box: tuple[float, float, float, float] | None = None,
    ) -> None:
        # A chart that lays itself out gives `box` (left, bottom, width, height in
        # figure fractions) and is not remembered.
        self.key: tuple[object, ...] | None = None if box else (width, height, projection, *layout)
        box = box or _LAYOUTS.get(self.key or ())
        self.figure = Figure(figsize=(width, height), layout=None if box else "constrained")
        self.axes: Any = (
            self.figure.add_axes(box, projection=projection)
            if box
            else self.figure.add_subplot(projection=projection)
        )

    def svg(self, title: str) -> str:
        """The figure as an inline <svg> element with a title for assistive technology."""
        buffer = io.StringIO()
        with warnings.catch_warnings():
            # A legend below the plot can leave constrained layout nothing to shrink on
            # the first pass; the figure is still laid out, so the warning says nothing.
            warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
            self.figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        if self.key is not None and self.key not in _LAYOUTS:
            if len(_LAYOUTS) >= _MAX_LAYOUTS:
                _LAYOUTS.clear()
            _LAYOUTS[self.key] = self.axes.get_position().bounds
        return _lean(buffer.getvalue(), title)


_SVG = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _lean(svg: str, title: str) -> str:
    """Matplotlib's SVG with what a reader sees and nothing else."""
    # matplotlib's own output: no entities, every label escaped by its XML writer.
    root = ET.fromstring(svg[svg.index("<svg") :])  # noqa: S314
    _prune(root)
    # matplotlib names markers by their shape, so two charts of a page would share ids.
    prefix = "c" + hashlib.sha1((title + svg).encode(), usedforsecurity=False).hexdigest()[:8]
    for element in root.iter():
        if "id" in element.attrib:
            element.set("id", prefix + element.attrib["id"])
        if element.get("href", "").startswith("#"):
            element.set("href", "#" + prefix + element.attrib["href"][1:])
        for name in ("style", "fill"):  # hatch patterns: fill: url(#h…)
            if "url(#" in element.get(name, ""):
                element.set(name, element.attrib[name].replace("url(#", "url(#" + prefix))
    root.tag = "svg"
    root.attrib = {"xmlns": _SVG, "role": "img", **root.attrib}
    label = ET.Element("title")
    label.text = title
    root.insert(0, label)
    return ET.tostring(root, encoding="unicode")


def _prune(parent: ET.Element) -> None:
    """Drop metadata, clip paths and groups that only name their children; plain tag
    names and SVG 2 `href`, so the markup declares one namespace."""
    kept: list[ET.Element] = []
    for child in parent:
        child.tag = child.tag.rpartition("}")[2]
        if child.tag in ("metadata", "clipPath"):
            continue
        _prune(child)
        child.attrib.pop("clip-path", None)
        if _XLINK_HREF in child.attrib:
            child.set("href", child.attrib.pop(_XLINK_HREF))
        if child.get("transform", "").startswith("rotate(-0 "):  # upright text
            del child.attrib["transform"]
        if child.tail is not None and child.tail.isspace():
            child.tail = None
        if child.tag == "g" and set(child.attrib) <= {"id"}:
            kept.extend(child)
        elif child.tag != "defs" or len(child):
            kept.append(child)
    if parent.text is not None and parent.text.isspace():
        parent.text = None
    parent[:] = kept
