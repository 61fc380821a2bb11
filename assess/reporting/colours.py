"""The charts' colours, made from a consultant's accent colour.

Every chart draws its main series in the accent. Where a chart needs several colours
(groups, answers from low to high), they are shades of the accent that differ in
lightness, so they read in greyscale too. An accent too light to see on white paper is
darkened until it stands out (WCAG's 3:1 for graphics). Without an accent the charts keep
their default palette: Okabe-Ito for groups (distinguishable with every common
colour-vision deficiency) and a blue ramp for answers.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from assess.reporting.branding import DEFAULT_ACCENT

INK = "#222222"
GRID = "#BBBBBB"
NOT_APPLICABLE = "#D9D9D9"  # light grey, hatched: apart from the ramp in any print
CANT_JUDGE = "#FFFFFF"  # white, hatched the other way: apart from not applicable too
HATCH_INK = "#555555"
EARLIER = "#BBBBBB"  # an earlier wave, hatched
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
MIN_CONTRAST = 3.0  # against white: WCAG's minimum for parts of graphics
# The lightness (HLS) of the ramp's ends and of the shades groups get.
_RAMP = (0.92, 0.22)
_SHADES = (0.16, 0.76)


@dataclass(frozen=True)
class Palette:
    """The colours of one report's charts."""

    accent: str
    branded: bool = True

    def series(self, count: int) -> list[str]:
        """`count` colours for groups: the accent first, then shades of it from dark to
        light (Okabe-Ito without branding)."""
        if not self.branded:
            return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(count)]
        if count <= 1:
            return [self.accent][:count]
        hue, own, saturation = colorsys.rgb_to_hls(*_rgb(self.accent))
        saturation = min(saturation, 0.75)  # full saturation glares in the lighter shades
        low, high = _SHADES
        if count == 2:  # one more line: a dark one stands out best, if the accent is not
            steps = [low if own >= 0.3 else high]
        else:
            steps = [low + (high - low) * i / (count - 1) for i in range(count)]
            # The step nearest the accent's own lightness is the accent itself.
            steps.remove(min(steps, key=lambda step: abs(step - own)))
        return [self.accent, *(_hex(colorsys.hls_to_rgb(hue, s, saturation)) for s in steps)]

    def ramp(self, count: int) -> list[str]:
        """`count` colours from light to dark, in the accent's hue (answers from low to
        high; lightness alone tells them apart)."""
        hue, _, saturation = colorsys.rgb_to_hls(*_rgb(self.accent))
        if not self.branded:
            hue, saturation = colorsys.rgb_to_hls(*_rgb("#08519C"))[::2]
        saturation = min(saturation, 0.75)
        light, dark = _RAMP
        return [
            _hex(
                colorsys.hls_to_rgb(hue, light + (dark - light) * i / max(count - 1, 1), saturation)
            )
            for i in range(count)
        ]


def palette(accent: str | None = None) -> Palette:
    """The palette of an accent colour (#rgb or #rrggbb); the default one for none."""
    if accent is None or _long(accent).lower() == DEFAULT_ACCENT.lower():
        return Palette(DEFAULT_ACCENT, branded=False)
    return Palette(readable(_long(accent)))


def readable(colour: str) -> str:
    """`colour`, darkened just enough to stand out on white (3:1)."""
    red, green, blue = _rgb(colour)
    share = 1.0
    while contrast((red * share, green * share, blue * share)) < MIN_CONTRAST:
        share -= 0.02
    return _hex((red * share, green * share, blue * share))


def contrast(colour: tuple[float, float, float] | str, background: str = "#ffffff") -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: tuple[float, float, float] | str) -> float:
    channels = _rgb(colour) if isinstance(colour, str) else colour
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _long(colour: str) -> str:
    """#rgb as #rrggbb."""
    digits = colour.strip().removeprefix("#")
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = _long(colour)[1:]
    return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)


def _hex(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in channels)
