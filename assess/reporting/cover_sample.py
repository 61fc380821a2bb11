"""A sample of a report's first pages with a branding: the logo, the accent colour on
the cover's kicker, the headings' rule, the score box and the bars, as one SVG image.
A console page shows it before a branding is saved; its logo is inside it (a data
address), so the image loads nothing."""

from __future__ import annotations

from base64 import b64encode
from xml.sax.saxutils import escape, quoteattr

from assess.reporting.branding import Branding
from assess.reporting.i18n import translator

WIDTH, HEIGHT = 480, 300
SAMPLE_SCORES = (72.0, 55.0, 38.0, 61.0)


def sample_cover_svg(branding: Branding, language: str) -> str:
    """The sample, in `language`, as SVG text."""
    words = translator(language)
    _ = words.gettext
    accent = quoteattr(branding.accent)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="DejaVu Sans, sans-serif">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff" stroke="#cccccc"/>',
    ]
    top = 24
    if branding.logo is not None:
        data = f"data:{branding.logo_type};base64,{b64encode(branding.logo).decode()}"
        parts.append(
            f'<image x="24" y="{top}" width="140" height="48" href={quoteattr(data)} '
            'preserveAspectRatio="xMinYMid meet"/>'
        )
        top += 60
    parts += [
        f'<text x="24" y="{top + 14}" font-size="11" font-weight="bold" letter-spacing="1.5" '
        f"fill={accent}>{escape(_('CX maturity report').upper())}</text>",
        f'<text x="24" y="{top + 44}" font-size="24" font-weight="bold" fill="#111111">'
        "Muster GmbH</text>",
        f'<text x="24" y="{top + 80}" font-size="14" font-weight="bold" fill="#111111">'
        f"{escape(_('Executive summary'))}</text>",
        f'<line x1="24" x2="{WIDTH - 24}" y1="{top + 88}" y2="{top + 88}" stroke={accent} '
        'stroke-width="2"/>',
        f'<rect x="24" y="{top + 100}" width="110" height="46" rx="8" fill="none" '
        f'stroke={accent} stroke-width="2"/>',
        f'<text x="36" y="{top + 131}" font-size="20" font-weight="bold" fill="#111111">'
        f"{escape(words.number(62.5))}"
        '<tspan font-size="11" font-weight="normal" fill="#555555"> / 100</tspan></text>',
        f'<text x="160" y="{top + 104}" font-size="10" fill="#555555">'
        f"{escape(_('Scores per level'))}</text>",
    ]
    for row, score in enumerate(SAMPLE_SCORES):
        y = top + 112 + row * 10
        parts.append(f'<rect x="160" y="{y}" width="{score * 2.8:.1f}" height="7" fill={accent}/>')
    parts.append("</svg>")
    return "".join(parts)
