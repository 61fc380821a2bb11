"""Secrets: API keys (prefix shown, secret hashed) and single-use invitation tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

API_KEY_PREFIX = "ak"


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret; enough for random tokens, unlike passwords."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewApiKey:
    """A freshly made key: `full` is shown once; only `prefix` and `secret_hash` are kept."""

    prefix: str
    secret_hash: str
    full: str


def new_api_key() -> NewApiKey:
    """A key like `ak_3f9c2a1b_…`: recognisable, with 256 bits of secret."""
    prefix = f"{API_KEY_PREFIX}_{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(32)
    return NewApiKey(prefix, digest(secret), f"{prefix}_{secret}")


def split_api_key(full: str) -> tuple[str, str] | None:
    """(prefix, secret) of a presented key, or None when it is not shaped like one."""
    parts = full.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return f"{parts[0]}_{parts[1]}", parts[2]


def secret_matches(secret: str, secret_hash: str) -> bool:
    """Constant-time comparison of a presented secret with a stored hash."""
    return hmac.compare_digest(digest(secret), secret_hash)


def new_invitation_token() -> str:
    """An unguessable token for a respondent's link."""
    return secrets.token_urlsafe(24)
