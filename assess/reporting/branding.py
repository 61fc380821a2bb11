"""A consultant's branding, checked: a logo (PNG, JPEG or a self-contained SVG of at most
2 MB and 40 megapixels) and an accent colour (#rgb or #rrggbb)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 40_000_000
DEFAULT_ACCENT = "#0072B2"
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
# An SVG that refers to anything outside itself: links, images, stylesheets, entities.
_EXTERNAL = re.compile(
    rb"""(?:href|src)\s*=\s*["']\s*(?!#)|url\(\s*["']?\s*(?!#)|<!ENTITY|<!DOCTYPE|@import""",
    re.IGNORECASE,
)


class BrandingError(ValueError):
    """The logo or colour cannot be used; the message says what to change, and `kind`
    names the problem for pages that say it in their own language: colour, empty,
    too_large, not_image, unreadable, too_many_pixels or refers_outside."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Branding:
    """A logo (bytes and media type) and an accent colour."""

    logo: bytes | None = None
    logo_type: str | None = None
    accent: str = DEFAULT_ACCENT


def make_branding(logo: bytes | None = None, accent: str | None = None) -> Branding:
    """Checked branding; BrandingError says what is wrong with the logo or colour."""
    colour = DEFAULT_ACCENT if accent is None else accent.strip()
    if not _COLOUR.fullmatch(colour):
        raise BrandingError(
            f"accent colour {accent!r} is not a colour; give it as #rrggbb, e.g. #0a7f5c",
            "colour",
        )
    if logo is None:
        return Branding(accent=colour)
    return Branding(logo, _logo_type(logo), colour)


def _logo_type(logo: bytes) -> str:
    if not logo:
        raise BrandingError("the logo file is empty", "empty")
    if len(logo) > MAX_LOGO_BYTES:
        raise BrandingError(
            f"the logo has {len(logo):,} bytes; use one of at most {MAX_LOGO_BYTES:,}",
            "too_large",
        )
    if logo.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_pixels(logo, "PNG")
        return "image/png"
    if logo.startswith(b"\xff\xd8\xff"):
        _check_pixels(logo, "JPEG")
        return "image/jpeg"
    head = logo[:2048].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in logo[:4096].lower():
        if _EXTERNAL.search(logo):
            raise BrandingError(
                "the SVG logo refers to other files or addresses (href, url(), entities); "
                "use a self-contained SVG, or a PNG",
                "refers_outside",
            )
        return "image/svg+xml"
    raise BrandingError("the logo is not a PNG, JPEG or SVG image", "not_image")


def _check_pixels(logo: bytes, kind: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(logo)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise BrandingError(f"the logo is not a readable {kind} image", "unreadable") from None
    if width * height > MAX_LOGO_PIXELS:
        raise BrandingError(
            f"the logo has {width}×{height} pixels; scale it down (at most 40 megapixels)",
            "too_many_pixels",
        )
