"""The award dossier: the office's decisions file (the sheet the pipeline writes as a template and reads back) and
the tables built from it and from the hồ sơ units send.

The decisions workbook has one row per award proposal. The pipeline fills the grey columns (who proposed whom,
the verdicts, the suggested rank, whether the hồ sơ arrived); the office types only in the white ones: its
decision, a reason, the one Bằng khen nominee and, if it wants, the achievement line the Quyết định prints.
The reader finds the header row by these headers (as `fold` writes them), never by cell address.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.codes import Conclusion, DossierStatus, OfficeDecision, SubmissionStatus
from schemas.tables import F, _Strict, _text

DECISIONS_SHEET = "Quyết định khen thưởng"
HEADER_SCAN_ROWS = 15          # the header row is looked for in the sheet's first rows


@dataclass(frozen=True)
class DecisionColumn:
    key: str
    header: str
    width: float
    editable: bool = False     # the office types here; the other columns are the pipeline's
    help: str = ""


DECISION_COLUMNS = (
    DecisionColumn("stt", "STT", 5),
    DecisionColumn("unit_code", "Mã đơn vị", 18, help="Không sửa: chương trình nhận ra đề nghị theo mã đơn vị và "
                                                         "tên người được đề nghị."),
    DecisionColumn("unit_name", "Cơ quan, đơn vị, địa phương", 28),
    DecisionColumn("kind", "Tập thể/cá nhân", 10),
    DecisionColumn("nominee", "Tập thể/cá nhân được đề nghị", 30),
    DecisionColumn("conclusion", "Kết luận đối chiếu tiêu chuẩn", 24),
    DecisionColumn("reasons", "Lý do chưa đạt", 40),
    DecisionColumn("rank", "Thứ hạng gợi ý", 9),
    DecisionColumn("score", "Điểm gợi ý", 9),
    DecisionColumn("dossier", "Hồ sơ của đơn vị", 20),
    DecisionColumn("decision", "Quyết định của cơ quan", 20, editable=True,
                   help="Chọn “Đồng ý khen thưởng” hoặc “Không đồng ý”; để trống: chưa quyết định."),
    DecisionColumn("reason", "Lý do", 30, editable=True,
                   help="Lý do quyết định (nên ghi khi không đồng ý, hoặc khi đồng ý dù kết luận chưa đạt)."),
    DecisionColumn("bang_khen", "Đề nghị Bằng khen", 12, editable=True,
                   help="Đánh “x” ở đúng 01 đề nghị được chọn đề nghị Chủ tịch UBND tỉnh tặng Bằng khen."),
    DecisionColumn("achievement", "Thành tích ghi trong Quyết định", 50, editable=True,
                   help="Dòng thành tích in trong danh sách kèm Quyết định; có thể sửa."),
    DecisionColumn("problem", "Vấn đề khi đọc lần trước", 40),
)
DECISION_KEYS = tuple(c.key for c in DECISION_COLUMNS)
# Without these the sheet says nothing the reader can act on (a unit is known by its code or its name).
REQUIRED_KEYS = ("nominee", "decision")

# What clerks type in the decision and Bằng khen cells, read as the value (folded: no case, no diacritics).
# "Đồng ý khen thưởng" / "Không đồng ý" are the dropdown's values; "x" is what most offices type for yes.
DECISION_WORDS = {
    OfficeDecision.ACCEPTED: ("dong y khen thuong", "dong y", "co", "x", "chap nhan", "duyet"),
    OfficeDecision.NOT_ACCEPTED: ("khong dong y", "khong", "khong chap nhan", "khong duyet", "khong khen thuong"),
}
# What the run writes under a heading of a báo cáo thành tích form ([dossier.forms.*] parts `fill`): "" a heading
# only; the others are filled from the nominee's return, each with a placeholder for what a person must write.
FORM_FILLS = ("", "profile", "person", "duties", "person_duties", "results", "measures", "compliance", "titles",
              "honours")
NOMINEE_WORDS = ("x", "co", "chon", "de nghi", "bang khen", "de nghi bang khen", "1")
NOT_NOMINEE_WORDS = ("khong", "0", "-")


class AwardDecisionsTable(pa.DataFrameModel):
    """Quyết định của cơ quan về từng đề nghị khen thưởng, đọc từ tệp quyết định (mỗi đề nghị một dòng)."""

    unit_code: Series[str] = F("Mã đơn vị đề nghị")
    unit_name: Series[str] = F("Tên đơn vị đề nghị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    proposal_order: Series[int] = F("Thứ tự đề nghị trong báo cáo của đơn vị", ge=1)
    recipient_kind_code: Series[str] = F("Tập thể (COLLECTIVE) hay cá nhân (INDIVIDUAL)")
    recipient_kind_label: Series[str] = F("Tập thể hay cá nhân")
    nominee_name: Series[str] = F("Tên tập thể hoặc họ tên cá nhân được đề nghị")
    nominee_position: Series[str] = _text("Chức vụ, đơn vị công tác của cá nhân được đề nghị")
    conclusion: Series[str] = F("Kết luận đối chiếu tiêu chuẩn (mã, xem bảng đề nghị)",
                                isin=[c.value for c in Conclusion])
    conclusion_label: Series[str] = F("Kết luận đối chiếu tiêu chuẩn")
    decision: Series[str] = F("Quyết định của cơ quan: accepted (đồng ý khen thưởng), not_accepted (không đồng ý), "
                              "undecided (chưa quyết định)", isin=[d.value for d in OfficeDecision])
    decision_label: Series[str] = F("Quyết định của cơ quan")
    reason: Series[str] = F("Lý do cơ quan ghi (trống: không ghi)")
    is_nominee: Series[bool] = F("Được cơ quan chọn đề nghị Chủ tịch UBND tỉnh tặng Bằng khen (đúng 01 đề nghị, "
                                 "hoặc không đề nghị nào khi tệp quyết định chưa chọn hoặc chọn không hợp lệ)")
    achievement: Series[str] = F("Dòng thành tích cơ quan ghi cho danh sách kèm Quyết định (trống: Quyết định in "
                                 "dòng chương trình soạn từ số liệu)")
    contradicts: Series[bool] = F("Quyết định khác với kết luận đối chiếu tiêu chuẩn (vẫn được ghi nhận)")
    contradiction: Series[str] = F("Quyết định khác kết luận thế nào (trống: không khác)")
    has_dossier: Series[bool] = F("Đơn vị đã gửi ít nhất một tệp hồ sơ khen thưởng")
    decisions_row: Series[pd.Int64Dtype] = F("Dòng của đề nghị trong tệp quyết định (trống: tệp chưa có dòng này)",
                                             nullable=True)

    class Config(_Strict):
        unique = ["unit_code", "proposal_order"]


class AwardDossiersTable(pa.DataFrameModel):
    """Hồ sơ đề nghị khen thưởng của từng đơn vị trong danh mục: báo cáo, đề nghị, hồ sơ đã nhận, đúng hay trễ hạn."""

    unit_code: Series[str] = F("Mã đơn vị")
    unit_name: Series[str] = F("Tên đơn vị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    status: Series[str] = F("Tình trạng báo cáo (như submissions.csv)", isin=[s.value for s in SubmissionStatus])
    status_label: Series[str] = F("Tình trạng báo cáo")
    proposals: Series[int] = F("Số đề nghị khen thưởng trong báo cáo được tổng hợp", ge=0)
    nominees: Series[str] = F("Tập thể, cá nhân được đề nghị, cách nhau bởi dấu chấm phẩy")
    dossier_files: Series[int] = F("Số tệp hồ sơ khen thưởng đã nhận (đọc được loại tệp, xác định được đơn vị)", ge=0)
    dossier_received: Series[pa.DateTime] = F(
        "Thời điểm nhận tệp hồ sơ sớm nhất, giờ địa phương (giờ nhận trên trang web; tệp chép tay: giờ sửa tệp)",
        nullable=True)
    received_by: Series[str] = F("Giờ nhận lấy từ: web (tên tệp trang web đặt), file_time (giờ sửa tệp); trống: "
                                 "chưa nhận")
    dossier_status: Series[str] = F("Hồ sơ: on_time, late, missing (có đề nghị, chưa có hồ sơ), none",
                                    isin=[s.value for s in DossierStatus])
    dossier_status_label: Series[str] = F("Tình trạng hồ sơ")
    files: Series[str] = F("Các tệp hồ sơ (đường dẫn trong inputs/), cách nhau bởi dấu chấm phẩy")

    class Config(_Strict):
        unique = ["unit_code"]
