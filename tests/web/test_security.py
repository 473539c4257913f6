"""The server's guards on their own: the upload allowance per link, and logs that never hold a link's token."""
from __future__ import annotations

import logging
import secrets
from urllib.parse import unquote

from pipeline.web.security import HideTokens, RateLimiter, hide_tokens

TOKEN = secrets.token_urlsafe(32)          # a link token as tokens.py issues them (43 characters)
UPLOAD = "20230612T030000Z_89abcdef"         # an upload's id: shown, it is no secret


def test_each_link_has_its_own_allowance_refilled_with_time():
    limiter = RateLimiter(burst=2, per_minute=6)        # one more every 10 s
    assert [limiter.allow("a", now=0.0) for _ in range(3)] == [True, True, False]
    assert limiter.allow("b", now=0.0)                  # another link is not held back
    assert not limiter.allow("a", now=9.0) and limiter.allow("a", now=20.0)
    assert limiter.retry_after() == 10


def test_the_oldest_links_are_forgotten_beyond_the_limit_and_start_afresh():
    limiter = RateLimiter(burst=1, per_minute=1, max_clients=2)
    assert limiter.allow("a", now=0.0) and not limiter.allow("a", now=0.0)
    assert limiter.allow("b", now=0.0) and limiter.allow("c", now=0.0)   # "a" is forgotten: 2 links kept
    assert limiter.allow("a", now=0.0)


def test_a_token_is_masked_wherever_it_stands_and_an_upload_id_is_kept():
    encoded = "".join(f"%{ord(c):02X}" for c in TOKEN)          # every character percent-encoded
    for line in (f"GET /u/{TOKEN} HTTP/1.1", f"GET /U/{TOKEN}/nop", f"/o/{TOKEN}/bang?x={TOKEN}", f"GET /u/{encoded}"):
        assert TOKEN not in unquote(hide_tokens(line)) and "…" in hide_tokens(line), line
    assert hide_tokens(f"GET /u/{TOKEN}/nop/{UPLOAD}") == f"GET /u/…/nop/{UPLOAD}"
    assert hide_tokens("GET /static/app.css 200") == "GET /static/app.css 200"


def test_the_log_filter_masks_messages_and_both_kinds_of_arguments():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, f"%s %d - token {TOKEN}",
                               (f"/u/{TOKEN}", 200), None)
    assert HideTokens().filter(record) is True
    assert TOKEN not in record.getMessage() and record.args[1] == 200
    named = logging.LogRecord("app", logging.INFO, __file__, 1, "%(path)s %(n)d", None, None)
    named.args = {"path": f"/o/{TOKEN}", "n": 3}
    assert HideTokens().filter(named) is True
    assert named.getMessage() == "/o/… 3"
