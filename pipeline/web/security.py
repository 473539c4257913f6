"""Forms that cannot be forged, headers on every response, an upload allowance per link, logs without tokens."""
from __future__ import annotations

import hmac
import logging
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import unquote

from itsdangerous import BadSignature, URLSafeTimedSerializer

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),           # the links carry tokens: never send them on
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"x-robots-tag", b"noindex, nofollow"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """ASGI middleware, outermost: every response, error pages included, carries the headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class FormGuard:
    """A signed form token bound to the link's token hash: a page of one link cannot post for another,
    and a page on another site cannot post at all (it never sees the token)."""

    def __init__(self, secret: bytes, max_age: int):
        self._s = URLSafeTimedSerializer(secret, salt="dvk-web-form")
        self.max_age = max_age

    def issue(self, key: str, purpose: str) -> str:
        return self._s.dumps([key[:32], purpose])

    def valid(self, value, key: str, purpose: str) -> bool:
        if not isinstance(value, str) or not value or len(value) > 400:
            return False
        try:
            bound, what = self._s.loads(value, max_age=self.max_age)
        except (BadSignature, ValueError, TypeError):
            return False
        return hmac.compare_digest(str(bound), key[:32]) and what == purpose


def cross_site(headers) -> bool:
    """True when the browser says the request comes from another site."""
    return headers.get("sec-fetch-site", "").lower() == "cross-site"


class RateLimiter:
    """A token bucket per key (a unit's link: thirty units behind one office address never hold one another
    back): `burst` uploads at once, refilled at `per_minute`."""

    def __init__(self, burst: int, per_minute: float, max_clients: int = 10_000):
        self.burst, self.rate = float(burst), per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            ok = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if ok else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return ok

    def retry_after(self) -> int:
        return max(1, int(round(1.0 / self.rate)))


# A link token is 43 characters of base64url; anything that long in that alphabet is masked, wherever it stands
# in a logged line ("/u/<t>", "/U/<t>", "/u/o/<t>", "/<t>", "?x=<t>", percent-encoded or not), but an upload's id.
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{20,}")
UPLOAD_ID = re.compile(r"\d{8}T\d{6}Z_[0-9a-f]{8}(?:_\d{1,4})?")
MASK = "…"


def hide_tokens(text: str) -> str:
    """`text` with every run of characters that could be a link token masked."""
    if "%" in text:
        text = unquote(text)
    return TOKEN_LIKE.sub(lambda m: m.group() if UPLOAD_ID.fullmatch(m.group()) else MASK, text)


class HideTokens(logging.Filter):
    """Logs must not hold the links' tokens: the access log's path, and any message of the server's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_tokens(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: hide_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True
