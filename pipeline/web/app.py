"""The web application: each unit's page (check and send a return) and the office board.

Every URL starts with a link token: /u/<token>/... for a unit, /o/<token>/... for the office.
Anything else, or a token that is not valid, answers the same 404 page.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.web import checking, storage as st, workers
from pipeline.web.checking import Outcome
from pipeline.web.security import FormGuard, RateLimiter, SecurityHeaders, cross_site
from pipeline.web.server import BodyGuard, BodyTimeout
from pipeline.web.settings import DISPLAY_TZ, Settings
from pipeline.web.runs import ReportRunner
from pipeline.web.tokens import TokenStore, Who, secret_key

log = logging.getLogger("pipeline.web")
HERE = Path(__file__).resolve().parent
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.12"
FORM_OVERHEAD = 64 * 1024          # multipart headers and the form token around the files
DOSSIER_FIELD = "ho_so"            # the form's field of hồ sơ files (several), beside "file", the return
OUTPUTS_ZIP = "ket_qua.zip"
SHOWN_ISSUES = 500                 # issues listed on a result page; the feedback workbook has them all
RECENT_CHECKS = 32                 # outcomes kept for uploads of the same bytes by the same unit

MSG_TOO_LARGE = "Tệp lớn hơn giới hạn {mb} MB cho phép; hãy xóa ảnh, sheet thừa rồi gửi lại."
MSG_NO_FILE = ("Chưa chọn tệp nào. Hãy bấm “Chọn tệp”, chọn tệp báo cáo Excel của đơn vị (hoặc các tệp hồ sơ đề "
               "nghị khen thưởng) rồi bấm “Gửi và kiểm tra”.")
MSG_REQUEST_TOO_LARGE = ("Nội dung gửi lên lớn hơn giới hạn cho phép (báo cáo tối đa {mb} MB, hồ sơ tối đa {unit_mb} MB "
                         "cho mỗi đơn vị) nên không tệp nào được lưu. Hãy gửi ít tệp hơn trong mỗi lần.")
MSG_DOSSIER_TOO_MANY = ("Mỗi đơn vị gửi được tối đa {n} tệp hồ sơ (đơn vị đã có {have} tệp, lần này gửi thêm {sent}) "
                        "nên không tệp nào trong lần gửi này được lưu. Hãy gộp các trang vào ít tệp PDF hơn rồi gửi "
                        "lại, hoặc liên hệ Cơ quan Tổ chức – Nội vụ.")
MSG_DOSSIER_OVER_TOTAL = ("Tổng dung lượng hồ sơ của mỗi đơn vị tối đa {mb} MB; thêm các tệp này thì vượt quá nên không "
                          "tệp nào được lưu. Hãy quét (scan) với độ phân giải thấp hơn rồi gửi lại.")
MSG_DOSSIER_REFUSED = ("Không tệp nào trong lần gửi này được lưu (kể cả tệp báo cáo, nếu có) vì có tệp hồ sơ không "
                       "nhận được; hãy bỏ hoặc sửa các tệp dưới đây rồi gửi lại:")
MSG_DOSSIER_TOO_LARGE = ("tệp lớn hơn giới hạn {mb} MB cho mỗi tệp hồ sơ; hãy quét (scan) với độ phân giải thấp hơn "
                         "hoặc tách thành nhiều tệp.")
MSG_DOSSIER_EMPTY = "tệp rỗng (0 byte), không có nội dung."
MSG_DOSSIER_KIND = ("tệp có đuôi “{ext}” nhưng nội dung {found}, không phải một trong các loại tệp hồ sơ được nhận "
                    "({formats}); tệp không được mở. Hãy gửi bản PDF hoặc Word.")
MSG_DOSSIER_SENT = "Đã nhận {n} tệp hồ sơ đề nghị khen thưởng (danh sách ở mục “Hồ sơ đề nghị khen thưởng đã gửi”)."
MSG_FORGED = ("Biểu mẫu đã hết hạn hoặc không gửi từ trang này nên không được nhận. "
              "Hãy mở lại đường dẫn của đơn vị, tải lại trang rồi gửi lại.")
MSG_RATE = "Bạn đã gửi quá nhiều lần trong thời gian ngắn. Hãy đợi khoảng {s} giây rồi gửi lại."
MSG_BAD_FORM = "Không đọc được nội dung gửi lên. Hãy tải lại trang rồi gửi lại."
ACTION_LABELS = {checking.USE: "Chọn dùng để tổng hợp", checking.SEND_BACK: "Trả lại đơn vị",
                 st.CLEAR: "Bỏ quyết định"}
MSG_CHECK_FAILED = ("Máy chủ không kiểm tra được tệp này (lỗi chương trình, không phải lỗi của đơn vị). "
                    "Tệp đã được lưu để Cơ quan Tổ chức – Nội vụ xem; hãy báo cho cơ quan này.")
MSG_RUN_BUSY = "Đang có một lần tổng hợp chạy; hãy đợi lần này xong."
MSG_REASON_NEEDED = "Hãy ghi lý do trả lại báo cáo (đơn vị sẽ đọc lý do này trên trang của mình)."
MSG_NOT_USABLE = ("Chỉ chọn dùng được một báo cáo đã được tiếp nhận (hợp lệ hoặc đọc được nhưng còn lỗi) và còn "
                  "lưu trong thư mục nhận báo cáo.")
# What a person reads instead of an HTTP error: every answer of the server is in Vietnamese.
HTTP_ERRORS = {
    400: ("Yêu cầu không hợp lệ", "Máy chủ không đọc được nội dung gửi lên. Hãy tải lại trang rồi thử lại."),
    405: ("Không tìm thấy trang", ""),
    408: ("Gửi tệp quá chậm", "Tệp gửi lên quá chậm nên máy chủ đã dừng nhận (đường truyền yếu hoặc bị gián "
                              "đoạn); báo cáo chưa được lưu. Hãy kiểm tra kết nối mạng, tải lại trang rồi gửi lại."),
    413: ("Tệp quá lớn", "Nội dung gửi lên lớn hơn giới hạn cho phép; hãy xóa ảnh, sheet thừa rồi gửi lại."),
}
HTTP_ERROR_OTHER = ("Yêu cầu không thực hiện được", "Máy chủ không thực hiện được yêu cầu này. Hãy tải lại trang "
                    "rồi thử lại; nếu vẫn không được, hãy báo cho Cơ quan Tổ chức – Nội vụ.")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["vn_int"] = lambda n: f"{int(n):,}".replace(",", ".")
    env.filters["local_time"] = _local_time
    return env


def _local_time(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    return when.astimezone(DISPLAY_TZ).strftime("%H:%M:%S ngày %d/%m/%Y")


def _deadline_text() -> str:
    day = checking.deadline().strftime("%d/%m/%Y")
    return f"đến hết ngày {day}" if checking.deadline_inclusive() else f"trước ngày {day}"


class Web:
    """The state one server holds: settings, tokens, storage, report runs, rate limits."""

    def __init__(self, settings: Settings):
        self.s = settings
        self.env = _environment()
        self.tokens = TokenStore(settings.tokens_file)
        self.storage = st.Storage(settings)
        self.runner = ReportRunner(settings)
        self.limiter = RateLimiter(settings.upload_burst, settings.uploads_per_minute)
        self.forms = FormGuard(secret_key(settings.secret_file), settings.csrf_max_age)
        self.static = {p.name: (p.read_bytes(), STATIC_TYPES[p.suffix])
                       for p in sorted((HERE / "static").iterdir()) if p.suffix in STATIC_TYPES}
        self.check = workers.check_function(settings.check_function)
        self._template: asyncio.Task | None = None
        self._checks: OrderedDict[tuple, asyncio.Future] = OrderedDict()   # same bytes, same unit: checked once
        self._table: tuple[list, str, Markup] | None = None                 # the board's table, as last rendered

    # -- helpers ----------------------------------------------------------------------
    @property
    def units(self):
        return checking.units()

    def unit(self, code: str):
        return next(u for u in self.units if u.code == code)

    def who(self, request: Request, role: str) -> Who:
        found = self.tokens.resolve(request.path_params.get("token", ""), {u.code for u in self.units})
        if found is None or found.role != role:
            raise HTTPException(404)
        return found

    def render(self, name: str, status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**ctx), status_code=status)

    def keep_upload(self, up: st.Upload) -> bool:
        """An earlier upload of the same bytes that stands for a new one (a check that failed is tried again)."""
        return up.reason != MSG_CHECK_FAILED

    async def run_check(self, data: bytes, ext: str, unit_code: str) -> Outcome:
        # size, type, zip bomb: before anything parses the file
        problem, digest = await run_in_threadpool(lambda: (checking.guard(data, ext), hashlib.sha256(data).digest()))
        if problem:
            return Outcome.refused(problem)
        # A clerk who sends the same file twice (or double-clicks) waits for one check, not two.
        key = (digest, ext, unit_code)
        future = self._checks.get(key)
        if future is None:
            future = asyncio.ensure_future(self._check_in_pool(data, ext, unit_code))
            self._checks[key] = future
            while len(self._checks) > RECENT_CHECKS:
                self._checks.popitem(last=False)
        else:
            self._checks.move_to_end(key)
        outcome = await asyncio.shield(future)
        if outcome.reason == MSG_CHECK_FAILED:
            self._checks.pop(key, None)             # a failed check is tried again next time
        return outcome

    async def _check_in_pool(self, data: bytes, ext: str, unit_code: str) -> Outcome:
        pool = workers.pool(self.s.check_workers)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, self.check, data, ext, unit_code)
        except BrokenProcessPool:
            workers.reset(self.s.check_workers, pool)
            log.error("a check worker died while checking an upload of %s", unit_code)
        except Exception:
            log.exception("checking an upload of %s failed", unit_code)
        return Outcome.refused(MSG_CHECK_FAILED)

    # -- lifespan ------------------------------------------------------------------
    async def startup(self) -> None:
        workers.warm_up(self.s.check_workers)
        await run_in_threadpool(checking.preload)
        for path in self.storage.sweep():
            log.warning("removed a partial file left by a stopped server: %s", path.name)
        self._template = asyncio.get_running_loop().create_task(self._write_template())
        known = {u.code for u in self.units}
        for unit, path, stored in self.storage.orphans(known):
            data = await run_in_threadpool(path.read_bytes)
            outcome = await self.run_check(data, path.suffix.lower(), unit)
            await run_in_threadpool(self.storage.record_orphan, unit, path, stored, outcome)
            log.warning("recorded an upload the server had stored but not recorded: %s/%s", unit, path.name)

    # -- unit pages --------------------------------------------------------------------
    async def unit_page(self, request: Request) -> Response:
        who = self.who(request, "unit")
        return await self._unit_page(request, who)

    async def _unit_page(self, request: Request, who: Who, error: str = "", status: int = 200,
                         refused: list[str] | None = None) -> Response:
        unit = self.unit(who.unit_code)
        [row] = await run_in_threadpool(self.storage.board, [unit])   # files are read off the event loop
        uploads = await run_in_threadpool(self.storage.uploads, unit.code)
        return self.render("unit.html", status, base=f"/u/{request.path_params['token']}", unit=unit,
                           deadline=_deadline_text(), uploads=list(reversed(uploads)), row=row, error=error,
                           sent_back=[u for u in reversed(uploads) if u.sent_back],
                           form=self.forms.issue(who.key, "upload"), max_bytes=self.s.max_upload_bytes,
                           workbook_exts=checking.workbook_exts(), archive_exts=checking.archive_exts(),
                           max_mb=self.s.max_upload_bytes // 1_000_000, title=checking.review_title(),
                           send_to=checking.send_to(), refused=refused or [], notice=_dossier_notice(request),
                           dossier_field=DOSSIER_FIELD, dossier_accept=",".join(checking.dossier_accept()),
                           dossier_kinds=", ".join(map(checking.dossier_kind_label, checking.dossier_formats())),
                           dossier_max_files=self.s.dossier_max_files, dossier_max_bytes=self.s.dossier_max_file_bytes,
                           dossier_file_mb=_mb(self.s.dossier_max_file_bytes),
                           dossier_unit_mb=_mb(self.s.dossier_max_unit_bytes))

    async def _write_template(self) -> Path:
        return await run_in_threadpool(checking.write_template, self.s.template_dir)

    async def template(self, request: Request) -> Response:
        self.who(request, "unit")
        if self._template is None or (self._template.done() and (self._template.exception()
                                                                 or not self._template.result().is_file())):
            self._template = asyncio.get_running_loop().create_task(self._write_template())
        path = await asyncio.shield(self._template)
        return FileResponse(path, media_type=XLSX_TYPE, filename=checking.template_file_name())

    async def upload(self, request: Request) -> Response:
        who = self.who(request, "unit")
        # The allowance is the link's: thirty units behind one office address never hold one another back.
        if not self.limiter.allow(who.key):
            wait = self.limiter.retry_after()
            resp = await self._unit_page(request, who, MSG_RATE.format(s=wait), 429)
            resp.headers["retry-after"] = str(wait)
            return resp
        if cross_site(request.headers):
            return await self._unit_page(request, who, MSG_FORGED, 403)
        form = await self._upload_form(request, who)
        if isinstance(form, Response):
            return form
        limit = self.s.max_upload_bytes
        try:
            if not self.forms.valid(form.get("form"), who.key, "upload"):
                return await self._unit_page(request, who, MSG_FORGED, 403)
            upload = form.get("file")
            parts = [f for f in form.getlist(DOSSIER_FIELD) if isinstance(f, UploadFile) and f.filename]
            data = name = None
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(limit + 1)
                if len(data) > limit:                 # and no hồ sơ stored either
                    return await self._unit_page(request, who, MSG_TOO_LARGE.format(mb=limit // 1_000_000), 413)
                name = upload.filename
            elif not parts:
                return await self._unit_page(request, who, MSG_NO_FILE, 400)
            attached, refused, status = await self._attached(parts)
        finally:
            await form.close()
        if refused:
            return await self._unit_page(request, who, MSG_DOSSIER_REFUSED, status, refused)
        if attached and (refusal := await self._store_dossiers(who.unit_code, attached)):
            return await self._unit_page(request, who, refusal, 413)
        token = request.path_params["token"]
        sent = f"{DOSSIER_FIELD}={len(attached)}" if attached else ""
        if data is None:
            return RedirectResponse(f"/u/{token}?{sent}#ho-so", status_code=303)
        ext = st.upload_ext(name)
        base = f"/u/{token}/nop"
        sha = await run_in_threadpool(lambda: hashlib.sha256(data).hexdigest())
        same = await run_in_threadpool(self.storage.same_upload, who.unit_code, sha, ext, self.keep_upload)
        if same is None:
            if ext:
                outcome = await self.run_check(data, ext, who.unit_code)
            else:
                outcome = Outcome.refused(checking.not_workbook_message(st.name_ext(name)))
            dedupe = self.keep_upload if outcome.reason != MSG_CHECK_FAILED else None
            same = await run_in_threadpool(self.storage.save, who.unit_code, data, ext, outcome, name, None, dedupe)
        else:                                         # a double click, or the same file again: stored once
            same.repeated = True
        query = "&".join(q for q in ("lai=1" if same.repeated else "", sent) if q)
        return RedirectResponse(f"{base}/{same.id}{'?' + query if query else ''}", status_code=303)

    async def _upload_form(self, request: Request, who: Who):
        """The unit's form, read within its limits, or the page saying why it was not."""
        s = self.s
        # a return and the unit's hồ sơ may come in one sending: the body may hold both, never more
        body_limit = s.max_upload_bytes + s.dossier_max_unit_bytes + FORM_OVERHEAD
        too_large = MSG_REQUEST_TOO_LARGE.format(mb=s.max_upload_bytes // 1_000_000,
                                                 unit_mb=_mb(s.dossier_max_unit_bytes))
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > body_limit:
            return await self._unit_page(request, who, too_large, 413)
        try:
            return await _limited(request, body_limit).form(max_files=1 + s.dossier_max_files, max_fields=4,
                                                            max_part_size=16 * 1024)
        except _TooLarge:
            return await self._unit_page(request, who, too_large, 413)
        except ClientDisconnect:
            return Response(status_code=400)  # the client is gone: nothing was stored
        except (HTTPException, MultiPartException) as exc:    # not Starlette's English text
            if str(getattr(exc, "detail", exc)).startswith("Too many files"):   # the parser's words
                have = len(await run_in_threadpool(self.storage.dossiers, who.unit_code))
                text = MSG_DOSSIER_TOO_MANY.format(n=s.dossier_max_files, have=have, sent=f"hơn {s.dossier_max_files}")
                return await self._unit_page(request, who, text, 413)
            return await self._unit_page(request, who, MSG_BAD_FORM, 400)
        except (AssertionError, ValueError, KeyError):
            return await self._unit_page(request, who, MSG_BAD_FORM, 400)

    async def _attached(self, parts: list[UploadFile]) -> tuple[list[tuple[bytes, str, str]], list[str], int]:
        """The files attached as hồ sơ, each looked at (size, kind by its first bytes) before any is stored:
        (data, name sent, kind) of each, and why each refused one is (then the page's status)."""
        cap = self.s.dossier_max_file_bytes
        attached, refused, status = [], [], 415
        for part in parts:
            content = await part.read(cap + 1)
            problem = _dossier_problem(content, part.filename, cap)
            if problem:
                refused.append(f"“{st.shown_name(part.filename)}”: {problem}")
                status = 413 if len(content) > cap else status
            else:
                attached.append((content, part.filename, checking.dossier_kind(content)))
        return attached, refused, status

    async def _store_dossiers(self, unit_code: str, attached: list[tuple[bytes, str, str]]) -> str:
        """Store the unit's hồ sơ, all or none: '' when stored, else why not (the unit's limits)."""
        s = self.s
        why = await run_in_threadpool(self.storage.save_dossiers, unit_code, attached, s.dossier_max_files,
                                      s.dossier_max_unit_bytes)
        if why == st.TOO_MANY:
            have = len(await run_in_threadpool(self.storage.dossiers, unit_code))
            return MSG_DOSSIER_TOO_MANY.format(n=s.dossier_max_files, have=have, sent=len(attached))
        return MSG_DOSSIER_OVER_TOTAL.format(mb=_mb(s.dossier_max_unit_bytes)) if why else ""

    async def result(self, request: Request) -> Response:
        who = self.who(request, "unit")
        up = await run_in_threadpool(self.storage.find, who.unit_code, request.path_params["upload_id"], True)
        if up is None:
            raise HTTPException(404)
        base = f"/u/{request.path_params['token']}"
        return self.render("result.html", base=base, unit=self.unit(who.unit_code), up=up,
                           feedback_url=f"{base}/nop/{up.id}/phan-hoi.xlsx", severity=checking.severity_label,
                           office=False, shown=SHOWN_ISSUES, repeated=request.query_params.get("lai") == "1",
                           notice=_dossier_notice(request))

    async def feedback(self, request: Request) -> Response:
        who = self.who(request, "unit")
        return await self._feedback(who.unit_code, request.path_params["upload_id"])

    async def _feedback(self, unit_code: str, upload_id: str) -> Response:
        up = await run_in_threadpool(self.storage.find, unit_code, upload_id)
        path = await run_in_threadpool(self.storage.feedback_path, up) if up else None
        if path is None:
            raise HTTPException(404)
        return FileResponse(path, media_type=XLSM_TYPE if path.suffix == ".xlsm" else XLSX_TYPE,
                            filename=f"Phan_hoi_{unit_code}_{up.id}{path.suffix}")

    # -- office pages ------------------------------------------------------------------
    def _board_files(self, base: str) -> tuple[Markup, tuple]:
        """The board's table and the last run's files, read from disk (in a worker thread). The table is rendered
        once for each build of the rows (`Storage.board` reuses them): a board asked for a hundred times a second
        costs little."""
        rows = self.storage.board(self.units)
        cached = self._table
        if cached is None or cached[0] is not rows or cached[1] != base:
            labels, dossier_labels = checking.submission_labels(), checking.dossier_labels()
            counts = {k: sum(r.status == k for r in rows) for k in labels}
            dossier_counts = {k: sum(r.dossier_status == k for r in rows) for k in dossier_labels}
            html = Markup(self.env.get_template("board_table.html").render(
                base=base, rows=rows, counts=counts, labels=labels, dossier_counts=dossier_counts,
                dossier_labels=dossier_labels))
            cached = self._table = (rows, base, html)
        run = (self.runner.last(), self.runner.available(), self.runner.outputs_ready())
        return cached[2], run

    async def _board_context(self, request: Request, who: Who) -> dict:
        base = f"/o/{request.path_params['token']}"
        table, (run, outputs, ready) = await run_in_threadpool(self._board_files, base)   # off the event loop
        return dict(base=base, table=table, run=run, running=self.runner.running, outputs=outputs,
                    outputs_zip=OUTPUTS_ZIP if ready else "", form=self.forms.issue(who.key, "run"),
                    deadline=_deadline_text(), title=checking.review_title(), refresh=self.s.board_refresh)

    async def board(self, request: Request) -> Response:
        who = self.who(request, "office")
        return self.render("board.html", **await self._board_context(request, who), error="")

    async def board_table(self, request: Request) -> Response:
        self.who(request, "office")
        table, _run = await run_in_threadpool(self._board_files, f"/o/{request.path_params['token']}")
        return HTMLResponse(table)

    async def start_run(self, request: Request) -> Response:
        who = self.who(request, "office")
        base = f"/o/{request.path_params['token']}"
        length = request.headers.get("content-length", "")
        if cross_site(request.headers) or not length.isdigit() or int(length) > 4096:
            return self.render("board.html", 403, **await self._board_context(request, who), error=MSG_FORGED)
        try:
            form = await request.form(max_files=0, max_fields=4, max_part_size=2048)
        except (HTTPException, MultiPartException, ClientDisconnect, AssertionError, ValueError, KeyError):
            return self.render("board.html", 400, **await self._board_context(request, who), error=MSG_BAD_FORM)
        if not self.forms.valid(form.get("form"), who.key, "run"):
            return self.render("board.html", 403, **await self._board_context(request, who), error=MSG_FORGED)
        if not self.runner.start():
            return self.render("board.html", 409, **await self._board_context(request, who), error=MSG_RUN_BUSY)
        return RedirectResponse(base, status_code=303)

    async def output(self, request: Request) -> Response:
        self.who(request, "office")
        name = request.path_params["name"]
        if name == OUTPUTS_ZIP:
            path = await self.runner.outputs_zip()
        else:
            path = self.runner.output_file(name)
        if path is None:
            raise HTTPException(404)
        return FileResponse(path, filename=name if name != OUTPUTS_ZIP else "Ket_qua_tong_hop.zip")

    def _office_unit(self, request: Request) -> str:
        unit_code = request.path_params["unit"]
        if unit_code not in {u.code for u in self.units}:
            raise HTTPException(404)
        return unit_code

    async def office_unit(self, request: Request) -> Response:
        """Every upload of one unit, for the office to see which is used and decide."""
        self.who(request, "office")
        unit = self.unit(self._office_unit(request))
        [row] = await run_in_threadpool(self.storage.board, [unit])
        uploads = await run_in_threadpool(self.storage.uploads, unit.code)
        actions = await run_in_threadpool(self.storage.actions, unit.code)
        return self.render("office_unit.html", base=f"/o/{request.path_params['token']}", unit=unit, row=row,
                           uploads=list(reversed(uploads)), actions=list(reversed(actions)),
                           labels=ACTION_LABELS, deadline=_deadline_text())

    async def office_upload(self, request: Request, error: str = "", status: int = 200) -> Response:
        who = self.who(request, "office")
        unit_code = self._office_unit(request)
        up = await run_in_threadpool(self.storage.find, unit_code, request.path_params["upload_id"], True)
        if up is None:
            raise HTTPException(404)
        base = f"/o/{request.path_params['token']}"
        return self.render("result.html", status, base=base, unit=self.unit(unit_code), up=up,
                           feedback_url=f"{base}/don-vi/{unit_code}/{up.id}/phan-hoi.xlsx",
                           severity=checking.severity_label, office=True, shown=SHOWN_ISSUES, repeated=False,
                           decide_url=f"{base}/don-vi/{unit_code}/{up.id}/quyet-dinh", error=error,
                           form=self.forms.issue(who.key, "decide"), max_reason=checking.MAX_REASON)

    async def decide(self, request: Request) -> Response:
        """The office marks an upload as the one used, sends it back with a reason, or undoes either."""
        who = self.who(request, "office")
        unit_code = self._office_unit(request)
        length = request.headers.get("content-length", "")
        if cross_site(request.headers) or not length.isdigit() or int(length) > 16_384:
            return await self.office_upload(request, MSG_FORGED, 403)
        try:
            form = await request.form(max_files=0, max_fields=4, max_part_size=8192)
        except (HTTPException, MultiPartException, ClientDisconnect, AssertionError, ValueError, KeyError):
            return await self.office_upload(request, MSG_BAD_FORM, 400)
        if not self.forms.valid(form.get("form"), who.key, "decide"):
            return await self.office_upload(request, MSG_FORGED, 403)
        action = str(form.get("action") or "")
        reason = st.clean_text(str(form.get("reason") or ""))[:checking.MAX_REASON]
        up = await run_in_threadpool(self.storage.find, unit_code, request.path_params["upload_id"])
        if up is None:
            raise HTTPException(404)
        if action not in st.ACTIONS:
            return await self.office_upload(request, MSG_BAD_FORM, 400)
        if action == checking.SEND_BACK and not reason:
            return await self.office_upload(request, MSG_REASON_NEEDED, 400)
        if action != st.CLEAR and not up.usable:
            return await self.office_upload(request, MSG_NOT_USABLE, 409)
        await run_in_threadpool(self.storage.decide, up, action, reason if action == checking.SEND_BACK else "")
        return RedirectResponse(f"/o/{request.path_params['token']}/don-vi/{unit_code}/{up.id}", status_code=303)

    async def office_feedback(self, request: Request) -> Response:
        self.who(request, "office")
        return await self._feedback(self._office_unit(request), request.path_params["upload_id"])

    # -- static files ---------------------------------------------------------------
    async def static_unit(self, request: Request) -> Response:
        self.who(request, "unit")
        return self._static(request.path_params["name"])

    async def static_office(self, request: Request) -> Response:
        self.who(request, "office")
        return self._static(request.path_params["name"])

    def _static(self, name: str) -> Response:
        found = self.static.get(name)   # a fixed list: no file name from the request reaches the disk
        if found is None:
            raise HTTPException(404)
        body, media = found
        return Response(body, media_type=media)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.render("404.html", 404)

    async def http_error(self, request: Request, exc: HTTPException) -> Response:
        """Any other HTTP error Starlette raises (a malformed form, say), as a page in Vietnamese."""
        title, text = HTTP_ERRORS.get(exc.status_code, HTTP_ERROR_OTHER)
        if exc.status_code in (404, 405):
            return await self.not_found(request, exc)
        return self.render("error.html", exc.status_code, title=title, text=text)

    async def body_timeout(self, request: Request, exc: BodyTimeout) -> Response:
        log.warning("a request body came too slowly: the request was stopped")
        title, text = HTTP_ERRORS[408]
        response = self.render("error.html", 408, title=title, text=text)
        response.headers["connection"] = "close"
        return response

    async def server_error(self, request: Request, exc: Exception) -> Response:
        log.exception("error while answering a request", exc_info=exc)
        return self.render("500.html", 500)


class _TooLarge(Exception):
    pass


def _mb(size: int) -> str:
    """Bytes as megabytes (decimal), as the limits are written."""
    return f"{size / 1_000_000:g}".replace(".", ",")


def _dossier_problem(data: bytes, name: str | None, cap: int) -> str:
    """Why one attached file is not taken as a hồ sơ (its size, its kind by its first bytes), or ''."""
    if len(data) > cap:
        return MSG_DOSSIER_TOO_LARGE.format(mb=_mb(cap))
    if not data:
        return MSG_DOSSIER_EMPTY
    formats = checking.dossier_formats()
    kind = checking.dossier_kind(data)
    if kind in formats:
        return ""
    return MSG_DOSSIER_KIND.format(ext=st.name_ext(name) or "(không có đuôi)", found=checking.dossier_found(kind),
                                   formats=", ".join(map(checking.dossier_kind_label, formats)))


def _dossier_notice(request: Request) -> str:
    """What the page says of the hồ sơ just stored (their number, from the address the upload redirected to)."""
    n = request.query_params.get(DOSSIER_FIELD, "")
    return MSG_DOSSIER_SENT.format(n=int(n)) if n.isdigit() and 0 < int(n) < 1000 else ""


def _limited(request: Request, limit: int) -> Request:
    """The same request, whose body stops being read once it passes `limit` bytes."""
    seen = 0
    receive = request.receive

    async def limited_receive():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge()
        return message

    return Request(request.scope, limited_receive)


def create_app(settings: Settings | None = None):
    """The ASGI app; `.web` holds its state (for tests)."""
    web = Web(settings or Settings.from_env())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await web.startup()
        yield

    routes = [
        Route("/u/{token}", web.unit_page, methods=["GET"]),
        Route("/u/{token}/mau.xlsx", web.template, methods=["GET"]),
        Route("/u/{token}/nop", web.upload, methods=["POST"]),
        Route("/u/{token}/nop/{upload_id}", web.result, methods=["GET"]),
        Route("/u/{token}/nop/{upload_id}/phan-hoi.xlsx", web.feedback, methods=["GET"]),
        Route("/u/{token}/static/{name}", web.static_unit, methods=["GET"]),
        Route("/o/{token}", web.board, methods=["GET"]),
        Route("/o/{token}/bang", web.board_table, methods=["GET"]),
        Route("/o/{token}/tong-hop", web.start_run, methods=["POST"]),
        Route("/o/{token}/ket-qua/{name}", web.output, methods=["GET"]),
        Route("/o/{token}/don-vi/{unit}", web.office_unit, methods=["GET"]),
        Route("/o/{token}/don-vi/{unit}/{upload_id}", web.office_upload, methods=["GET"]),
        Route("/o/{token}/don-vi/{unit}/{upload_id}/quyet-dinh", web.decide, methods=["POST"]),
        Route("/o/{token}/don-vi/{unit}/{upload_id}/phan-hoi.xlsx", web.office_feedback, methods=["GET"]),
        Route("/o/{token}/static/{name}", web.static_office, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={404: web.not_found, 405: web.not_found, 500: web.server_error,
                                        HTTPException: web.http_error, BodyTimeout: web.body_timeout})
    outer = SecurityHeaders(BodyGuard.of(app, web.s))
    outer.web = web
    return outer
