"""Random tokens (the admin's, one per unit) and the CSRF tokens forms carry."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ADMIN_BYTES = 24
UNIT_BYTES = 16


def new_token(nbytes: int = UNIT_BYTES) -> str:
    return secrets.token_urlsafe(nbytes)


def derive(key: str, purpose: str) -> str:
    """A value bound to key and purpose (a CSRF token for one page's forms, the admin session cookie)."""
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def same(a: str | None, b: str) -> bool:
    """Constant-time comparison, so that a token cannot be guessed a character at a time."""
    return a is not None and hmac.compare_digest(a.encode(), b.encode())
