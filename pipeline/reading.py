"""How a loosely typed value was read: every reading has a name that travels into the warning it raises.

A clerk types "HTXS" for "Hoàn thành xuất sắc nhiệm vụ", "khoảng 25" for 25, "T1-T6/2023" for the half-year.
The value is read, and the unit is told with a `*.assumed` warning; that warning names the reading that read
the cell (issues.csv `read_by`, and "đọc theo: viết tắt" in the message and the feedback comment), so the unit,
the office and the next developer can see which rule read a cell, and filter the warnings by it.

Each reading is declared once below with an example of what it reads; `pipeline.matching.Choices` (dropdown
values, unit and sheet names) and `pipeline.check.values` (numbers, years, dates, yes/no) tag what they read
with these codes, and docs/readings.md is generated from this list (`python -m pipeline.reading`). The word
lists the readings share live here too, each with what it reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    code: str        # stable: issues.csv `read_by`
    label: str       # what the unit reads: "đọc theo: {label}"
    example: str     # what a clerk typed -> how it was read
    reads: str       # the kind of cell it reads


READINGS: dict[str, Reading] = {r.code: r for r in (
    # -- a value of a list (dropdown), a unit's or a sheet's name: pipeline.matching.Choices, tried in this order
    Reading("months", "kỳ viết theo tháng", "“T1-T6/2023”, “Quý I, II/2023” → “6 tháng đầu năm 2023”", "list"),
    Reading("spelling", "cách viết khác", "“Hoan thanh xuat sac” → “Hoàn thành xuất sắc nhiệm vụ” (danh sách chặt)", "list"),
    Reading("code", "mã", "“ND2” → “2. Cải cách hành chính”", "list"),
    Reading("alias", "tên gọi khác", "“Cấp huyện” → “Cấp thị xã công nhận”", "list"),
    Reading("initials", "viết tắt", "“HTXS” → “Hoàn thành xuất sắc nhiệm vụ”", "list"),
    Reading("spelled_code", "mã viết thành chữ", "“Nội dung 2” → “2. Cải cách hành chính”", "list"),
    Reading("letters_only", "bỏ qua dấu cách, ký hiệu", "“Phòng GDĐT” → “Phòng Giáo dục và Đào tạo”", "list"),
    Reading("part_of_label", "một phần của tên", "“Xuất sắc” → “Hoàn thành xuất sắc nhiệm vụ”", "list"),
    Reading("typo", "lỗi gõ nhỏ", "“Hoàn thàn tốt nhiệm vụ” → “Hoàn thành tốt nhiệm vụ”", "list"),
    Reading("remark", "ghi chú trong ngoặc", "“HTXSNV (95 điểm)” → “Hoàn thành xuất sắc nhiệm vụ”", "list"),
    Reading("label_then_words", "giá trị kèm lời giải thích", "“Tập thể UBND xã Phổ An” → “Tập thể”", "list"),
    Reading("lead_in", "lời dẫn trước giá trị", "“Xếp loại: HTXSNV”, “Năm 2021: Tốt” → giá trị sau lời dẫn", "list"),
    Reading("said_twice", "ghi cả mã và tên", "“ND2 - CCHC” → “2. Cải cách hành chính”", "list"),
    Reading("shared_words", "bỏ chữ chung của mọi giá trị", "“UBND thị xã công nhận” → “Cấp thị xã công nhận”", "list"),
    Reading("named_body", "tên cơ quan công nhận", "“Ban Dân vận Thị ủy” → “Cấp thị xã công nhận”", "list"),
    Reading("unit_in_text", "tên đơn vị trong câu chữ",
            "“Tên đơn vị: UBND xã Phổ An (bản sửa)”, “Đảng ủy xã Phổ An” → “UBND xã Phổ An”", "unit"),
    # -- a number: pipeline.check.values
    Reading("lead_words", "lời dẫn trước con số", "“Tổng số: 25”, “Đạt 96,5%” → 25; 96,5", "number"),
    Reading("spaced_number", "số có dấu cách", "“120 150” → 120.150", "number"),
    Reading("none_is_zero", "không có là 0", "“-”, “Không”, “Chưa có” trong ô số lượng → 0", "number"),
    Reading("total_with_breakdown", "tổng kèm phần chi tiết", "“25 (trong đó 20 CBCC)”, “25 lượt (CB)” → 25",
            "number"),
    Reading("approximate", "số ước chừng", "“khoảng 25”, “gần 30” → 25; 30", "number"),
    Reading("parts_added", "cộng các phần", "“20 + 5”, “20 CBCC + 5 HĐ = 25”, “25 (20 CBCC, 5 HĐ)” → 25", "number"),
    # -- a year or a date
    Reading("date_as_year", "năm trong ô định dạng ngày", "2021 gõ vào ô ngày (13/07/1905), 01/01/2021 → 2021", "year"),
    Reading("short_year", "năm viết hai chữ số", "“21” → 2021", "year"),
    Reading("year_in_text", "năm trong câu chữ", "“Năm 2021”, “2 023”, “2020 - 2023” → 2021; 2023; 2020", "year"),
    Reading("excel_serial", "số ngày của Excel", "“45091” → 14/06/2023", "date"),
    Reading("year_left_out", "ngày thiếu năm", "“15/6” trong ô ngày báo cáo → 15/06/2023", "date"),
    Reading("month_first", "tháng viết trước ngày", "“06/14/2023” → 14/06/2023", "date"),
    # -- yes or no
    Reading("dash_is_no", "dấu gạch là “Không”", "“-” → “Không”", "yes_no"),
    Reading("answer_then_reason", "câu trả lời kèm lý do", "“Có - đạt HTXS 3 năm”, “Đã nhân rộng” → “Có”", "yes_no"),
    Reading("tcvn3", "phông chữ TCVN3", "“Cã” (gõ bằng phông .VnTime) → “Có”", "yes_no"),
)}


def label(code: str) -> str:
    """The Vietnamese name of a reading ('' for none)."""
    return READINGS[code].label if code else ""


# -- word lists and patterns several readings share ---------------------------------------------------------------
# Folded words that turn a value around: "Chưa được công nhận", "Không hoàn thành nhiệm vụ" are never read for
# words without them ("Được công nhận" is refused).
NEGATION_WORDS = frozenset({"chua", "khong"})
# A remark in brackets after a value or a unit name: "HTXSNV (95 điểm)", "UBND xã Phổ An [bản sửa]".
BRACKETED_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def catalogue() -> str:
    """docs/readings.md: every reading with its example, by the kind of cell it reads."""
    kinds = {"list": "Giá trị trong danh sách (ô chọn)", "unit": "Tên đơn vị", "number": "Số",
             "year": "Năm", "date": "Ngày", "yes_no": "Có / Không"}
    lines = ["# Readings: how a loosely typed value is read",
             "",
             "Generated from `pipeline/reading.py` (`python -m pipeline.reading > docs/readings.md`); a test keeps it",
             "current. Each reading raises a warning naming it: `read_by` in issues.csv, “đọc theo: …” in the message.",
             ""]
    for kind, title in kinds.items():
        lines += [f"## {title}", "", "| `read_by` | đọc theo | example |", "| --- | --- | --- |"]
        lines += [f"| `{r.code}` | {r.label} | {r.example} |" for r in READINGS.values() if r.reads == kind]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(catalogue(), end="")
