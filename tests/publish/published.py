"""Reading the published outputs back the way a person reads them (test helper).

The summary workbook, the HTML pages and the draft .docx are turned into the
same plain shape, `Table(caption, header, rows)`, so one check serves all of
them. Tables are found by their caption and header text, rows by their
labels, never by cell address. Everything that depends on the outputs'
wording (captions, headers, figure labels, sentence phrases) is in the
"Wording" block below: when the outputs are reworded, adjust it here.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# =============================================================================
# Wording of the published outputs (the only place tests depend on it)
# =============================================================================
WORKBOOK = "Tong_hop_so_ket_Dan_van_kheo.xlsx"
REPORT_HTML = "report.html"
TABLES_DIR = "tables"
DOCX = "Du_thao_bao_cao_so_ket.docx"
NOTE = "Bao_cao_noi_bo_xet_khen_thuong.docx"      # the internal note: verdicts and the suggested ranking

TOWN = "Toàn thị xã"      # the town row of a table broken down by group
TOTAL = "Tổng cộng"       # the total row / column


@dataclass(frozen=True)
class Find:
    """A table: some words of its caption and some of its column headers."""
    caption: str
    headers: tuple[str, ...]


TABLES = {
    "overview": Find("Số liệu chủ yếu", ("Nội dung", "Số liệu")),
    "reporting": Find("Tình hình báo cáo", ("Nhóm đơn vị", "Số đơn vị phải báo cáo", "Đã báo cáo")),
    "reporting_units": Find("Tình trạng báo cáo của từng đơn vị",
                            ("Cơ quan, đơn vị, địa phương", "Tình trạng báo cáo")),
    "leadership": Find("Lãnh đạo, chỉ đạo, tuyên truyền", ("Năm", "Buổi tuyên truyền", "Lượt người tham gia")),
    "leadership_chart": Find("Số buổi tuyên truyền theo năm", ("Năm",)),
    "content": Find("Kết quả thực hiện các nội dung thi đua", ("Nội dung thi đua", TOTAL)),
    "models_field": Find("theo lĩnh vực", ("Lĩnh vực", "Số mô hình")),
    "models_recognition": Find("theo cấp công nhận", ("Cấp công nhận", "Số mô hình")),
    "models_list": Find("Danh sách mô hình", ("Cơ quan, đơn vị, địa phương", "Tên mô hình")),
    "classification": Find("xếp loại công tác dân vận", ("Mức xếp loại",)),
    "awards_given": Find("Khen thưởng theo thẩm quyền", ("Năm", "Hình thức khen thưởng", "Tập thể được khen",
                                                          "Cá nhân được khen")),
    "proposals": Find("Đề nghị Chủ tịch UBND thị xã khen thưởng", ("Tập thể/cá nhân được đề nghị", "Kết luận")),
    "ranking": Find("Xếp hạng đề nghị khen thưởng", ("Thứ hạng", "Tổng điểm xếp hạng")),
    "ranking_note": Find("Gợi ý thứ tự", ("Thứ hạng", "Điểm gợi ý")),
    "staff": Find("đăng ký thi đua", ("Nhóm đơn vị", "Số đơn vị có số liệu", "Tỷ lệ đăng ký thi đua (%)")),
    "assessment_texts": Find("Đánh giá chung của các đơn vị", ("Nội dung", "Cơ quan, đơn vị, địa phương",
                                                                "Ý kiến của đơn vị")),
    "impact": Find("Tác động của phong trào: số liệu", ("Chỉ tiêu", "Nhóm đơn vị", "Số đơn vị có số liệu")),
    "impact_texts": Find("Tác động của phong trào: ý kiến", ("Nội dung", "Cơ quan, đơn vị, địa phương",
                                                              "Ý kiến của đơn vị")),
    "outstanding": Find("Kết quả nổi bật", ("Nội dung thi đua", "Năm", "Cơ quan, đơn vị, địa phương")),
}
# The labels of the numeric fields of sheet 6 (the impact table's rows), as the template heads them.
IMPACT_FIELDS = {
    "on_time_procedures_pct": "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn (%)",
    "satisfaction_pct": "Mức độ hài lòng của người dân, doanh nghiệp (%)",
    "hcm_exemplars": "Số tập thể, cá nhân điển hình “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”",
}
IMPACT_TOPICS = {
    "political_tasks_impact": "Tác động đối với việc thực hiện nhiệm vụ chính trị",
    "hcm_link": "Gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "other_movements": "Gắn với các phong trào thi đua, cuộc vận động khác",
}

# Column headers the checks use (key -> header text).
COL = {
    "figure": "Nội dung", "value": "Số liệu",
    "group": "Nhóm đơn vị", "registry": "Số đơn vị phải báo cáo", "reported": "Đã báo cáo", "on_time": "Đúng hạn",
    "late": "Trễ hạn", "missing": "Chưa gửi", "rejected": "Không hợp lệ", "rate": "Tỷ lệ đã báo cáo (%)",
    "unit": "Cơ quan, đơn vị, địa phương", "status": "Tình trạng báo cáo",
    "period": "Năm",
    "plans_issued": "Kế hoạch, văn bản chỉ đạo", "launch_meetings": "Hội nghị phát động, quán triệt",
    "propaganda_sessions": "Buổi tuyên truyền", "propaganda_participants": "Lượt người tham gia",
    "news_items": "Tin, bài", "inspections": "Cuộc kiểm tra, giám sát",
    "content_area": "Nội dung thi đua", "total": TOTAL, "units_good": "Số đơn vị tự đánh giá “Tốt” ở ít nhất một kỳ",
    "units_base": "Số đơn vị có số liệu", "staff_total": "Tổng số CBCCVC, người lao động",
    "staff_registered": "Số CBCCVC, người lao động đăng ký thi đua", "registered_pct": "Tỷ lệ đăng ký thi đua (%)",
    "recognition_doc": "Số văn bản công nhận", "recognition_date": "Ngày công nhận", "note_points": "Điểm gợi ý",
    "field": "Lĩnh vực", "models": "Số mô hình", "recognised": "Được công nhận từ cấp thị xã trở lên",
    "replicated": "Đã nhân rộng",
    "recognised_pct": "Tỷ lệ được công nhận từ cấp thị xã trở lên (%)", "replicated_pct": "Tỷ lệ nhân rộng (%)",
    "recognition": "Cấp công nhận", "model_name": "Tên mô hình", "places": "Số nơi nhân rộng",
    "beneficiaries": "Số người tham gia, hưởng lợi", "kind": "Tập thể/cá nhân",
    "level": "Mức xếp loại",
    "award_form": "Hình thức khen thưởng", "collectives": "Tập thể được khen", "individuals": "Cá nhân được khen",
    "nominee": "Tập thể/cá nhân được đề nghị", "crit_a": "Tiêu chí a", "crit_b": "Tiêu chí b", "crit_c": "Tiêu chí c",
    "crit_d": "Tiêu chí d", "conclusion": "Kết luận",
    "rank": "Thứ hạng", "basis_model": "Mô hình làm căn cứ", "recognition_points": "Điểm cấp công nhận",
    "replication_points": "Điểm nhân rộng", "places_points": "Điểm số nơi nhân rộng",
    "classification_points": "Điểm xếp loại HTXS", "people_points": "Điểm số người hưởng lợi",
    "points": "Tổng điểm xếp hạng",
    "indicator": "Chỉ tiêu", "units_reporting": "Số đơn vị có số liệu", "mean": "Bình quân các đơn vị",
    "min": "Thấp nhất", "max": "Cao nhất", "sum": "Tổng số",
    "topic": "Nội dung", "text": "Ý kiến của đơn vị", "outstanding": "Kết quả nổi bật",
}

# Overview rows: figure key -> label in the "Nội dung" column.
KEY_FIGURES = {
    "registry": "Số cơ quan, đơn vị, địa phương phải báo cáo",
    "reported": "Số đơn vị đã gửi báo cáo",
    "on_time": "Trong đó: gửi đúng hạn",
    "late": "Trong đó: gửi trễ hạn",
    "missing": "Số đơn vị chưa gửi báo cáo",
    "staff": "Tổng số CBCCVC và người lao động của các đơn vị đã báo cáo",
    "staff_registered": "Số CBCCVC, người lao động đăng ký thi đua",
    "plans": "Kế hoạch, văn bản chỉ đạo đã ban hành",
    "sessions": "Buổi tuyên truyền đã tổ chức",
    "participants": "Lượt người tham gia tuyên truyền",
    "models": "Mô hình “Dân vận khéo” đã xây dựng",
    "recognised": "Mô hình được cấp có thẩm quyền (từ cấp thị xã trở lên) công nhận",
    "recognised_any": "Mô hình đã được công nhận ở bất kỳ cấp nào (kể cả đơn vị tự công nhận)",
    "replicated": "Mô hình đã được nhân rộng",
    "units_without_models": "Đơn vị đã báo cáo nhưng chưa có mô hình nào được tổng hợp",
    "proposals": "Đề nghị Chủ tịch UBND thị xã khen thưởng",
    "eligible": "Đề nghị đạt các tiêu chí kiểm tra được từ số liệu (tiêu chí còn lại theo kê khai của đơn vị)",
    "errors": "Lỗi số liệu cần đơn vị sửa",
    "warnings": "Cảnh báo số liệu cần kiểm tra",
}

STATUS = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa gửi", "rejected": "Không hợp lệ"}
VERDICT = {"met": "Đạt", "not_met": "Không đạt", "unverified": "Chưa kiểm chứng (theo kê khai)",
           "not_applicable": "Không áp dụng"}
# A proposal whose a and b rest on the unit's word is never "đủ tiêu chuẩn": it meets what the returns can check.
CONCLUSION = {True: "Đạt các tiêu chí kiểm tra được từ số liệu", False: "Chưa đạt"}
YES_NO = {True: "Có", False: "Không"}

# Sentences of the draft report: (words that pick the one paragraph, phrases it must hold).
# "{name}" is a figure: a number, written the Vietnamese way, not glued to other digits.
DOC_SENTENCES = {
    "reporting": ("gửi báo cáo sơ kết", ["{reported}/{registry} cơ quan, đơn vị", "{on_time} đơn vị đúng hạn",
                                          "{late} đơn vị trễ hạn", "{missing} đơn vị chưa gửi báo cáo"]),
    "leadership": ("đã ban hành", ["{plans} kế hoạch, văn bản chỉ đạo", "{launch} hội nghị phát động",
                                   "{sessions} buổi tuyên truyền", "{participants} lượt người tham gia",
                                   "{news} tin, bài", "{inspections} cuộc kiểm tra, giám sát"]),
    "models": ("mô hình “Dân vận khéo”, trong đó", [
        "Toàn thị xã có {models} mô hình",
        "{recognised} mô hình được cấp có thẩm quyền (từ cấp thị xã trở lên) công nhận ({recognised_pct}%)",
        "{replicated} mô hình đã được nhân rộng ({replicated_pct}%)", "Khối xã, phường có {models_commune} mô hình",
        "khối cơ quan, đơn vị thị xã có {models_town} mô hình",
        "{no_models} đơn vị đã báo cáo nhưng chưa có mô hình nào được tổng hợp"]),
    "awards_given": ("đã khen thưởng theo thẩm quyền", ["{collectives} lượt tập thể", "{individuals} lượt cá nhân"]),
    "proposals": ("tặng Giấy khen", ["Có {proposals} đề nghị",
                                     "{eligible} đề nghị đạt các tiêu chí kiểm tra được từ số liệu",
                                     "{not_eligible} đề nghị chưa đạt hoặc không xét"]),
    "staff": ("đăng ký thi đua (", ["Có {staff_registered}/{staff_both} cán bộ, công chức, viên chức",
                                     "của {staff_units} đơn vị có số liệu", "({staff_rate}%)"]),
    "data": ("nội dung chưa hợp lệ", ["{files} báo cáo còn {errors} nội dung chưa hợp lệ",
                                      "{warnings} nội dung đề nghị đơn vị kiểm tra lại"]),
    "impact_on_time": ("giải quyết đúng hạn (%):", ["{on_time_units} đơn vị có số liệu",
                                                    "bình quân {on_time_mean}%"]),
}
# The internal note's sentence suggesting the Bằng khen nominee (a suggestion: "gợi ý"); the score is "(63,5 điểm)".
DOC_TOP = "có điểm cao nhất"
DOC_TOP_SCORE = re.compile(r"\(([\d.,]+) điểm\)")
# =============================================================================


def norm(text) -> str:
    """Comparable text: NFC, single spaces, no case."""
    return _norm(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _norm(text: str) -> str:
    # cached: a table's rows are matched against every expected label, the same cells again and again
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


_VN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")


def vn_number(value) -> float | None:
    """A published figure as a number: 1.234 -> 1234, 96,6 -> 96.6, numbers as they are, blank -> None."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "")
    if not text:
        return None
    if not _VN_NUMBER.fullmatch(text):
        raise ValueError(f"not a Vietnamese number: {value!r}")
    return float(text.replace(".", "").replace(",", "."))


def decimals_shown(value) -> int | None:
    """How many decimals a text figure shows (None for a stored number)."""
    if isinstance(value, str) and "," in value:
        return len(value.strip().split(",")[1])
    return 0 if isinstance(value, str) else None


def vn(n) -> str:
    """How the outputs write a whole number: 1.234."""
    return f"{int(n):,}".replace(",", ".")


def vn_pct(x: float) -> str:
    """How the outputs write a share: 83,6."""
    return f"{x:.1f}".replace(".", ",")


@dataclass
class Table:
    source: str
    caption: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    _texts: dict = field(default_factory=dict, repr=False, compare=False)

    def col(self, name: str) -> int | None:
        hits = [j for j, h in enumerate(self.header) if norm(h) == norm(name)]
        if len(hits) > 1:
            raise AssertionError(f"{self}: column {name!r} appears {len(hits)} times")
        return hits[0] if hits else None

    def has(self, name: str) -> bool:
        return self.col(name) is not None

    def cell(self, row: list, name: str):
        j = self.col(name)
        return row[j] if j is not None and j < len(row) else None

    def rows_where(self, key: dict[str, str]) -> list[list]:
        """Rows whose label columns read as `key` (column header -> label)."""
        cols = {self.col(c): v for c, v in key.items()}
        if None in cols:
            raise AssertionError(f"{self}: no column among {list(key)}; header is {self.header}")
        wanted = [(self._column_text(j), norm(v)) for j, v in cols.items()]
        return [r for i, r in enumerate(self.rows) if all(texts[i] == v for texts, v in wanted)]

    def _column_text(self, j: int) -> list[str]:
        """Column j of every row as norm() reads it, made once per table."""
        if (j, len(self.rows)) not in self._texts:
            self._texts[j, len(self.rows)] = [norm(_text(r[j] if j < len(r) else None)) for r in self.rows]
        return self._texts[j, len(self.rows)]

    def __str__(self) -> str:
        return f"[{self.source}] “{self.caption[:70]}”"


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def find(tables: list[Table], key: str) -> Table | None:
    """The one table of `tables` matching TABLES[key]; None when the output has no such table."""
    spec = TABLES[key]
    hits = [t for t in tables if norm(spec.caption) in norm(t.caption) and all(t.has(h) for h in spec.headers)]
    if len(hits) > 1:
        raise AssertionError(f"{key}: {len(hits)} tables match {spec}: {[str(t) for t in hits]}")
    return hits[0] if hits else None


# -- readers ---------------------------------------------------------------------------

def _filled(v) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def workbook_tables(path: Path) -> list[Table]:
    """Every table of every sheet: a row of two or more cells after one-cell lines (its caption) is a header;
    the rows below it are data until a blank row or another one-cell line."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True, read_only=True)
    out: list[Table] = []
    for ws in wb.worksheets:
        captions: list[str] = []
        current: Table | None = None
        for row in ws.iter_rows(values_only=True):
            row = list(row)
            while row and not _filled(row[-1]):
                row.pop()
            n = sum(_filled(v) for v in row)
            if n == 0:
                current = None
            elif n == 1 and _filled(row[0]) and isinstance(row[0], str):
                current = None
                captions.append(row[0])
            elif current is None:
                current = Table(f"xlsx:{ws.title}", " | ".join(captions), [_text(v) for v in row])
                captions = []
                out.append(current)
            else:
                current.rows.append(row)
    wb.close()
    return out


class _HtmlTables(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.tables: list[Table] = []
        self._table: dict | None = None
        self._row: list | None = None
        self._cell: list | None = None
        self._cell_class = ("td", "")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = {"title": [], "header": None, "rows": []}
        elif self._table is None:
            return
        elif tag == "caption":
            self._cell = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell, self._cell_class = [], (tag, a.get("class") or "")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if self._table is None:
            return
        if tag == "caption":
            self._table["title"].append(" ".join(self._cell or []))
            self._cell = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            kind, cls = self._cell_class
            if "gt_title" in cls or "gt_subtitle" in cls:
                self._table["title"].append(text)
            elif "gt_sourcenote" in cls:  # the note under a table is no data row
                pass
            else:
                self._row.append((kind, text))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            row, self._row = self._row, None
            if not row:
                return
            if self._table["header"] is None and all(k == "th" for k, _ in row):
                self._table["header"] = [t for _, t in row]
            else:
                self._table["rows"].append([t for _, t in row])
        elif tag == "table":
            t = self._table
            self._table = None
            if t["header"] is not None:
                self.tables.append(Table(self.source, " | ".join(t["title"]), t["header"], t["rows"]))


def html_tables(path: Path) -> list[Table]:
    parser = _HtmlTables(path.name)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.tables


def docx_content(path: Path) -> tuple[list[str], list[Table]]:
    """(paragraph texts in order, tables each captioned by the two paragraphs just above it: caption and note)."""
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    paragraphs, tables, recent = [], [], []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, doc).text.strip()
            if text:
                paragraphs.append(text)
                recent.append(text)
        elif tag == "tbl":
            rows = [[c.text.strip() for c in r.cells] for r in DocxTable(child, doc).rows]
            if rows:
                tables.append(Table("docx", " | ".join(recent[-2:]), rows[0], rows[1:]))
            recent = []
    return paragraphs, tables


# -- sentences ---------------------------------------------------------------------------

def phrase_pattern(template: str, values: dict) -> re.Pattern:
    """A phrase with its figures filled in; a figure may not be part of a longer number."""
    parts = re.split(r"(\{\w+\})", template)
    regex = ""
    for part in parts:
        m = re.fullmatch(r"\{(\w+)\}", part)
        if m:
            regex += r"(?<![\d.,])" + re.escape(str(values[m.group(1)])) + r"(?!\d|[.,]\d)"
        else:
            regex += re.escape(part)
    return re.compile(regex, re.IGNORECASE)


def one_paragraph(paragraphs: list[str], words: str) -> str:
    hits = [p for p in paragraphs if norm(words) in norm(p)]
    if len(hits) != 1:
        raise AssertionError(f"{len(hits)} paragraphs contain “{words}”: {hits}")
    return unicodedata.normalize("NFC", hits[0])


# -- data tables the notebooks read (outputs/data/aggregates/*.parquet) -----------------------

AGGREGATES_DIR = Path("data") / "aggregates"
ALL_PERIODS = "Cả giai đoạn"   # period label of the whole-period rows


def aggregate(outputs: Path, name: str):
    import pandas as pd

    return pd.read_parquet(outputs / AGGREGATES_DIR / f"{name}.parquet")
