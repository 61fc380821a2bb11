"""Secrets: API keys (prefix shown, secret hashed), invitation links, passwords and the
sessions of signed-in browsers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


# Passwords: argon2id with the library's defaults (RFC 9106's second recommended
# parameter set: 64 MiB, 3 passes), which it raises as hardware grows; `needs_rehash`
# tells when a stored hash was made with weaker ones.
_passwords = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000


def hash_password(password: str) -> str:
    """An argon2id hash of a password, with its own salt and parameters."""
    return _passwords.hash(password)


def password_matches(password: str, password_hash: str | None) -> bool:
    """Whether a password matches its stored hash. With no hash, a dummy one is checked
    so that an unknown e-mail takes as long as a wrong password."""
    try:
        return _passwords.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    return _passwords.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in words; None when it may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password may have at most {MAX_PASSWORD_LENGTH} characters"
    return None


@cache
def _dummy_hash() -> str:
    return _passwords.hash(secrets.token_urlsafe(16))


def new_session_token() -> str:
    """The secret of a signed-in browser's session cookie."""
    return secrets.token_urlsafe(32)


def link_token(key: str, invitation_id: uuid.UUID, salt: str) -> str:
    """The token of an invitation's link, derived from the server's key.

    Only its hash is stored, yet whoever runs the assessment can be shown the link again
    (to copy it, download it or send a reminder): it is recomputed from the key, which
    the database does not hold. A new salt makes a new link and retires the old one.
    """
    message = f"invitation-link:{invitation_id}:{salt}".encode()
    mac = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode()  # 192 bits, 32 characters


def signed(key: str, purpose: str, value: str) -> str:
    """An HMAC of `value` for one `purpose`: form tokens that only the server can make."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
