"""Every rule a problem in issues.csv is reported under: its stable code, severity, Vietnamese label and example.

The `rule` column of issues.csv holds these codes (scripts and the office filter on them); the message of each
problem is written in pipeline/messages.py. docs/rules.md is generated from this enum
(`python -m schemas.rules > docs/rules.md`); a test keeps it current and checks that the code uses no rule the
enum does not declare.
"""
from __future__ import annotations

from enum import StrEnum

ERROR, WARNING, EITHER = "error", "warning", "error or warning"


class Rule(StrEnum):
    """A rule code with its usual severity, a short Vietnamese label and an example of what raises it."""

    def __new__(cls, code: str, severity: str, label: str, example: str):
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.severity, obj.label, obj.example = severity, label, example
        return obj

    # -- a cell's value ------------------------------------------------------------------------------------------
    REQUIRED_MISSING = "required.missing", ERROR, "Thiếu thông tin bắt buộc", "Ô số buổi tuyên truyền để trống"
    NUMBER_INVALID = "number.invalid", ERROR, "Không phải là số", "“10-12”, “nhiều”"
    NUMBER_NOT_WHOLE = "number.not_whole", ERROR, "Số đếm có phần thập phân", "“12,5” buổi"
    NUMBER_SEVERAL = "number.several", ERROR, "Nhiều số trong một ô", "“22 buổi/1.320 lượt”"
    NUMBER_PARTS_MISMATCH = "number.parts_mismatch", ERROR, "Các phần không cộng lại bằng tổng", "“9+3=13”"
    NUMBER_PERCENT_IN_COUNT = "number.percent_in_count", ERROR, "Tỷ lệ trong ô số đếm", "“90%” số người"
    NUMBER_EVERYONE = "number.everyone", ERROR, "Chữ “tất cả” trong ô số đếm", "“Tất cả”"
    NUMBER_TOO_LARGE = "number.too_large", ERROR, "Số quá lớn", "hai số điện thoại dán liền"
    NUMBER_SHARE_ASSUMED = ("number.share_assumed", WARNING, "Tỷ lệ đã đổi ra số lượng",
                            "“100%” số đăng ký thi đua → tổng số CBCCVC")
    NUMBER_DECIMAL_ASSUMED = ("number.decimal_assumed", WARNING, "Dấu phân cách hiểu là dấu thập phân",
                              "“96,666” điểm → 96,666")
    RANGE_OUT_OF_BOUNDS = "range.out_of_bounds", ERROR, "Ngoài khoảng cho phép", "điểm 120"
    YEAR_INVALID = "year.invalid", ERROR, "Không đọc được năm", "“năm ngoái”"
    DATE_INVALID = "date.invalid", ERROR, "Không đọc được ngày", "“31/02/2023”"
    DATE_NO_YEAR = "date.no_year", ERROR, "Ngày thiếu năm", "“15/6” ở ngày công nhận"
    CHOICE_INVALID = "choice.invalid", ERROR, "Không có trong danh sách", "“Khá” ở mức xếp loại"
    CHOICE_AMBIGUOUS = "choice.ambiguous", ERROR, "Có thể là nhiều giá trị", "“Hoàn thành” ở mức xếp loại"
    CHOICE_ASSUMED = ("choice.assumed", WARNING, "Giá trị trong danh sách đã được hiểu theo cách viết khác",
                      "“HTXS” → “Hoàn thành xuất sắc nhiệm vụ” (đọc theo: viết tắt)")
    VALUE_ASSUMED = ("value.assumed", WARNING, "Giá trị đã được hiểu theo cách viết khác",
                     "“khoảng 25” → 25 (đọc theo: số ước chừng)")
    VALUE_NOT_APPLICABLE = "value.not_applicable", WARNING, "Không áp dụng, để trống", "“N/A”, “Không áp dụng”"
    YESNO_INVALID = "yesno.invalid", ERROR, "Không phải “Có” hay “Không”", "“có thể”"
    FORMAT_INVALID = "format.invalid", ERROR, "Sai định dạng điện thoại, thư điện tử", "“vanthu@”"
    CELL_EXCEL_ERROR = "cell.excel_error", ERROR, "Ô báo lỗi công thức", "“#REF!”"
    FORMULA_NO_VALUE = "formula.no_value", ERROR, "Công thức chưa có kết quả", "tệp do phần mềm không tính công thức lưu"
    PERCENT_FRACTION = "percent.fraction", WARNING, "Tỷ lệ có thể nhập theo thang 0–1", "0,97 ở ô tỷ lệ (%)"
    PERCENT_FRACTION_ASSUMED = ("percent.fraction_assumed", WARNING, "Tỷ lệ thang 0–1 đã nhân 100",
                                "0,97 trong tệp .ods → 97%")
    TEXT_SEVERAL = "text.several", EITHER, "Nhiều mục trong một ô", "“1. Mô hình A 2. Mô hình B”"
    TEXT_TCVN3 = "text.tcvn3", WARNING, "Chữ gõ bằng phông TCVN3", "“D©n vËn khÐo” → “Dân vận khéo”"
    FIELD_VALUE_MOVED = "field.value_moved", WARNING, "Giá trị gõ vào cột hướng dẫn", "tên người lập ở cột “Hướng dẫn”"
    FIELD_MISSING = "field.missing", ERROR, "Thiếu một dòng của biểu mẫu", "dòng “Ngày báo cáo” bị xóa"
    # -- the units' own report date ------------------------------------------------------------------------------
    REPORT_DATE_FUTURE = "report_date.future", WARNING, "Ngày báo cáo sau hôm nay", "10/09/2099"
    REPORT_DATE_TOO_EARLY = "report_date.too_early", WARNING, "Ngày báo cáo quá sớm", "10/06/2021"
    REPORT_DATE_SWAPPED = "report_date.swapped", WARNING, "Ngày và tháng có thể bị đảo", "12/06/2023 gõ thành 06/12/2023"
    REPORT_DATE_YEAR = ("report_date.year", WARNING, "Ngày báo cáo ghi nhầm năm (tính theo năm của kỳ sơ kết)",
                        "14/6/2026 → 14/6/2023")
    # -- rows and row rules --------------------------------------------------------------------------------------
    DUPLICATE_ROW = "duplicate.row", ERROR, "Dòng trùng", "hai dòng “Năm 2021” ở sheet 2"
    ROW_TOTAL_SKIPPED = "row.total_skipped", WARNING, "Dòng cộng do đơn vị thêm không được đọc", "dòng “Tổng cộng”"
    ROW_TOTAL_MISMATCH = "row.total_mismatch", WARNING, "Dòng cộng không khớp", "“Tổng cộng” khác tổng các dòng"
    ROW_NOT_DATA = "row.not_data", WARNING, "Dòng không phải số liệu", "dòng số thứ tự cột, dòng ký tên"
    ROW_HIDDEN = "row.hidden", WARNING, "Dòng có số liệu đang bị ẩn", "một mô hình ở dòng ẩn"
    ROW_CONTINUED = "row.continued", WARNING, "Dòng nối tiếp ô phía trên", "phần còn lại của một đoạn văn"
    MODEL_REPEATED = "model_repeated", WARNING, "Mô hình kê khai hai lần", "cùng tên mô hình ở hai dòng"
    PARTICIPANTS_NOT_BELOW_SESSIONS = ("participants_not_below_sessions", ERROR, "Lượt người ít hơn số buổi",
                                       "10 buổi, 8 lượt")
    REGISTERED_NOT_ABOVE_STAFF = ("registered_not_above_staff", ERROR, "Số đăng ký thi đua lớn hơn tổng số",
                                  "120 đăng ký / 100 CBCCVC")
    RECOGNITION_DOC_REQUIRED = ("recognition_doc_required", WARNING, "Được công nhận nhưng thiếu số văn bản",
                                "cấp thị xã công nhận, ô số văn bản trống")
    REPLICATION_PLACES_REQUIRED = ("replication_places_required", WARNING, "Đã nhân rộng nhưng thiếu số nơi",
                                   "“Có”, số nơi trống")
    PLACES_WITHOUT_REPLICATION = ("places_without_replication", WARNING, "Có số nơi nhưng ghi chưa nhân rộng",
                                  "“Không”, 3 nơi")
    LEVEL_MATCHES_SCORE = "level_matches_score", WARNING, "Mức xếp loại không khớp điểm", "HTXS, 75 điểm"
    # -- award proposals -----------------------------------------------------------------------------------------
    PROPOSAL_TOO_MANY = "proposal.too_many", WARNING, "Quá 01 đề nghị", "đề nghị cả tập thể và cá nhân"
    PROPOSAL_MODEL_NOT_FOUND = ("proposal.model_not_found", WARNING, "Mô hình làm căn cứ không có ở sheet 4",
                                "tên mô hình gõ khác")
    PROPOSAL_CRIT_C_UNSUPPORTED = ("proposal.crit_c_unsupported", WARNING, "Tự khai đạt tiêu chí c nhưng không có "
                                   "mô hình đủ cấp", "chỉ có mô hình đơn vị tự công nhận")
    # -- figures that look wrong (pipeline/check/plausibility.py) ------------------------------------------------
    PLAUSIBILITY_OUTLIER = ("plausibility.outlier", WARNING, "Cao, thấp bất thường so với đơn vị cùng nhóm",
                            "36.997 lượt khi trung vị là 3.700")
    PLAUSIBILITY_JUMP = "plausibility.jump", WARNING, "Tăng, giảm đột biến so với các năm khác", "120 buổi, các năm khác 12"
    PLAUSIBILITY_HALF_YEAR = ("plausibility.half_year", WARNING, "Nửa năm lớn hơn cả năm",
                              "6 tháng đầu năm 2023 nhiều hơn cả năm 2022")
    PLAUSIBILITY_RULE = "plausibility.rule", WARNING, "Hai số liệu không khớp nhau", "ngày công nhận trước năm bắt đầu"
    PLAUSIBILITY_COPIED = "plausibility.copied", WARNING, "Số liệu chép từ kỳ khác", "năm 2022 giống hệt năm 2021"
    # -- sheets and columns ---------------------------------------------------------------------------------------
    SHEET_MISSING = "sheet.missing", EITHER, "Thiếu sheet", "sheet “5. Xếp loại dân vận” bị xóa"
    SHEET_NO_HEADER = "sheet.no_header", ERROR, "Không tìm thấy dòng tiêu đề", "dòng tiêu đề bị xóa"
    SHEET_UNREADABLE = "sheet.unreadable", ERROR, "Sheet không đọc được", "sheet biểu đồ"
    SHEET_ASSUMED = "sheet.assumed", WARNING, "Sheet bị đổi tên", "“Sheet3”, “4. Mo hinh”"
    SHEET_COPY_USED = "sheet.copy_used", WARNING, "Đọc sheet sao chép", "“4. Mô hình (2)”"
    SHEET_COPY_CONFLICT = "sheet.copy_conflict", ERROR, "Sheet sao chép cũng có số liệu", "hai bản sheet 4"
    SHEET_HIDDEN_COPY = "sheet.hidden_copy", WARNING, "Sheet ẩn có bản sao đang hiện", "bản nháp cũ bị ẩn"
    SHEET_FROM_OTHER_FILE = "sheet.from_other_file", WARNING, "Sheet lấy từ tệp khác của đơn vị", "đề nghị gửi riêng"
    COLUMN_MISSING = "column.missing", ERROR, "Thiếu cột", "cột “Lĩnh vực” bị xóa"
    COLUMN_ASSUMED = "column.assumed", WARNING, "Tiêu đề cột bị sửa", "“Năm bắt đầu thực hiện”"
    COLUMN_DUPLICATE = "column.duplicate", ERROR, "Một tiêu đề ở hai cột", "cột ẩn bản cũ"
    # -- files and units -----------------------------------------------------------------------------------------
    FILE_REJECTED = "file.rejected", ERROR, "Tệp bị từ chối", "tệp Word, tệp có mật khẩu"
    FILE_TEMPLATE_VERSION = "file.template_version", WARNING, "Mẫu báo cáo cũ", "mẫu năm 2019"
    FILE_NO_EXTENSION = "file.no_extension", WARNING, "Tên tệp không có đuôi bảng tính", "“BC Phổ An”"
    FILE_MISNAMED = "file.misnamed", WARNING, "Đuôi tệp không đúng nội dung", "tệp .xls đặt tên .xlsx"
    FILE_DUPLICATE_USED = "file.duplicate_used", WARNING, "Đơn vị gửi nhiều tệp: dùng một tệp", "bản sửa gửi sau"
    UNIT_ASSUMED = "unit.assumed", WARNING, "Tên đơn vị viết khác", "“UBND xa Pho An”"
    UNIT_FROM_FILE_NAME = "unit.from_file_name", WARNING, "Tên đơn vị lấy từ tên tệp", "ô tên đơn vị trống"
    UNIT_FROM_LINK = "unit.from_link", WARNING, "Tên đơn vị lấy từ đường dẫn gửi", "ô tên đơn vị trống"
    UNIT_UNKNOWN = "unit.unknown", ERROR, "Đơn vị không có trong danh mục", "“UBND xã Không Có”"
    UNIT_AMBIGUOUS = "unit.ambiguous", ERROR, "Tên đơn vị có thể là nhiều đơn vị", "“Phổ”"
    UNIT_CONFLICT = "unit.conflict", ERROR, "Tên tệp ghi đơn vị khác", "tệp “Phổ Vinh” ghi Phổ An"
    UNIT_NOT_SENDER = "unit.not_sender", ERROR, "Báo cáo của đơn vị khác gửi qua đường dẫn này", "đường dẫn của Phổ An"
    INTERNAL_ERROR = "internal.error", ERROR, "Lỗi chương trình", "một lỗi của phần mềm ở một dòng"
    # -- the award dossier: hồ sơ files and the office's decisions file (pipeline/read, pipeline/tidy/decisions.py)
    DOSSIER_NOT_COUNTED = "dossier.not_counted", WARNING, "Tệp hồ sơ không được tính", "tệp .exe đặt tên .pdf"
    DECISIONS_FILE = "decisions.file", ERROR, "Không đọc được tệp quyết định của cơ quan", "tệp bị hỏng"
    DECISIONS_DUPLICATE = "decisions.duplicate", WARNING, "Một đề nghị ghi hai lần", "hai dòng cùng đơn vị"
    DECISIONS_UNIT_MISSING = "decisions.unit_missing", WARNING, "Thiếu đơn vị", "ô đơn vị để trống"
    DECISIONS_UNIT_UNKNOWN = "decisions.unit_unknown", WARNING, "Đơn vị không có trong danh mục", "“Phòng Không Có”"
    DECISIONS_UNIT_ASSUMED = "decisions.unit_assumed", WARNING, "Tên đơn vị viết khác", "“Phong Tu phap”"
    DECISIONS_NO_PROPOSAL = "decisions.no_proposal", WARNING, "Đơn vị không có đề nghị", "đơn vị không đề nghị ai"
    DECISIONS_NOMINEE_UNKNOWN = ("decisions.nominee_unknown", WARNING, "Người được đề nghị không có trong đề nghị",
                                 "tên khác tên đơn vị đề nghị")
    DECISIONS_VALUE = "decisions.value", WARNING, "Không đọc được quyết định", "“xem xét lại”"
    DECISIONS_NOMINEE_VALUE = "decisions.nominee_value", WARNING, "Không đọc được ô Bằng khen", "“?”"
    DECISIONS_TWO_NOMINEES = "decisions.two_nominees", WARNING, "Hai đề nghị được chọn Bằng khen", "hai dấu “x”"
    DECISIONS_NOMINEE_REFUSED = ("decisions.nominee_refused", WARNING, "Chọn Bằng khen cho đề nghị không đồng ý",
                                 "“x” ở dòng “Không đồng ý”")


def catalogue() -> str:
    """docs/rules.md: every rule with its severity, label and example."""
    lines = ["# Rules: what issues.csv reports", "",
             "Generated from `schemas/rules.py` (`python -m schemas.rules > docs/rules.md`); a test keeps it current.",
             "An **error** keeps its row (or field, sheet, file) out of the totals until it is fixed; a **warning**",
             "keeps it in and asks the unit to check. The message of each rule is in `pipeline/messages.py`.", "",
             "| `rule` | severity | nội dung | ví dụ |", "| --- | --- | --- | --- |"]
    lines += [f"| `{r.value}` | {r.severity} | {r.label} | {r.example} |" for r in Rule]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue(), end="")
