"""Every sentence a user reads, in one place so the wording is reviewed once."""
from __future__ import annotations

from schemas.codes import RecipientKind
from schemas.rules import Rule

# -- sheet names that are not data sheets ---------------------------------------
INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
FEEDBACK_SHEET = "Danh sách lỗi cần sửa"

# -- template -----------------------------------------------------------------
STAMP_PREFIX = "Phiên bản mẫu:"
TEMPLATE_HEADING = "MẪU BÁO CÁO {title}"
SHEET_NOTE = (
    "Ô tiêu đề màu cam là thông tin bắt buộc. Chọn giá trị trong danh sách thả xuống khi có; "
    "số nhập dạng số, ngày nhập dạng ngày/tháng/năm. Không đổi tên sheet, không sửa dòng tiêu đề."
)
FORM_HEADERS = ("Nội dung", "Thông tin của đơn vị", "Hướng dẫn")
DV_ERROR_TITLE = "Giá trị không hợp lệ"
DV_CHOICE_ERROR = "Vui lòng chọn một giá trị trong danh sách thả xuống."
DV_NUMBER_ERROR = "Vui lòng nhập một số từ {min} đến {max}."
DV_DATE_ERROR = "Vui lòng nhập ngày dạng ngày/tháng/năm."


def instructions(plan, sheets: list[tuple[str, str]]) -> list[tuple[str, bool]]:
    """Lines of the instructions sheet: (text, bold). Names, documents and dates come from config/plan.toml."""
    review, report = plan.review, plan.raw.get("report", {})
    basis = report.get("basis") or [review["plan_reference"]]
    guidance = basis[-1]
    deadline = review["deadline"].strftime("%d/%m/%Y")
    gov = review.get("local_government", "UBND")
    lines = [
        ("CÁCH ĐIỀN MẪU BÁO CÁO", True),
        (f"1. Thực hiện {guidance}, mỗi cơ quan, đơn vị, địa phương điền đầy đủ các sheet dưới đây; "
         f"nội dung thi đua theo {review['plan_reference']}.", False),
        ("2. Chọn giá trị trong danh sách thả xuống ở những ô có danh sách; không gõ giá trị khác.", False),
        ("3. Số nhập dạng số (ví dụ 1234, không ghi chữ); nhập 0 nếu không có. Ngày nhập dạng ngày/tháng/năm.", False),
        ("4. Không đổi tên sheet, không sửa, xóa dòng tiêu đề và các ô màu xám đã điền sẵn. Ô dài (kết quả nổi bật, "
         "tác động, đánh giá) có thể viết nhiều câu; chữ tự xuống dòng.", False),
        (f"5. Mỗi đơn vị chỉ đề nghị 01 tập thể hoặc 01 cá nhân để Chủ tịch {gov} khen thưởng (sheet 9).", False),
        (f"6. Gửi về {review['send_to']} trước ngày {deadline}: (a) tệp Excel này, đặt tên tệp theo tên đơn vị; "
         "(b) báo cáo sơ kết đã ký, đóng dấu; (c) hồ sơ đề nghị khen thưởng (nếu có), gồm tờ trình và báo cáo "
         "thành tích của tập thể, cá nhân được đề nghị.", True),
        ("", False),
        ("CÁC SHEET CẦN ĐIỀN", True),
    ]
    lines += [(f"• Sheet “{name}”", False) for name, _title in sheets]
    lines += [
        ("", False),
        ("TIÊU CHUẨN KHEN THƯỞNG (mục III của Hướng dẫn)", True),
        ("Tập thể: a) gương mẫu chấp hành, nội bộ đoàn kết, thành tích xuất sắc; b) thực hiện tốt công tác dân vận "
         f"theo chỉ đạo của cấp ủy và kế hoạch của {gov}; c) {criterion_c_text(plan)}; d) xếp loại công tác dân vận "
         "chính quyền hằng năm đạt mức hoàn thành xuất sắc.", False),
        ("Cá nhân: a) gương mẫu chấp hành, thành tích xuất sắc; b) tham mưu, thực hiện xuất sắc công tác dân vận, "
         "có mô hình được công nhận hoặc sáng kiến, cách làm sáng tạo có sức lan tỏa.", False),
    ]
    return lines


# -- criterion (c) and the competent level ("cấp có thẩm quyền"), from config [awards] --------------
COMPETENT_LEVEL = "cấp có thẩm quyền (từ {authority} trở lên)"
CRIT_C_TEXT = "có ít nhất một mô hình “Dân vận khéo” được {competent} công nhận, có hiệu quả và có thể nhân rộng"
CRIT_C_REPLICATED_TEXT = ("có ít nhất một mô hình “Dân vận khéo” được {competent} công nhận, có hiệu quả và đã "
                          "được nhân rộng")


def competent_level(plan) -> str:
    """"cấp có thẩm quyền (từ cấp thị xã trở lên)": the level criterion (c) treats as competent, from config."""
    item = plan.item("recognition_levels", plan.awards["min_recognition_level"])
    return COMPETENT_LEVEL.format(authority=item.get("authority") or item["label"])


def criterion_c_text(plan) -> str:
    """What criterion (c) asks, as the configuration applies it (replication required or only possible)."""
    template = CRIT_C_REPLICATED_TEXT if plan.awards.get("crit_c_requires_replication", False) else CRIT_C_TEXT
    return template.format(competent=competent_level(plan))


# -- files ----------------------------------------------------------------------
FILE_LOCK = "Tệp khóa tạm của Excel/LibreOffice (~$...), không phải báo cáo; đã bỏ qua."
FILE_HIDDEN = "Tệp ẩn hoặc tệp hệ thống; đã bỏ qua."
FILE_ARCHIVE = "Tệp nén; đã mở và đọc từng tệp bên trong."
FILE_NESTED_ARCHIVE = ("Tệp nén nằm trong một tệp nén khác không được mở; hãy gửi trực tiếp tệp báo cáo Excel "
                       "(hoặc một tệp .zip chỉ chứa tệp Excel đó).")
FILE_MEMBER_PATH = ("Tên “{name}” trong tệp nén không phải là một tên tệp hợp lệ (chỉ ra ngoài thư mục của tệp nén "
                    "hoặc là đường dẫn tuyệt đối) nên không được mở; hãy gửi trực tiếp tệp báo cáo Excel.")
# The office's decisions (pipeline.read.decisions), written by the office board of the web pages.
FILE_DECISIONS = ("Tệp ghi quyết định của Cơ quan Tổ chức – Nội vụ trên bảng theo dõi (báo cáo được chọn dùng, báo "
                  "cáo trả lại đơn vị), không phải báo cáo; đã áp dụng khi chọn báo cáo của từng đơn vị.")
FILE_DECISIONS_UNREADABLE = ("Không đọc được tệp ghi quyết định của Cơ quan Tổ chức – Nội vụ (tệp bị sửa tay hoặc "
                             "hỏng); các quyết định trong đó chưa được áp dụng. Hãy ghi lại quyết định trên bảng "
                             "theo dõi.")
FILE_SENT_BACK = ("Cơ quan Tổ chức – Nội vụ đã trả lại báo cáo này cho đơn vị, lý do: “{reason}”. Báo cáo không "
                  "được tổng hợp; đơn vị cần sửa rồi gửi lại.")
FILE_UNREADABLE = "Không đọc được tệp ({error})."
FILE_TOO_LARGE = "Tệp lớn hơn giới hạn {mb} MB cho phép; hãy xóa ảnh, sheet thừa rồi gửi lại."
FILE_EMPTY = "Tệp rỗng (0 byte); hãy gửi lại tệp báo cáo đầy đủ."
FILE_CORRUPT = "Tệp bị hỏng hoặc không phải tệp Excel hợp lệ; hãy mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
FILE_ENCRYPTED = "Tệp được đặt mật khẩu nên không đọc được; hãy gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại."
FILE_BOMB = "Tệp có dung lượng giải nén bất thường (nghi là tệp độc hại) nên không được mở; hãy gửi lại tệp báo cáo gốc."
FILE_HTML = "Tệp thực chất là trang HTML được lưu với đuôi Excel; hãy mở bằng Excel và lưu lại dạng “Sổ làm việc Excel (.xlsx)”."
FILE_WORD = "Tệp là văn bản Word, không phải mẫu báo cáo Excel; hãy điền số liệu vào mẫu Excel."
FILE_NO_EXTENSION = ("Tên tệp {named}, nhưng nội dung là một bảng tính; đã đọc như tệp .{format}. Khi gửi lại, hãy đặt "
                     "tên tệp có đuôi .{format}.")
FILE_MISNAMED = ("Tên tệp có đuôi “{ext}” nhưng nội dung là {kind} (.{format}); đã đọc theo nội dung. Khi gửi lại, "
                 "hãy lưu bằng Excel (Tệp > Lưu thành) với đúng đuôi .{format}, hoặc lưu thành .xlsx.")
FORMAT_NAMES = {"xlsx": "sổ làm việc Excel", "xlsm": "sổ làm việc Excel có macro", "xls": "tệp Excel 97-2003",
                "ods": "bảng tính OpenDocument (LibreOffice)"}
FILE_ENCRYPTED_XLS = ("Tệp Excel 97-2003 (.xls) được đặt mật khẩu để mở nên không đọc được; hãy mở bằng mật khẩu, gỡ "
                      "mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu), lưu "
                      "thành .xlsx rồi gửi lại.")
FILE_NOT_WORKBOOK_ZIP = ("Tệp là một gói nén không chứa bảng tính (không phải .xlsx, .xlsm hay .ods); hãy gửi đúng tệp "
                         "báo cáo Excel.")
FILE_NAMED_NO_EXT, FILE_NAMED_ODD_EXT = "không có đuôi", "kết thúc bằng “{ext}”, không phải đuôi của bảng tính"
FILE_NOT_WORKBOOK = "Tệp đuôi “{ext}” không phải tệp bảng tính; chỉ nhận .xlsx, .xlsm, .xls, .ods hoặc tệp .zip chứa chúng."
FILE_UNKNOWN_UNIT = ("Không xác định được đơn vị báo cáo: ô “Tên cơ quan, đơn vị, địa phương” ghi “{value}”, "
                     "không có trong danh mục đơn vị{suggestion}. Hãy chọn tên đơn vị trong danh sách thả xuống.")
FILE_AMBIGUOUS_UNIT = ("Không xác định được đơn vị báo cáo: ô “Tên cơ quan, đơn vị, địa phương” ghi “{value}”, "
                       "có thể là một trong các đơn vị {candidates}. Hãy chọn đúng tên đơn vị trong danh sách thả xuống.")
FILE_UNIT_CONFLICT = ("Không xác định được đơn vị báo cáo: ô “Tên cơ quan, đơn vị, địa phương” ghi “{unit}”, "
                      "nhưng tên tệp “{file}” là của “{named}” (có thể đã dùng lại tệp của đơn vị khác mà chưa sửa "
                      "tên đơn vị). Tệp này chưa được tổng hợp và không thay cho báo cáo của “{unit}”. Nếu đây là "
                      "báo cáo của “{named}”, hãy sửa ô tên đơn vị; nếu là của “{unit}”, hãy đổi tên tệp.")
UNIT_SUGGESTION = " (có phải ý bạn là {candidates}?)"
FILE_NO_UNIT = ("Không xác định được đơn vị báo cáo vì thiếu sheet “Thông tin đơn vị” hoặc ô tên đơn vị để trống, "
                "và tên tệp không cho biết đơn vị nào.")
UNIT_ASSUMED = ("Ô {cell}: tên đơn vị ghi “{value}”, đã hiểu là “{unit}”{read_by}. Nếu đúng, hãy chọn đúng tên này trong "
                "danh sách thả xuống.")
UNIT_FROM_SENDER = ("Ô {cell}: tên đơn vị để trống; tệp được gửi qua đường dẫn nộp báo cáo riêng của “{unit}” nên "
                    "đã hiểu là báo cáo của đơn vị này. Hãy chọn tên đơn vị trong danh sách thả xuống.")
FILE_NOT_SENDER = ("Báo cáo này ghi tên đơn vị “{named}”, không phải “{unit}”, nhưng được gửi qua đường dẫn nộp báo "
                   "cáo riêng của “{unit}”. Đường dẫn này chỉ nhận báo cáo của “{unit}”: nếu đây là báo cáo của "
                   "“{unit}”, hãy chọn đúng tên đơn vị ở sheet “Thông tin đơn vị”; nếu là của “{named}”, hãy gửi "
                   "qua đường dẫn của đơn vị đó.")
UNIT_FROM_FILE_NAME = ("Ô {cell}: tên đơn vị để trống; theo tên tệp “{file}”, đã hiểu là báo cáo của “{unit}”. "
                       "Hãy chọn tên đơn vị trong danh sách thả xuống.")
FILE_SUPERSEDED = "Đơn vị đã gửi báo cáo khác có ngày báo cáo muộn hơn ({winner}); tệp này không được tổng hợp."
FILE_SUPERSEDED_CORRECTION = ("Đơn vị đã gửi báo cáo khác cùng ngày báo cáo ({winner}); tên tệp đó ghi là bản sửa, "
                              "bổ sung nên được dùng thay cho tệp này.")
FILE_SUPERSEDED_LATER = ("Đơn vị đã gửi báo cáo khác cùng ngày báo cáo ({winner}), được lưu sau tệp này nên được dùng "
                         "thay cho tệp này.")
FILE_SUPERSEDED_DATED = ("Đơn vị đã gửi báo cáo khác ({winner}) có ghi ngày báo cáo, còn tệp này không đọc được ngày "
                         "báo cáo; tệp này không được tổng hợp.")
FILE_SUPERSEDED_DRAFT = ("Tên tệp này ghi là bản dự thảo, nháp; đơn vị đã gửi báo cáo khác ({winner}) nên tệp này "
                         "không được tổng hợp.")
FILE_SUPERSEDED_UNDATED_CORRECTION = ("Đơn vị đã gửi bản sửa, bổ sung ({winner}) của báo cáo này; bản sửa được dùng "
                                      "thay cho tệp này (bản sửa chưa ghi ngày báo cáo, đề nghị bổ sung).")
# A return sent in parts (pipeline.check.units.choose_returns): a sheet the used file lacks, from another file.
SHEET_FROM_OTHER_FILE = ("Tệp này không có sheet “{sheet}”; sheet này được lấy từ tệp {other} của đơn vị để tổng hợp. "
                         "Nếu không đúng, hãy gửi lại một tệp đủ các sheet.")
FILE_SHEETS_GIVEN = "Riêng sheet {sheets} của tệp này vẫn được tổng hợp, vì tệp {winner} không có sheet đó."
FILE_SUPERSEDED_MORE_ERRORS = ("Tệp này còn {errors} lỗi, nhiều hơn báo cáo đang được dùng ({winner}, {winner_errors} "
                               "lỗi), nên không thay cho báo cáo đó. Hãy sửa các lỗi rồi gửi lại, hoặc đề nghị Cơ quan "
                               "Tổ chức – Nội vụ chọn dùng tệp này.")
FILE_SUPERSEDED_OFFICE = ("Cơ quan Tổ chức – Nội vụ đã chọn dùng báo cáo khác của đơn vị ({winner}) để tổng hợp; tệp "
                          "này không được tổng hợp.")
FILE_USED_OVER = "Đơn vị gửi {n} báo cáo; tệp này được tổng hợp, thay cho: {others}. Lý do: {why}"
WHY_LATER_DATE = "ngày báo cáo muộn hơn."
WHY_OFFICE = "Cơ quan Tổ chức – Nội vụ chọn dùng tệp này."
WHY_FEWER_ERRORS = "tệp kia còn nhiều lỗi hơn."
WHY_CORRECTION = "cùng ngày báo cáo, tên tệp này ghi là bản sửa, bổ sung."
WHY_LATER_SAVED = "cùng ngày báo cáo, tệp này được lưu sau."
WHY_NOT_DRAFT = "tệp kia ghi là bản dự thảo, nháp."
WHY_UNDATED_CORRECTION = "tên tệp này ghi là bản sửa, bổ sung (chưa ghi ngày báo cáo, đề nghị bổ sung)."
WHY_HAS_DATE = "tệp này có ngày báo cáo đọc được."
FILE_NO_SHEETS = "Tệp không có sheet nào của mẫu báo cáo; hãy dùng đúng mẫu báo cáo được gửi kèm hướng dẫn sơ kết."
FILE_BLANK = ("Tệp là mẫu báo cáo chưa nhập số liệu: ngoài thông tin đơn vị, các sheet đều để trống (có thể đã gửi nhầm "
              "mẫu trống); hãy nhập số liệu rồi gửi lại.")
FILE_OLD_TEMPLATE = "Tệp không có dấu phiên bản mẫu hoặc dùng phiên bản khác ({found}); đã đọc theo tên sheet và tiêu đề cột."
FILE_OVER_TIME = ("Tệp này cần hơn {seconds} giây để kiểm tra, quá thời gian cho phép đối với một báo cáo, nên chưa "
                  "được tổng hợp. Thường do bảng có hàng nghìn dòng thừa hoặc dòng bỏ trống nhiều cột bắt buộc, hay "
                  "công thức kéo xuống hết trang tính: hãy xóa các dòng, cột thừa rồi gửi lại.")
FILE_OVER_MEMORY = ("Tệp này cần hơn {mb} MB bộ nhớ để kiểm tra, quá mức cho phép đối với một báo cáo, nên chưa được "
                    "tổng hợp. Thường do bảng có hàng nghìn dòng thừa, hay công thức, định dạng kéo xuống hết trang "
                    "tính: hãy xóa các dòng, cột thừa rồi gửi lại.")
FILE_INTERNAL_ERROR = ("Chương trình gặp lỗi khi xử lý tệp này (lỗi chương trình, không phải lỗi của đơn vị); "
                       "tệp chưa được tổng hợp. Nhóm phát triển đã được ghi nhận chi tiết trong outputs/logs/.")
ROW_INTERNAL_ERROR = ("Dòng {row}: chương trình gặp lỗi khi tổng hợp dòng này (lỗi chương trình, không phải lỗi của "
                      "đơn vị); dòng chưa được tổng hợp.")

# -- sheets and columns --------------------------------------------------------
SHEET_MISSING = "Thiếu sheet “{sheet}” của mẫu báo cáo."
SHEET_MISSING_OPTIONAL = ("Thiếu sheet “{sheet}” của mẫu báo cáo; đã hiểu là đơn vị không có nội dung nào để kê ở sheet "
                          "này. Nếu có, hãy nhập vào sheet “{sheet}” của mẫu.")
SHEET_ASSUMED = "Sheet “{actual}” được hiểu là sheet “{sheet}” của mẫu; đề nghị giữ đúng tên sheet như mẫu."
SHEET_BY_CONTENT = ("Sheet “{actual}” có tên khác mẫu nhưng có các cột của sheet “{sheet}”, nên được đọc như sheet "
                    "“{sheet}”; đề nghị giữ đúng tên sheet như mẫu.")
SHEET_COPY_USED = ("Sheet “{sheet}” để trống nên đã đọc số liệu ở sheet sao chép “{copy}”; đề nghị nhập số liệu "
                   "vào đúng sheet của mẫu và xóa sheet sao chép.")
SHEET_HIDDEN_COPY = ("Sheet “{hidden}” đang bị ẩn và có bản sao đang hiện là sheet “{used}”: đã đọc sheet “{used}”, "
                     "không đọc sheet ẩn. Nếu sheet ẩn mới là số liệu đúng, hãy xóa sheet “{used}” và bỏ ẩn sheet kia.")
SHEET_COPY_CONFLICT = ("Sheet sao chép “{copy}” có số liệu nhưng sheet “{used}” cũng có số liệu; chỉ đọc sheet “{used}”. "
                       "Hãy chép các dòng cần thiết vào sheet “{used}” rồi xóa sheet “{copy}”.")
SHEET_UNREADABLE = "Không đọc được sheet “{sheet}”."
SHEET_NO_HEADER = "Sheet “{sheet}” không có dòng tiêu đề của mẫu; không sửa, xóa dòng tiêu đề."
COLUMN_MISSING = "Sheet “{sheet}” thiếu cột “{header}”; hãy dùng đúng mẫu, không xóa hay đổi tên cột."
# A header or form label retyped (pipeline.read.headers): read as the template's, the unit told.
COLUMN_ASSUMED = ("Ô {cell}: tiêu đề cột “{typed}” khác mẫu, đã hiểu là cột “{header}”. Nếu không đúng, hãy sửa lại "
                  "tiêu đề như mẫu.")
FIELD_ASSUMED = ("Ô {cell}: dòng “{typed}” khác mẫu, đã hiểu là dòng “{header}”. Nếu không đúng, hãy sửa lại "
                 "như mẫu.")
COLUMN_DUPLICATE = ("Sheet “{sheet}” có tiêu đề “{header}” ở nhiều cột ({columns}; có thể có cột đang ẩn), không biết cột "
                    "nào là số liệu đúng. Hãy xóa cột thừa, chỉ giữ một cột “{header}” như mẫu.")
ROW_NOT_DATA = {   # rows under a table header that are not records (pipeline.read.workbook._not_data)
    "header": "Ô {cell}: dòng này lặp lại dòng tiêu đề cột (“{value}”); chương trình không đọc dòng này như số liệu.",
    "numbering": "Ô {cell}: dòng đánh số thứ tự cột (1, 2, 3…) dưới tiêu đề; chương trình không đọc dòng này như số liệu.",
    "signature": ("Ô {cell}: “{value}” là phần ghi chú hoặc ký tên dưới bảng; chương trình không đọc dòng này và các "
                  "dòng ký tên ngay dưới như số liệu."),
    "heading": ("Ô {cell}: dòng chỉ có “{value}”, được hiểu là dòng tiêu đề nhóm nên không đọc như số liệu; nếu đây "
                "là một dòng số liệu, hãy nhập đủ các cột bắt buộc."),
}
FIELD_MISSING = "Sheet “{sheet}” thiếu dòng “{header}”; hãy dùng đúng mẫu, không xóa dòng."
TEXT_TCVN3 = ("Sheet “{sheet}”: {n} ô được gõ bằng bảng mã TCVN3 (phông chữ .VnTime), ví dụ ô {cell} ghi “{typed}”; "
              "chương trình đã đọc sang bảng mã Unicode là “{read}”. Đề nghị gõ bằng bảng mã Unicode (phông chữ Times "
              "New Roman) và kiểm tra lại các ô này.")
FIELD_VALUE_MOVED = ("Ô {cell}: giá trị của dòng “{header}” được nhập ở ô {cell} thay vì ô {expected} (cột “{column}”); "
                     "chương trình đã đọc giá trị ở ô {cell}. Đề nghị nhập vào ô {expected}.")

# (severity, what the problem holds back) -> the sentence that says what happens to the data.
SEVERITY_SUFFIX = {
    ("error", "row"): " [Lỗi: dòng này chưa được tổng hợp cho đến khi sửa.]",
    ("warning", "row"): " [Cảnh báo: dòng này vẫn được tổng hợp, đề nghị kiểm tra lại.]",
    ("error", "field"): " [Lỗi: ô này chưa được tổng hợp cho đến khi sửa; các ô khác của sheet vẫn được tổng hợp.]",
    ("warning", "field"): " [Cảnh báo: ô này vẫn được tổng hợp, đề nghị kiểm tra lại.]",
    ("warning", "cell"): (" [Cảnh báo: ô này không phải thông tin bắt buộc nên được để trống khi tổng hợp; các ô khác "
                          "của dòng vẫn được tổng hợp. Đề nghị sửa lại.]"),
    ("error", "sheet"): " [Lỗi: sheet này chưa được tổng hợp cho đến khi sửa.]",
    ("warning", "sheet"): " [Cảnh báo: sheet này vẫn được tổng hợp, đề nghị kiểm tra lại.]",
    ("error", "file"): " [Lỗi: tệp này chưa được tổng hợp.]",
    ("warning", "file"): " [Cảnh báo: tệp này vẫn được tổng hợp, đề nghị kiểm tra lại.]",
}

# -- cell rules (rule code -> message); {cell} {header} {value} and extras -------
RULES = {
    Rule.REQUIRED_MISSING: "Ô {cell} (“{header}”) đang để trống nhưng là thông tin bắt buộc; {hint}.",
    Rule.NUMBER_INVALID: "Ô {cell} (“{header}”) ghi “{value}”, không phải là một số; hãy nhập một số, ví dụ {example}.",
    Rule.YEAR_INVALID: "Ô {cell} (“{header}”) ghi “{value}”, không đọc được là một năm; hãy nhập năm gồm 4 chữ số, ví dụ 2021.",
    Rule.VALUE_ASSUMED: "Ô {cell} (“{header}”) ghi “{value}”, đã hiểu là {assumed}{read_by}; đề nghị chỉ nhập {assumed}.",
    Rule.VALUE_NOT_APPLICABLE: ("Ô {cell} (“{header}”) ghi “{value}”, đã hiểu là không có thông tin này nên để trống khi "
                             "tổng hợp; nếu có, {hint}."),
    Rule.NUMBER_SEVERAL: ("Ô {cell} (“{header}”) ghi “{value}”, có nhiều số trong cùng một ô; ô này chỉ nhận một số, hãy "
                       "nhập một số duy nhất (ví dụ {example}), phần diễn giải ghi trong báo cáo sơ kết."),
    Rule.NUMBER_PARTS_MISMATCH: ("Ô {cell} (“{header}”) ghi “{value}”, các phần cộng lại được {parts}, khác tổng {total} "
                              "đã ghi; hãy nhập một số đúng, phần diễn giải ghi trong báo cáo sơ kết."),
    Rule.NUMBER_SHARE_ASSUMED: ("Ô {cell} (“{header}”) ghi “{value}”, đã hiểu là {number} ({share}% của {total}, số ở "
                             "ô “{of}”); đề nghị nhập số lượng, ví dụ {number}."),
    Rule.NUMBER_PERCENT_IN_COUNT: ("Ô {cell} (“{header}”) ghi “{value}”, là một tỷ lệ phần trăm nhưng ô này cần một số "
                                "đếm; hãy nhập số lượng, ví dụ {example}."),
    Rule.NUMBER_EVERYONE: ("Ô {cell} (“{header}”) ghi “{value}”, chưa phải là một số; ô này cần một số đếm, hãy nhập số "
                        "lượng, ví dụ {example}."),
    Rule.NUMBER_TOO_LARGE: ("Ô {cell} (“{header}”) ghi “{value}”, số quá lớn, không phải là một số đếm (có thể đã dán "
                         "nhầm số điện thoại hoặc nhiều số liền nhau); hãy nhập một số từ {min} đến {max}."),
    Rule.NUMBER_DECIMAL_ASSUMED: ("Ô {cell} (“{header}”) ghi “{value}”; giá trị của ô không thể là {thousands} (tối đa "
                               "{max}) nên đã hiểu dấu phân cách là dấu thập phân: {assumed}. Nếu không đúng, hãy sửa lại."),
    Rule.NUMBER_NOT_WHOLE: "Ô {cell} (“{header}”) ghi “{value}”; hãy nhập số nguyên, không có phần thập phân.",
    Rule.RANGE_OUT_OF_BOUNDS: "Ô {cell} (“{header}”) ghi “{value}”, ngoài khoảng cho phép; hãy nhập số từ {min} đến {max}.",
    Rule.CHOICE_INVALID: "Ô {cell} (“{header}”) ghi “{value}”, không có trong danh sách{did_you_mean}; hãy chọn một trong: {choices}.",
    Rule.CHOICE_ASSUMED: "Ô {cell} (“{header}”) ghi “{value}”, đã hiểu là “{assumed}”{read_by}; đề nghị chọn đúng giá trị này trong danh sách thả xuống.",
    Rule.CHOICE_AMBIGUOUS: "Ô {cell} (“{header}”) ghi “{value}”, có thể là {candidates}; hãy chọn đúng một giá trị trong danh sách thả xuống.",
    Rule.FORMULA_NO_VALUE: ("Ô {cell} (“{header}”) chứa công thức nhưng tệp không lưu kết quả tính (thường do tệp được tạo bằng "
                         "phần mềm không tính công thức); hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại."),
    Rule.PERCENT_FRACTION: ("Ô {cell} (“{header}”) ghi {value}; tỷ lệ nhập theo thang 0–100 (ví dụ {example} cho {example}%). "
                         "Nếu đúng là {value}% thì giữ nguyên; nếu là {example}% hãy sửa lại."),
    Rule.PERCENT_FRACTION_ASSUMED: ("Ô {cell} (“{header}”) ghi {value}; tệp dạng .ods/.xls không cho biết ô có định dạng "
                                 "phần trăm hay không, nên đã hiểu là {example}% (tỷ lệ nhập theo thang 0–100). "
                                 "Nếu không đúng, hãy nhập tỷ lệ dạng số từ 0 đến 100, ví dụ {example}."),
    Rule.REPORT_DATE_FUTURE: "Ô {cell}: ngày báo cáo {value} muộn hơn hôm nay ({today}); hãy kiểm tra lại{swap_hint}.",
    Rule.REPORT_DATE_TOO_EARLY: "Ô {cell}: ngày báo cáo {value} sớm hơn {earliest}, không hợp lý với kỳ sơ kết; hãy kiểm tra lại{swap_hint}.",
    Rule.REPORT_DATE_SWAPPED: ("Ô {cell}: ngày báo cáo {value} muộn hơn nhiều so với hạn nộp ({deadline}); có thể ngày và tháng bị "
                            "đảo chỗ (máy tính đặt định dạng tháng/ngày), ngày đúng có lẽ là {swapped}. Hãy nhập lại dạng "
                            "ngày/tháng/năm."),
    Rule.REPORT_DATE_YEAR: ("Ô {cell}: ngày báo cáo {value} ghi năm sau năm của kỳ sơ kết; có lẽ năm bị gõ nhầm, ngày đúng "
                         "là {meant}. Đơn vị được tính đúng hạn hay trễ hạn theo ngày {meant}; nếu không phải, hãy sửa "
                         "lại ngày báo cáo."),
    Rule.ROW_TOTAL_SKIPPED: ("Ô {cell}: dòng “{value}” là dòng cộng do đơn vị thêm vào; chương trình tự cộng nên không đọc dòng "
                          "này. Có thể xóa dòng này."),
    Rule.ROW_HIDDEN: ("Ô {cell}: dòng {row} đang bị ẩn nhưng có số liệu, người xem sheet sẽ không thấy. Nếu không muốn "
                   "báo cáo, hãy xóa dòng; nếu có, hãy bỏ ẩn để người duyệt thấy."),
    Rule.ROW_CONTINUED: ("Ô {cell}: “{value}” được hiểu là phần tiếp theo của ô {above} phía trên (gõ tràn sang dòng "
                      "dưới) nên đã ghép vào ô {above}. Lần sau hãy gõ cả nội dung trong một ô (xuống dòng trong ô: "
                      "Alt+Enter); nếu đây là một dòng mới, hãy nhập đủ các cột."),
    Rule.ROW_TOTAL_MISMATCH: ("Ô {cell}: dòng “{value}” ghi {columns} không khớp với tổng các dòng phía trên ({sums}); đề nghị "
                           "kiểm tra lại số liệu các dòng."),
    Rule.TEXT_SEVERAL: ("Ô {cell} (“{header}”) ghi {count} mục trong cùng một ô; mỗi dòng chỉ ghi một mục: hãy tách mỗi "
                     "mục ra một dòng riêng, hoặc chỉ giữ lại một."),
    Rule.DATE_NO_YEAR: "Ô {cell} (“{header}”) ghi “{value}”, thiếu năm; hãy nhập đủ ngày/tháng/năm, ví dụ 10/06/2023.",
    Rule.DATE_INVALID: "Ô {cell} (“{header}”) ghi “{value}”, không đọc được là ngày; hãy nhập dạng ngày/tháng/năm, ví dụ 10/06/2023.",
    Rule.YESNO_INVALID: "Ô {cell} (“{header}”) ghi “{value}”; hãy chọn “Có” hoặc “Không”.",
    Rule.FORMAT_INVALID: "Ô {cell} (“{header}”) ghi “{value}”, không đúng định dạng; {hint}.",
    Rule.CELL_EXCEL_ERROR: "Ô {cell} (“{header}”) đang báo lỗi công thức “{value}”; hãy nhập trực tiếp giá trị thay cho công thức.",
    Rule.DUPLICATE_ROW: "Ô {cell}: dòng này trùng với một dòng phía trên (“{header}” = “{value}”); hãy xóa dòng trùng.",
    Rule.PARTICIPANTS_NOT_BELOW_SESSIONS: "Ô {cell}: số lượt người tham gia ({value}) ít hơn số buổi tuyên truyền; hãy kiểm tra lại hai số này.",
    Rule.REGISTERED_NOT_ABOVE_STAFF: "Ô {cell}: số người đăng ký thi đua ({value}) lớn hơn tổng số CBCCVC và người lao động; hãy sửa lại.",
    Rule.MODEL_REPEATED: ("Ô {cell}: mô hình “{value}” đã có ở một dòng phía trên; mô hình chỉ được tính một lần. "
                       "Nếu là hai mô hình khác nhau, hãy ghi tên khác nhau; nếu trùng, hãy xóa dòng này."),
    Rule.RECOGNITION_DOC_REQUIRED: "Ô {cell}: mô hình ghi đã được công nhận nhưng chưa có số văn bản công nhận (ô để trống hoặc ghi chữ, không có số văn bản); hãy ghi số văn bản, ví dụ 125/QĐ-UBND.",
    Rule.REPLICATION_PLACES_REQUIRED: "Ô {cell}: mô hình ghi “đã nhân rộng” nhưng chưa có số nơi nhân rộng; hãy nhập số nơi (lớn hơn 0).",
    Rule.PLACES_WITHOUT_REPLICATION: "Ô {cell}: có số nơi nhân rộng ({value}) nhưng cột “Đã nhân rộng” ghi “Không”; hãy sửa một trong hai ô.",
    Rule.LEVEL_MATCHES_SCORE: "Ô {cell}: mức xếp loại “{value}” không khớp với điểm tự chấm; theo thang điểm{bands}, {score} điểm là “{expected}”. Hãy kiểm tra lại.",
    Rule.PROPOSAL_TOO_MANY: "Ô {cell}: mỗi đơn vị chỉ đề nghị 01 tập thể hoặc 01 cá nhân; đề nghị này không được xét. Hãy chỉ giữ lại một đề nghị.",
    Rule.PROPOSAL_MODEL_NOT_FOUND: "Ô {cell}: mô hình “{value}” không có trong sheet “4. Mô hình Dân vận khéo” của đơn vị; hãy ghi đúng tên mô hình đã kê khai.",
    Rule.PROPOSAL_CRIT_C_UNSUPPORTED: "Ô {cell}: đơn vị tự khai đạt tiêu chí c nhưng sheet 4 không có mô hình nào được công nhận từ mức “{level}” trở lên{replicated}.",
    # figures that look wrong (pipeline/check/plausibility.py): warnings only, the figure is still counted
    Rule.PLAUSIBILITY_OUTLIER: ("Ô {cell} (“{header}”{key}): {what}, {direction} so với các đơn vị cùng nhóm “{group}” "
                             "(trung vị {median} của {n} đơn vị); hãy kiểm tra lại: có thể gõ thừa hoặc thiếu chữ số, "
                             "hoặc nhập nhầm dòng."),
    Rule.PLAUSIBILITY_JUMP: ("Ô {cell} (“{header}”{key}) ghi {value}, {how} trung vị các năm khác của đơn vị ({median}); "
                          "hãy kiểm tra lại: có thể gõ thừa hoặc thiếu chữ số, hoặc nhập số liệu của năm khác."),
    Rule.PLAUSIBILITY_HALF_YEAR: ("Ô {cell} (“{header}”{key}) ghi {value}, lớn hơn trung vị {n} năm trọn của đơn vị "
                               "({median}) dù kỳ này chưa đủ một năm; hãy kiểm tra lại: có thể đã ghi số liệu cả năm, "
                               "lũy kế cả giai đoạn hoặc của năm khác."),
    Rule.PLAUSIBILITY_RULE: "Ô {cell}: {text} (quy tắc “{label}”); hãy kiểm tra lại.",
    Rule.PLAUSIBILITY_COPIED: ("Ô {cell}: cả {n} số liệu của dòng “{key}” giống hệt dòng “{other}”; có thể đã chép nhầm số "
                            "liệu của kỳ khác vào dòng này; hãy kiểm tra lại."),
}
EXAMPLES = {"int": "12", "decimal": "95,5", "year": "2021"}
# Parts of the plausibility messages and of the review list ("Số liệu cần xem lại").
PLAUSIBILITY_VALUE_WHAT = "ghi {value}"
PLAUSIBILITY_RATE_WHAT = "{label} là {value} ({detail})"
PLAUSIBILITY_RATE_PARTS = "{num}/{den}"
PLAUSIBILITY_RATE_ROWS = "tổng {num} của {den} dòng kê khai"
PLAUSIBILITY_DIRECTION = {"high": "cao bất thường", "low": "thấp bất thường"}
PLAUSIBILITY_TIMES = "gấp {ratio} lần"
PLAUSIBILITY_FRACTION = "chỉ bằng 1/{ratio}"
PLAUSIBILITY_YEAR = "Năm {year}"
PLAUSIBILITY_REASONS = {
    "outlier": "{direction} so với các đơn vị cùng nhóm “{group}” (trung vị {median}, {n} đơn vị)",
    "jump": "{how} trung vị các năm khác của đơn vị ({median})",
    "half_year": "kỳ chưa đủ một năm nhưng lớn hơn trung vị {n} năm trọn của đơn vị ({median})",
    "copied": "cả {n} số liệu giống hệt dòng “{other}”: có thể chép nhầm dòng",
}
PLAUSIBILITY_COPIED_FIGURE = "Các số liệu của cả dòng"
SCORE_BANDS_UNCONFIRMED = " (thang điểm mặc định, chưa được xác nhận theo quyết định của UBND tỉnh)"
REQUIRED_HINTS = {
    "int": "hãy nhập một số, nhập 0 nếu không có",
    "decimal": "hãy nhập một số",
    "year": "hãy nhập năm, ví dụ 2021",
    "date": "hãy nhập ngày dạng ngày/tháng/năm",
    "choice": "hãy chọn một giá trị trong danh sách",
    "yesno": "hãy chọn “Có” hoặc “Không”",
}
FORMAT_HINTS = {
    "phone": "hãy nhập số điện thoại, ví dụ 0255 3859 123",
    "email": "hãy nhập địa chỉ thư điện tử, ví dụ vanthu@tenmien.gov.vn",
}


def rule_message(rule: str, severity: str, scope: str = "row", **values) -> str:
    """The sentence of one cell problem, ending with what happens to the data (`scope`: row or field)."""
    kind = values.get("kind", "")
    values.setdefault("hint", REQUIRED_HINTS.get(kind, FORMAT_HINTS.get(kind, "hãy nhập thông tin")))
    values.setdefault("example", EXAMPLES.get(kind, "12"))
    if values.get("suggestion"):
        values["did_you_mean"] = f" (có phải ý bạn là {values['suggestion']}?)"
    if values.get("swapped"):
        values.setdefault("swap_hint", f" (có thể là {values['swapped']})")
    values["read_by"] = read_by_note(values.get("read_by", ""))
    text = RULES[rule].format_map(_Default(values))
    return text + SEVERITY_SUFFIX[(severity, scope)]


def read_by_note(code: str) -> str:
    """" (đọc theo: viết tắt)": the reading that read a value, said after what it was read as ('' for none)."""
    from pipeline.reading import label

    return f" (đọc theo: {label(code)})" if code else ""


class _Default(dict):
    def __missing__(self, key):
        return ""

# -- feedback and run summary ------------------------------------------------------
FEEDBACK_HEADERS = ("Sheet", "Ô", "Nội dung cần sửa", "Mức độ")
DEMO_NOTICE = "Thư mục inputs/ chưa có báo cáo nào: đang chạy trên DỮ LIỆU MẪU (báo cáo mẫu của các đơn vị trong {folder})."
SUMMARY_TITLE = "KẾT QUẢ XỬ LÝ BÁO CÁO"
SUMMARY_LINES = (
    "Tệp tìm thấy: {found} (nhận: {accepted}, nhận nhưng có lỗi: {with_errors}, từ chối: {rejected}, "
    "bỏ qua: {ignored}, bị thay thế: {superseded})",
    "Đơn vị: {units} (đúng hạn: {on_time}, trễ hạn: {late}, chưa rõ ngày báo cáo: {date_unknown}, chưa nộp: {missing}, "
    "báo cáo bị từ chối: {unit_rejected})",
    "Vấn đề dữ liệu: {errors} lỗi, {warnings} cảnh báo (chi tiết: {issues_path})",
)
OUTPUTS_WRITTEN = "Kết quả đã ghi:"
RUN_REUSED = ("Các tệp báo cáo, cấu hình và chương trình không đổi so với lần chạy trước, kết quả của lần đó còn "
              "nguyên: dùng lại toàn bộ kết quả, không đọc và tính lại.")
OUTPUTS_REUSED = ("Số liệu, cấu hình và chương trình không đổi so với lần chạy trước: dùng lại bảng tổng hợp, "
                  "biểu đồ, report.html và dự thảo báo cáo của lần chạy đó.")
FATAL = "Không thể tạo kết quả: {reason}"
FATAL_PERMISSION = "Không thể tạo kết quả vì không có quyền ghi vào “{where}”."
FATAL_NOT_A_FOLDER = "Không thể tạo kết quả vì “{where}” là một tệp, không phải thư mục."
FATAL_RUN_IN_PROGRESS = ("Không thể tạo kết quả vì đang có một lần chạy khác ghi vào “{where}”; hãy đợi lần chạy đó "
                         "xong rồi chạy lại.")
FATAL_DISK_FULL = "Không thể tạo kết quả vì ổ đĩa đã hết dung lượng."
FATAL_IMPORT = ("Không thể tạo kết quả vì không nạp được thư viện “{name}” (môi trường cài đặt bị hỏng hoặc thiếu). "
                "Cách sửa: xóa thư mục .venv (lệnh: rm -rf .venv) rồi chạy lại make report, máy sẽ cài lại đủ các "
                "thư viện. Kết quả của lần chạy trước vẫn được giữ nguyên.")
FATAL_MEMORY = "Không thể tạo kết quả vì máy không đủ bộ nhớ; hãy chia nhỏ thư mục inputs/."
FATAL_BUG = ("Không thể tạo kết quả do lỗi chương trình ({error}); chạy lại với DVK_DEBUG=1 để xem chi tiết và báo "
             "cho nhóm phát triển.")
INTERRUPTED = "Đã dừng theo yêu cầu của người dùng."
TEMPLATE_WRITTEN = "Đã tạo mẫu báo cáo: {path}"
DEMO_WRITTEN = "Đã tạo báo cáo mẫu của các đơn vị trong: {folder}"
CLI_DESCRIPTION = "Sơ kết phong trào thi đua “Dân vận khéo” – xử lý báo cáo."
CLI_HELP = {
    "report": "Chạy toàn bộ quy trình trên thư mục inputs/.",
    "template": "Tạo mẫu báo cáo trống.",
    "demo": "Tạo báo cáo mẫu của các đơn vị.",
    "check": "Kiểm tra một tệp báo cáo.",
    "bench": "Đo tốc độ và bộ nhớ của quy trình.",
}
CONFIG_DUPLICATE_LABELS = "config/plan.toml: danh mục '{vocab}' có giá trị trùng nhau."
CONFIG_DUPLICATE_CODES = "config/plan.toml: danh mục '{vocab}' có mã trùng nhau."
CONFIG_DUPLICATE_UNITS = "config/units.csv: có mã đơn vị trùng nhau."
CONFIG_PERIOD_MONTHS = ("config/plan.toml: kỳ '{period}' có 'months' không hợp lệ (cần hai tháng từ 1 đến 12, tháng đầu "
                        "không sau tháng cuối, ví dụ [1, 6]).")
CONFIG_PLAUSIBILITY = "config/plan.toml: mục [plausibility] có giá trị không hợp lệ ({what})."
CONFIG_UNIT_TYPE = ("config/units.csv: đơn vị '{unit}' có loại '{unit_type}' hoặc nhóm '{unit_group}' không khớp với "
                    "[[unit_types]] trong plan.toml.")
YES_NO = ("Có", "Không")
DICTIONARY_HEADERS = "| cột | kiểu | mô tả |"
DICTIONARY_CODE_HEADERS = "| mã | nhãn | ý nghĩa |"
FATAL_CONFIG = "tệp cấu hình có lỗi (xem các dòng trên)."
CHECK_NOT_FOUND = "Không tìm thấy tệp “{path}”."
CHECK_HEADER = "Tệp {file}: {status}"
CHECK_OK = "  Không phát hiện lỗi nào. Có thể gửi báo cáo."


# ================================================================================
# -- aggregates and award proposals (pipeline/aggregate.py, pipeline/awards.py) ---
# ================================================================================

CRITERION_LABELS = {
    (RecipientKind.COLLECTIVE, "a"): "a) Gương mẫu chấp hành chủ trương, chính sách; nội bộ đoàn kết; thành tích xuất sắc trong phong trào",
    (RecipientKind.COLLECTIVE, "b"): "b) Xây dựng kế hoạch và thực hiện tốt công tác dân vận theo chỉ đạo của cấp ủy, Ban Dân vận cấp ủy và kế hoạch của {local_government}",
    (RecipientKind.COLLECTIVE, "c"): "c) {crit_c}",
    (RecipientKind.COLLECTIVE, "d"): "d) Xếp loại công tác dân vận chính quyền hằng năm đạt hoàn thành xuất sắc nhiệm vụ",
    (RecipientKind.INDIVIDUAL, "a"): "a) Gương mẫu chấp hành chủ trương, chính sách; thành tích xuất sắc trong phong trào",
    (RecipientKind.INDIVIDUAL, "b"): "b) Tham mưu, thực hiện xuất sắc công tác dân vận; có mô hình được công nhận hoặc sáng kiến, cách làm sáng tạo có sức lan tỏa",
}


def criterion_label(kind: str, criterion: str, plan) -> str:
    """The label of one criterion of section III, with the configured competent level and local government."""
    crit_c = criterion_c_text(plan)
    text = CRITERION_LABELS[(kind, criterion)].format(
        local_government=plan.review.get("local_government", "UBND"), crit_c=crit_c[:1].upper() + crit_c[1:])
    return text


EV_DECLARED_YES = "Đơn vị tự khai: Có. Hệ thống không kiểm chứng được tiêu chí này từ số liệu báo cáo."
EV_DECLARED_NO = "Đơn vị tự khai: Không (hoặc để trống)."
EV_DECLARED_PROOF = " Minh chứng đơn vị ghi: “{text}”."
EV_MODEL = "mô hình “{name}” ({level}{doc}; {replication})"
EV_DOC = ", văn bản {doc}"
EV_NO_DOC = ", chưa ghi số văn bản công nhận"
EV_REPLICATED = "đã nhân rộng tại {places} nơi"
EV_NOT_REPLICATED = "chưa nhân rộng"
EV_C_MET = "Đạt: {model}."
EV_C_MET_NOT_REPLICATED = ("Đạt: {model}. Mô hình chưa nhân rộng; tiêu chí chỉ yêu cầu mô hình có thể nhân rộng, việc "
                           "đã nhân rộng là minh chứng thêm.")
EV_C_NO_DOC = ("Có {model}, nhưng đơn vị chưa ghi số văn bản công nhận nên chưa kiểm chứng được; "
               "đề nghị bổ sung văn bản công nhận.")
EV_C_NOT_MET = ("Không có mô hình nào được công nhận từ mức “{level}” trở lên{replicated}. "
                "Các mô hình đơn vị kê khai: {models}.")
EV_C_REPLICATED = " và đã nhân rộng"
EV_NO_MODELS = "Báo cáo của đơn vị không kê khai mô hình hợp lệ nào."
EV_YEAR_LEVEL = "năm {year}: {level} ({score} điểm)"
EV_YEAR_MISSING = "năm {year}: không có xếp loại hợp lệ trong báo cáo"
EV_D_MET = "Đạt “{required}” tất cả các năm: {years}."
EV_D_NOT_MET = "Chưa đạt “{required}” tất cả các năm: {years}."
EV_B_MODEL = "Đạt: {model}, do “{implementer}” thực hiện."
EV_B_DECLARED_NO = "Chưa đạt: đơn vị tự khai “Không” cho tiêu chí này."
EV_B_INITIATIVE = "Đạt: có mô tả sáng kiến, cách làm sáng tạo: “{text}”."
EV_B_NOT_MET = ("Không có mô hình được công nhận từ mức “{level}” trở lên gắn với người được đề nghị "
                "(theo tên mô hình hoặc người thực hiện trong danh sách mô hình của đơn vị) và không có mô tả "
                "sáng kiến, cách làm sáng tạo.")
def deadline_phrase(plan) -> str:
    """The deadline as the guidance words it: "trước ngày 15/6/2023" (or "đến hết ngày …" when it counts)."""
    day = f"{plan.deadline.day}/{plan.deadline.month}/{plan.deadline.year}"
    return f"đến hết ngày {day}" if plan.review.get("deadline_inclusive", False) else f"trước ngày {day}"


# How "đúng hạn" is judged, said wherever reporting status is shown (the report, the workbook, the web board).
ON_TIME_RULE = ("Hạn gửi báo cáo: {deadline}. Đơn vị được tính “đúng hạn” theo ngày báo cáo do đơn vị ghi trên báo "
                "cáo gửi lần đầu; bản sửa gửi sau không làm thay đổi; ngày gần hạn nộp nhưng ghi nhầm sang năm sau "
                "được tính theo năm của kỳ sơ kết.")
# A proposal's conclusion, criterion by criterion (criteria as "a, b").
CONCLUSION_TEXT = {
    "meets_all": "Đạt tất cả các tiêu chí ({met}), đều kiểm chứng được từ số liệu.",
    "meets_checked": "Đạt các tiêu chí kiểm tra được từ số liệu ({met}); tiêu chí {declared} theo kê khai của đơn vị, "
                     "chưa kiểm chứng.",
    "meets_checked_none": "Không tiêu chí nào kiểm tra được từ số liệu; tiêu chí {declared} theo kê khai của đơn vị, "
                          "chưa kiểm chứng.",
    "not_met": "Chưa đạt tiêu chí {failed}.",
    "not_evaluated": "Không xét: mỗi đơn vị chỉ đề nghị 01 tập thể hoặc 01 cá nhân.",
}
EV_EXTRA = ("Đơn vị đã có đề nghị khác xếp trước; mỗi đơn vị chỉ đề nghị 01 tập thể hoặc 01 cá nhân, "
            "đề nghị này không được xét.")
RANKING_NOTE = ("Thứ tự chỉ là gợi ý theo thang điểm; {office} tham mưu lựa chọn, {local_government} "
                "quyết định.")
FEEDBACK_TITLE = "DANH SÁCH NỘI DUNG CẦN SỬA TRONG BÁO CÁO"
FEEDBACK_NOTE = ("Các ô cần sửa được tô màu đỏ (lỗi, chưa được tổng hợp) hoặc vàng (cảnh báo) và có ghi chú. "
                 "Sửa xong, lưu và gửi lại chính tệp này (không cần xóa sheet này).")
FEEDBACK_MORE = ("… và còn {more} nội dung khác cần sửa không liệt kê ở đây: tệp chỉ đánh dấu {shown} nội dung đầu "
                 "tiên. Hãy sửa các nội dung trên (thường cùng một cách sửa cho cả cột), rồi kiểm tra lại để xem tiếp.")
DICTIONARY_TITLE = "Từ điển dữ liệu"
DICTIONARY_NOTE = "Tự động sinh từ schemas/ mỗi lần chạy; mọi bảng đều dựng lại được từ inputs/ và mã nguồn."
DICTIONARY_VALIDATED = "Các dòng hợp lệ của sheet “{sheet}”, giữ nguyên cột như mẫu báo cáo."
DICTIONARY_CODES = "Các bộ mã"
DICTIONARY_ALL_PERIODS = "kỳ “Cả giai đoạn” trong các bảng tổng hợp theo kỳ (tổng của mọi kỳ)"
DICTIONARY_NO_LEVEL = "mức xếp loại của đơn vị đã nộp báo cáo nhưng không có xếp loại hợp lệ của năm"
PROGRESS_READING = "Đọc báo cáo"
DICTIONARY_PROVENANCE = "Nguồn gốc: mã đơn vị, tệp, sheet và dòng Excel của dữ liệu"


# ================================================================================
# -- the award dossier: the office's decisions file and the hồ sơ units send -----
# -- (pipeline/read/award_decisions.py, pipeline/read/dossiers.py, pipeline/tidy/decisions.py)
# ================================================================================

FILE_AWARD_DECISIONS = ("Tệp ghi quyết định của {office} về các đề nghị khen thưởng, không phải báo cáo của đơn vị; "
                        "được đọc riêng (vấn đề nếu có: ghi trong issues.csv với tên tệp này).")
FILE_DOSSIER = ("Hồ sơ đề nghị khen thưởng của {unit} (tệp {kind}); không phải báo cáo, không được mở, chỉ ghi nhận "
                "đã nhận hồ sơ.")
FILE_DOSSIER_NO_UNIT = ("Tệp hồ sơ khen thưởng nhưng không xác định được đơn vị gửi; hãy đặt tệp vào thư mục "
                        "ho_so/<mã đơn vị>/ (ví dụ ho_so/{example}/) hoặc ghi tên đơn vị trong tên tệp. Tệp chưa được "
                        "tính là hồ sơ của đơn vị nào.")
FILE_DOSSIER_FORMAT = ("Tệp hồ sơ khen thưởng của {unit} có đuôi “{ext}” nhưng nội dung {found}, không phải một trong "
                       "các loại tệp hồ sơ được nhận ({formats}); tệp không được mở và chưa được tính là đã nhận hồ "
                       "sơ. Đề nghị đơn vị gửi lại bản PDF hoặc Word.")
DOSSIER_KIND_UNKNOWN = "không xác định được loại tệp"
DOSSIER_KINDS = {"pdf": "PDF", "doc": "Word 97-2003", "docx": "Word", "odt": "OpenDocument văn bản",
                 "rtf": "RTF", "jpg": "ảnh JPEG", "png": "ảnh PNG", "tif": "ảnh TIFF", "xls": "Excel 97-2003",
                 "xlsx": "Excel", "ods": "OpenDocument bảng tính", "zip": "tệp nén", "exe": "chương trình chạy được",
                 "html": "trang HTML"}
DOSSIER_FOUND = "là {kind}"

# The decisions file, read like a return: a message at the cell, nothing raised.
DEC_SUFFIX = " [Lỗi: dòng này chưa được đọc cho đến khi sửa.]"
DEC_FILE_UNREADABLE = ("Không đọc được tệp quyết định ({why}); mọi đề nghị được coi là chưa quyết định. Hãy mở tệp "
                       "{template} do chương trình tạo trong outputs/, ghi quyết định rồi lưu vào inputs/{name}.")
DEC_WHY = {"not_workbook": "tệp không phải bảng tính .xlsx, .xls hay .ods", "encrypted": "tệp được đặt mật khẩu",
           "corrupt": "tệp bị hỏng", "too_large": "tệp quá lớn"}
DEC_NO_SHEET = ("Tệp quyết định không có sheet “{sheet}” (hoặc một sheet có các cột của mẫu); mọi đề nghị được coi là "
                "chưa quyết định. Hãy dùng tệp {template} do chương trình tạo.")
DEC_COLUMN_MISSING = ("Sheet “{sheet}” thiếu cột “{header}”, nên không đọc được quyết định nào; hãy dùng tệp {template} "
                      "do chương trình tạo, không xóa hay đổi tên cột.")
DEC_UNIT_UNKNOWN = "Ô {cell}: “{value}” không phải một đơn vị trong danh mục (config/units.csv)." + DEC_SUFFIX
DEC_UNIT_MISSING = "Dòng {row}: không ghi mã đơn vị hay tên đơn vị nên không biết đây là đề nghị nào." + DEC_SUFFIX
DEC_UNIT_ASSUMED = "Ô {cell}: đơn vị ghi “{value}”, đã hiểu là “{unit}”. [Cảnh báo: dòng này vẫn được đọc.]"
DEC_UNIT_NO_PROPOSAL = ("Ô {cell}: {unit} không có đề nghị khen thưởng nào trong báo cáo được tổng hợp (có thể báo cáo "
                        "đã được thay bằng bản khác, hoặc bị trả lại)." + DEC_SUFFIX)
DEC_NOMINEE_UNKNOWN = ("Ô {cell}: “{value}” không phải tập thể, cá nhân mà {unit} đề nghị (đơn vị đề nghị: {proposed}). "
                       "Có thể đơn vị đã gửi báo cáo sửa: hãy ghi lại quyết định vào tệp {template} của lần chạy "
                       "này." + DEC_SUFFIX)
DEC_DUPLICATE = ("Dòng {row}: đề nghị “{nominee}” của {unit} đã có ở dòng {first}; chỉ đọc dòng {first}."
                 + DEC_SUFFIX)
DEC_VALUE = ("Ô {cell}: “{value}” không phải một quyết định; hãy chọn “{accept}” hoặc “{refuse}” (để trống nếu chưa "
             "quyết định). Đề nghị này được coi là chưa quyết định.")
DEC_NOMINEE_VALUE = ("Ô {cell}: “{value}” không đọc được; đánh “x” nếu chọn đề nghị này đề nghị Bằng khen, để trống "
                     "nếu không. Đề nghị này được coi là không được chọn.")
DEC_TWO_NOMINEES = ("Ô {cell}: {n} đề nghị được đánh dấu đề nghị Bằng khen (ô {cells}); chỉ được chọn 01 tập thể hoặc "
                    "01 cá nhân, nên chưa đề nghị nào được chọn. Hãy giữ dấu ở đúng một ô.")
DEC_NOMINEE_REFUSED = ("Ô {cell}: đề nghị này được đánh dấu đề nghị Bằng khen nhưng quyết định ghi “{decision}”; "
                       "chưa đề nghị nào được chọn. Hãy sửa một trong hai ô.")
# What a decision against the verdicts says (recorded, never refused: the office decides).
CONTRADICTS_ACCEPTED = "Đồng ý khen thưởng dù kết luận đối chiếu là “{conclusion}”: {why}"
CONTRADICTS_NOMINEE = "Được chọn đề nghị Bằng khen dù kết luận đối chiếu là “{conclusion}”: {why}"
CONTRADICTS_REFUSED = "Không đồng ý dù kết luận đối chiếu là “{conclusion}”."
CONFIG_DOSSIER_FORM = ("config/plan.toml: [dossier.achievement_report] in_force = '{form}' nhưng [dossier.forms] không có "
                       "mẫu này (có: {forms}).")
CONFIG_DOSSIER_FILL = ("config/plan.toml: [dossier.forms.{form}.{kind}] có phần ghi fill = '{fill}', không phải một trong: "
                       "{fills} (hoặc để trống).")
