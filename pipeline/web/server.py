"""How the server meets the network when no reverse proxy stands in front of it (`make serve` on the office LAN).

uvicorn alone keeps a connection open for as long as a client takes to send its request: a thousand clients
sending a byte now and then hold a thousand connections, and the units' uploads wait behind them. Here:

- **Header timeout** (`header_timeout`, DVK_HEADER_TIMEOUT): a request's headers must arrive within this many
  seconds of the connection opening (or of the first byte of the next request on a kept-alive connection); else
  the connection is closed (with a 408 when part of a request came).
- **Keep-alive** (`keep_alive`, DVK_KEEP_ALIVE): an idle connection between two requests is closed after this.
- **Header size** (`max_header_bytes`, DVK_MAX_HEADER_BYTES): h11's limit on a request line and its headers.
- **Connections** (`max_connections`, DVK_MAX_CONNECTIONS): a connection beyond this many open ones is answered
  503 and closed at once, so that the server never runs out of file descriptors.
- **Body timeouts** (`body_idle_timeout`, DVK_BODY_IDLE_TIMEOUT; `body_min_rate`, DVK_BODY_MIN_RATE;
  `body_timeout`, DVK_BODY_TIMEOUT): a request body (an upload) may pause at most `body_idle_timeout` seconds
  between two pieces, must average `body_min_rate` bytes a second past a first `body_idle_timeout` seconds, and
  must be complete within `body_timeout` seconds; else the request is answered 408 (by the app's page: the
  sentence lives with the pages') and its connection closed.
- **Bodies at once** (`max_receiving`, DVK_MAX_RECEIVING): at most this many request bodies are received at the
  same time; one more is answered 503 at once (before its body is read), so that slow uploads never hold every
  connection while the pages stay reachable.

Every answer given here is in Vietnamese, like the pages: an uploader's browser shows it as it is.
"""
from __future__ import annotations

import asyncio
import logging
import time

from uvicorn.protocols.http.h11_impl import H11Protocol

from pipeline.web.security import HEADERS, HideTokens
from pipeline.web.settings import Settings

MSG_BAD_REQUEST = ("Yêu cầu gửi tới máy chủ không hợp lệ hoặc quá lớn (tiêu đề yêu cầu). Hãy mở lại đường dẫn của "
                   "đơn vị bằng trình duyệt rồi thử lại.")
MSG_HEADER_TIMEOUT = "Máy chủ đợi quá lâu mà chưa nhận đủ yêu cầu; kết nối đã đóng. Hãy tải lại trang rồi thử lại."
MSG_BUSY = ("Máy chủ đang nhận quá nhiều yêu cầu cùng lúc. Hãy đợi khoảng một phút, tải lại trang rồi gửi lại; "
            "báo cáo chưa được lưu.")

_PHRASES = {400: "Bad Request", 408: "Request Timeout", 503: "Service Unavailable"}
log = logging.getLogger("pipeline.web")


def raw_response(status: int, text: str) -> bytes:
    """A whole HTTP/1.1 response that closes its connection, written before (or instead of) any ASGI cycle."""
    body = text.encode("utf-8")
    head = [f"HTTP/1.1 {status} {_PHRASES[status]}", "content-type: text/plain; charset=utf-8",
            f"content-length: {len(body)}", "connection: close"]
    head += [f"{k.decode()}: {v.decode()}" for k, v in HEADERS]
    if status == 503:
        head.append("retry-after: 60")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header timeout, a cap on open connections and Vietnamese error answers."""

    header_timeout: float = 20.0
    max_connections: int = 400

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._received = False
        if len(self.connections) > self.max_connections:
            log.warning("more than %d connections open: one refused", self.max_connections)
            transport.write(raw_response(503, MSG_BUSY))
            transport.close()
            return
        self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._received = True
        if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm()                     # the first bytes of the next request on a kept-alive connection
        super().data_received(data)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:        # a request's headers have all come
            self._disarm()

    def on_response_complete(self) -> None:
        self._received = False
        super().on_response_complete()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self._received:
            self.transport.write(raw_response(408, MSG_HEADER_TIMEOUT))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self.logger.warning(msg)
        self.transport.write(raw_response(400, MSG_BAD_REQUEST))
        self.transport.close()


class BodyTimeout(Exception):
    """A request body that came too slowly (see `BodyGuard`); the app answers it with a 408 page."""


class BodyGuard:
    """ASGI middleware: a request body must keep coming and be complete in time, and only so many are received
    at once (see the module's docstring)."""

    def __init__(self, app, idle: float, min_rate: float, total: float, max_receiving: int):
        self.app, self.idle, self.min_rate, self.total = app, idle, min_rate, total
        self.max_receiving = max_receiving
        self.receiving = 0

    @classmethod
    def of(cls, app, settings: Settings) -> "BodyGuard":
        return cls(app, settings.body_idle_timeout, settings.body_min_rate, settings.body_timeout,
                   settings.max_receiving)

    def _wait(self, started: float, received: int) -> float:
        """How long the next piece of a body may take: never more than `idle`, nor past the whole body's deadline,
        nor past the time by which `received` bytes are too few for the least rate (after an allowance of `idle`)."""
        now = time.monotonic()
        wait = min(self.idle, started + self.total - now)
        if self.min_rate > 0:
            wait = min(wait, started + self.idle + received / self.min_rate - now)
        return wait

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _has_body(scope):
            return await self.app(scope, receive, send)
        if self.receiving >= self.max_receiving:
            log.warning("%d request bodies being received: one more refused", self.receiving)
            await _busy(send)
            return
        self.receiving += 1
        done, received, started = False, 0, time.monotonic()

        def finished() -> None:
            nonlocal done
            if not done:
                done = True
                self.receiving -= 1

        async def guarded_receive():
            nonlocal received
            if done:
                return await receive()      # after the body, a wait for a disconnect is no slow upload
            wait = self._wait(started, received)
            try:
                if wait <= 0:
                    raise asyncio.TimeoutError
                message = await asyncio.wait_for(receive(), wait)
            except asyncio.TimeoutError:
                finished()
                raise BodyTimeout() from None
            received += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body", False):
                finished()
            return message

        try:
            await self.app(scope, guarded_receive, send)
        finally:
            finished()


def _has_body(scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return value.strip() not in (b"", b"0")
        if name == b"transfer-encoding":
            return True
    return False


async def _busy(send) -> None:
    body = MSG_BUSY.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), (b"retry-after", b"60")]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def protocol_class(settings: Settings) -> type[GuardedH11Protocol]:
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {
        "header_timeout": float(settings.header_timeout), "max_connections": int(settings.max_connections)})


def uvicorn_kwargs(settings: Settings) -> dict:
    """The uvicorn settings of `make serve` (and of the tests' servers): the limits above."""
    return dict(http=protocol_class(settings), timeout_keep_alive=settings.keep_alive,
                h11_max_incomplete_event_size=settings.max_header_bytes, server_header=False)


def hide_tokens_in_logs() -> None:
    """Every logger the server writes through masks link tokens (access log, errors, the app's own)."""
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn", "pipeline.web"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideTokens) for f in logger.filters):
            logger.addFilter(HideTokens())
