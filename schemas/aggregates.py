"""Schemas of the aggregates, the key figures and the award outputs built from the tidy tables.

Aggregates share the columns `scope_kind` ("town", "unit_group", "unit_type")
and `scope` (the whole town, a group or a unit type), so the rows of each kind
add up to the town row.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.codes import NO_LEVEL, Conclusion
from schemas.dossier import AwardDecisionsTable, AwardDossiersTable
from schemas.tables import TABLES, VERDICTS, F, _AggPeriod, _Scope, _Strict, _text

_RECOGNISED = ("Số mô hình được cấp có thẩm quyền công nhận: cấp công nhận từ mức [awards] min_recognition_level "
               "của config/plan.toml trở lên (mức mà tiêu chí c coi là cấp có thẩm quyền)")

# -- aggregates -----------------------------------------------------------------

class ReportingAgg(_Scope):
    """Tình hình nộp báo cáo theo nhóm, loại đơn vị và toàn thị xã."""

    expected: Series[int] = F("Số đơn vị phải báo cáo", ge=0)
    reported: Series[int] = F("Số đơn vị đã nộp báo cáo được tổng hợp", ge=0)
    on_time: Series[int] = F("Số đơn vị nộp đúng hạn", ge=0)
    late: Series[int] = F("Số đơn vị nộp trễ hạn", ge=0)
    date_unknown: Series[int] = F("Số đơn vị đã nộp nhưng chưa rõ ngày báo cáo (ô ngày để trống hoặc không đọc được)", ge=0)
    missing: Series[int] = F("Số đơn vị chưa nộp", ge=0)
    rejected: Series[int] = F("Số đơn vị có báo cáo bị từ chối", ge=0)
    reporting_rate: Series[float] = F("Tỷ lệ đơn vị đã nộp báo cáo (0–1)", ge=0, le=1, nullable=True)

    class Config(_Strict):
        unique = ["scope_kind", "scope"]


class StaffAgg(_Scope):
    """CBCCVC, người lao động đăng ký thi đua so với tổng số, theo nhóm đơn vị và toàn địa bàn (nội dung 1)."""

    units_reported: Series[int] = F("Số đơn vị đã nộp báo cáo được tổng hợp", ge=0)
    units_with_figures: Series[int] = F("Số đơn vị có đủ hai số liệu (tổng số và số đăng ký): mẫu số của tỷ lệ", ge=0)
    staff_total: Series[int] = F("Tổng số CBCCVC và người lao động của các đơn vị có đủ số liệu", ge=0)
    staff_registered: Series[int] = F("Số CBCCVC, người lao động đăng ký thi đua của các đơn vị đó", ge=0)
    registered_share: Series[float] = F("Tỷ lệ đăng ký thi đua (0–1)", ge=0, le=1, nullable=True)

    class Config(_Strict):
        unique = ["scope_kind", "scope"]


class LeadershipAgg(_Scope, _AggPeriod):
    """Lãnh đạo, chỉ đạo, tuyên truyền theo phạm vi và kỳ."""

    units_reporting: Series[int] = F("Số đơn vị có số liệu của kỳ", ge=0)
    plans_issued: Series[int] = F("Số kế hoạch, văn bản chỉ đạo đã ban hành", ge=0)
    launch_meetings: Series[int] = F("Số hội nghị phát động, quán triệt", ge=0)
    propaganda_sessions: Series[int] = F("Số buổi tuyên truyền", ge=0)
    propaganda_participants: Series[int] = F("Số lượt người tham gia tuyên truyền", ge=0)
    news_items: Series[int] = F("Số tin, bài đã đăng", ge=0)
    inspections: Series[int] = F("Số cuộc kiểm tra, giám sát", ge=0)
    staff_total: Series[int] = F("Tổng số CBCCVC và người lao động của các đơn vị có số liệu", ge=0)
    participants_per_staff: Series[float] = F(
        "Số lượt người tham gia tuyên truyền bình quân trên một CBCCVC (không cộng dồn được)", nullable=True)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "period_code"]


class ContentAgg(_Scope, _AggPeriod):
    """Kết quả từng nội dung thi đua theo phạm vi và kỳ (mọi nội dung trong cấu hình đều có dòng)."""

    content_area_code: Series[str] = F("Mã nội dung thi đua")
    content_area_label: Series[str] = F("Tên nội dung thi đua")
    activities: Series[int] = F("Số hoạt động, phần việc đã thực hiện", ge=0)
    units_reporting: Series[int] = F("Số đơn vị có số liệu cho nội dung này", ge=0)
    units_with_activities: Series[int] = F("Số đơn vị có ít nhất một hoạt động", ge=0)
    units_with_outstanding_results: Series[int] = F("Số đơn vị có ghi “Kết quả nổi bật” cho nội dung này", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "period_code", "content_area_code"]


class ActivitiesAgg(_Scope, _AggPeriod):
    """Tổng số hoạt động của mọi nội dung thi đua theo phạm vi và kỳ."""

    activities: Series[int] = F("Số hoạt động, phần việc đã thực hiện (mọi nội dung)", ge=0)
    units_reporting: Series[int] = F("Số đơn vị có số liệu", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "period_code"]


class SelfAssessmentAgg(_Scope):
    """Tự đánh giá của đơn vị theo nội dung thi đua: số đơn vị chọn mỗi mức ở ít nhất một kỳ."""

    content_area_code: Series[str] = F("Mã nội dung thi đua")
    content_area_label: Series[str] = F("Tên nội dung thi đua")
    level_code: Series[str] = F("Mã mức tự đánh giá")
    level_label: Series[str] = F("Mức tự đánh giá")
    units: Series[int] = F("Số đơn vị tự đánh giá mức này ở ít nhất một kỳ", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "content_area_code", "level_code"]


class KeyFiguresAgg(pa.DataFrameModel):
    """Số liệu chủ yếu của toàn địa bàn (mỗi số liệu một dòng), lấy từ các bảng tổng hợp."""

    figure: Series[str] = F("Mã số liệu")
    value: Series[int] = F("Giá trị", ge=0)

    class Config(_Strict):
        unique = ["figure"]


class ModelsAgg(_Scope):
    """Tổng hợp mô hình “Dân vận khéo” theo phạm vi."""

    units_reported: Series[int] = F("Số đơn vị đã nộp báo cáo", ge=0)
    units_with_models: Series[int] = F("Số đơn vị có ít nhất một mô hình", ge=0)
    units_without_models: Series[int] = F("Số đơn vị đã nộp báo cáo nhưng không có mô hình hợp lệ nào được tổng hợp", ge=0)
    models: Series[int] = F("Số mô hình", ge=0)
    recognised: Series[int] = F(_RECOGNISED, ge=0)
    recognised_any: Series[int] = F("Số mô hình đã được công nhận ở bất kỳ cấp nào (kể cả đơn vị tự công nhận)", ge=0)
    replicated: Series[int] = F("Số mô hình đã nhân rộng", ge=0)
    replication_places: Series[int] = F("Tổng số nơi nhân rộng", ge=0)
    beneficiaries: Series[int] = F("Tổng số người tham gia, hưởng lợi", ge=0)
    recognised_share: Series[float] = F("Tỷ lệ mô hình được cấp có thẩm quyền công nhận (0–1)", nullable=True)
    replicated_share: Series[float] = F("Tỷ lệ mô hình đã nhân rộng (0–1)", nullable=True)

    class Config(_Strict):
        unique = ["scope_kind", "scope"]


class ModelsByAgg(_Scope):
    """Mô hình theo từng tiêu chí phân loại (lĩnh vực, nội dung, cấp công nhận, tập thể/cá nhân, năm bắt đầu)."""

    dimension: Series[str] = F("Tiêu chí phân loại: field, content_area, recognition, model_kind, start_year",
                               isin=["field", "content_area", "recognition", "model_kind", "start_year"])
    category_code: Series[str] = F("Mã nhóm (mã trong cấu hình, hoặc năm)")
    category_label: Series[str] = F("Tên nhóm")
    models: Series[int] = F("Số mô hình", ge=0)
    recognised: Series[int] = F(_RECOGNISED, ge=0)
    replicated: Series[int] = F("Số mô hình đã nhân rộng", ge=0)
    replication_places: Series[int] = F("Tổng số nơi nhân rộng", ge=0)
    recognised_share: Series[float] = F("Tỷ lệ mô hình được cấp có thẩm quyền công nhận (0–1)", nullable=True)
    replicated_share: Series[float] = F("Tỷ lệ mô hình đã nhân rộng (0–1)", nullable=True)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "dimension", "category_code"]


class ImpactAgg(_Scope):
    """Tác động của phong trào (sheet 6): mỗi chỉ tiêu số theo phạm vi: số đơn vị có số liệu, bình quân, thấp nhất,
    cao nhất và tổng của các đơn vị."""

    indicator_code: Series[str] = F("Mã chỉ tiêu (tên cột của sheet 6)")
    indicator_label: Series[str] = F("Tên chỉ tiêu như trên mẫu báo cáo")
    is_percent: Series[bool] = F("Chỉ tiêu là tỷ lệ phần trăm (thang 0–100)")
    units_reporting: Series[int] = F("Số đơn vị có số liệu của chỉ tiêu", ge=0)
    mean: Series[float] = F("Bình quân (không gia quyền) của các đơn vị có số liệu", nullable=True)
    min: Series[float] = F("Giá trị thấp nhất của các đơn vị", nullable=True)
    max: Series[float] = F("Giá trị cao nhất của các đơn vị", nullable=True)
    total: Series[float] = F("Tổng giá trị của các đơn vị (chỉ có nghĩa với số lượng, không cộng tỷ lệ)", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "indicator_code"]


class ImpactTextsAgg(pa.DataFrameModel):
    """Ý kiến của các đơn vị về tác động của phong trào (sheet 6): mỗi ý kiến một dòng, để trích dẫn."""

    topic_code: Series[str] = F("Mã nội dung (tên cột của sheet 6)")
    topic_label: Series[str] = F("Nội dung như trên mẫu báo cáo")
    unit_code: Series[str] = F("Mã đơn vị")
    unit_name: Series[str] = F("Tên đơn vị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    text: Series[str] = F("Ý kiến của đơn vị, nguyên văn")

    class Config(_Strict):
        unique = ["topic_code", "unit_code"]


class AssessmentTextsAgg(pa.DataFrameModel):
    """Đánh giá chung của các đơn vị (nội dung 4: kết quả, tồn tại, nguyên nhân, bài học, kiến nghị), nguyên văn."""

    topic_code: Series[str] = F("Mã chủ đề đánh giá")
    topic_label: Series[str] = F("Chủ đề đánh giá")
    unit_code: Series[str] = F("Mã đơn vị")
    unit_name: Series[str] = F("Tên đơn vị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    text: Series[str] = F("Đánh giá của đơn vị, nguyên văn")

    class Config(_Strict):
        unique = ["topic_code", "unit_code"]


class OutstandingResultsAgg(pa.DataFrameModel):
    """“Kết quả nổi bật” các đơn vị ghi cho từng nội dung thi đua và kỳ (sheet 3), để trích dẫn."""

    content_area_code: Series[str] = F("Mã nội dung thi đua")
    content_area_label: Series[str] = F("Tên nội dung thi đua")
    period_code: Series[str] = F("Mã kỳ báo cáo")
    period_label: Series[str] = F("Tên kỳ báo cáo")
    unit_code: Series[str] = F("Mã đơn vị")
    unit_name: Series[str] = F("Tên đơn vị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    text: Series[str] = F("Kết quả nổi bật, nguyên văn")

    class Config(_Strict):
        unique = ["content_area_code", "period_code", "unit_code"]


class QuotesAgg(pa.DataFrameModel):
    """Các ý kiến để trích dẫn trong dự thảo báo cáo: ý kiến giống nhau của nhiều đơn vị gộp làm một."""

    source: Series[str] = F("Nguồn: outstanding (kết quả nổi bật, sheet 3), impact (tác động, sheet 6), "
                            "assessment (đánh giá chung, sheet 7)", isin=["outstanding", "impact", "assessment"])
    topic_code: Series[str] = F("Mã nội dung thi đua, mã cột của sheet 6 hoặc mã chủ đề đánh giá")
    topic_label: Series[str] = F("Tên nội dung")
    order: Series[int] = F("Thứ tự trích dẫn trong nội dung: ý kiến nhiều đơn vị cùng nêu trước", ge=1)
    text: Series[str] = F("Ý kiến, nguyên văn")
    unit_names: Series[str] = F("Các đơn vị nêu ý kiến này, cách nhau bởi dấu chấm phẩy")
    units: Series[int] = F("Số đơn vị nêu ý kiến này", ge=1)

    class Config(_Strict):
        unique = ["source", "topic_code", "order"]


class UnitListAgg(pa.DataFrameModel):
    """Danh sách đơn vị (đơn vị chưa có mô hình; đơn vị hoàn thành xuất sắc mọi năm)."""

    unit_code: Series[str] = F("Mã đơn vị")
    unit_name: Series[str] = F("Tên đơn vị")
    unit_type: Series[str] = F("Loại đơn vị")
    unit_group: Series[str] = F("Nhóm đơn vị")

    class Config(_Strict):
        unique = ["unit_code"]


class ClassificationAgg(_Scope):
    """Phân bố mức xếp loại công tác dân vận chính quyền theo năm và phạm vi."""

    classification_year: Series[int] = F("Năm được đánh giá, xếp loại")
    level_code: Series[str] = F(f"Mã mức xếp loại; {NO_LEVEL} là đơn vị đã nộp báo cáo nhưng không có xếp loại hợp lệ của năm")
    level_label: Series[str] = F("Mức xếp loại")
    units: Series[int] = F("Số đơn vị", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "classification_year", "level_code"]


class AwardsGivenAgg(_Scope, _AggPeriod):
    """Khen thưởng theo thẩm quyền của đơn vị, theo hình thức và kỳ."""

    award_form_code: Series[str] = F("Mã hình thức khen thưởng")
    award_form_label: Series[str] = F("Hình thức khen thưởng")
    collectives: Series[int] = F("Số tập thể được khen", ge=0)
    individuals: Series[int] = F("Số cá nhân được khen", ge=0)
    total: Series[int] = F("Tổng số tập thể và cá nhân được khen", ge=0)
    units_reporting: Series[int] = F("Số đơn vị có ghi số liệu (kể cả số 0) cho hình thức và kỳ này", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "period_code", "award_form_code"]


class VerdictsTable(pa.DataFrameModel):
    """Kết quả xét từng tiêu chí của mỗi đề nghị khen thưởng (mục III Hướng dẫn)."""

    unit_code: Series[str] = F("Mã đơn vị đề nghị")
    unit_name: Series[str] = F("Tên đơn vị đề nghị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    source_file: Series[str] = F("Tệp báo cáo chứa đề nghị")
    excel_row: Series[int] = F("Dòng của đề nghị trong sheet 9")
    proposal_order: Series[int] = F("Thứ tự đề nghị trong báo cáo của đơn vị", ge=1)
    recipient_kind_code: Series[str] = F("Tập thể (COLLECTIVE) hay cá nhân (INDIVIDUAL)")
    recipient_kind_label: Series[str] = F("Tập thể hay cá nhân")
    nominee_name: Series[str] = F("Tên tập thể hoặc họ tên cá nhân được đề nghị")
    criterion: Series[str] = F("Tiêu chí (a, b, c, d theo mục III)")
    criterion_label: Series[str] = F("Nội dung tiêu chí")
    declared: Series[pd.BooleanDtype] = F("Đơn vị tự khai đạt tiêu chí", nullable=True)
    verdict: Series[str] = F("Kết quả: met (đạt), not_met (không đạt), unverified (chưa kiểm chứng, theo kê khai), "
                             "not_evaluated (không xét)", isin=VERDICTS)
    verdict_label: Series[str] = F("Kết quả bằng tiếng Việt")
    evidence: Series[str] = F("Căn cứ: mô hình, mức xếp loại từng năm... trong báo cáo của đơn vị")
    is_eligible: Series[bool] = F("Không tiêu chí nào không đạt (được xếp hạng gợi ý; tiêu chí theo kê khai chưa "
                                  "kiểm chứng: xem `conclusion` của bảng đề nghị)")

    class Config(_Strict):
        unique = ["unit_code", "proposal_order", "criterion"]


class ProposalSummaryTable(pa.DataFrameModel):
    """Mỗi đề nghị khen thưởng một dòng: kết quả từng tiêu chí, kết luận và lý do."""

    unit_code: Series[str] = F("Mã đơn vị đề nghị")
    unit_name: Series[str] = F("Tên đơn vị đề nghị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    proposal_order: Series[int] = F("Thứ tự đề nghị trong báo cáo của đơn vị", ge=1)
    recipient_kind_label: Series[str] = F("Tập thể hay cá nhân")
    nominee_name: Series[str] = F("Tên tập thể hoặc họ tên cá nhân được đề nghị")
    is_eligible: Series[bool] = F("Không tiêu chí nào không đạt (được xếp hạng gợi ý; tiêu chí theo kê khai chưa "
                                  "kiểm chứng: xem `conclusion`)")
    crit_a: Series[str] = F("Kết quả tiêu chí a (mã)", nullable=True)
    crit_b: Series[str] = F("Kết quả tiêu chí b (mã)", nullable=True)
    crit_c: Series[str] = F("Kết quả tiêu chí c (mã; trống: không áp dụng)", nullable=True)
    crit_d: Series[str] = F("Kết quả tiêu chí d (mã; trống: không áp dụng)", nullable=True)
    reasons: Series[str] = F("Căn cứ của các tiêu chí không đạt hoặc không xét")
    conclusion: Series[str] = F("Kết luận (mã): meets_all (đạt mọi tiêu chí, đều kiểm chứng được), meets_checked (đạt "
                                "các tiêu chí kiểm tra được từ số liệu, còn lại theo kê khai), not_met, not_evaluated",
                                isin=[c.value for c in Conclusion])
    conclusion_label: Series[str] = F("Kết luận bằng tiếng Việt")
    conclusion_text: Series[str] = F("Kết luận theo từng tiêu chí: tiêu chí nào đạt, tiêu chí nào theo kê khai")

    class Config(_Strict):
        unique = ["unit_code", "proposal_order"]


class RankingTable(pa.DataFrameModel):
    """Gợi ý xếp hạng các đề nghị không có tiêu chí nào không đạt, theo thang điểm công khai (tài liệu nội bộ)."""

    rank: Series[int] = F("Thứ hạng (1 là cao nhất; bằng điểm thì cùng hạng)", ge=1)
    tie_group: Series[int] = F("Nhóm điểm ngang nhau: các đề nghị cách nhau không quá near_tie_margin điểm "
                               "([awards.ranking]) cùng nhóm", ge=1)
    is_level: Series[bool] = F("Đề nghị ngang điểm với ít nhất một đề nghị khác (cùng nhóm)")
    unit_code: Series[str] = F("Mã đơn vị đề nghị")
    unit_name: Series[str] = F("Tên đơn vị đề nghị")
    unit_group: Series[str] = F("Nhóm đơn vị")
    recipient_kind_label: Series[str] = F("Tập thể hay cá nhân")
    nominee_name: Series[str] = F("Tên tập thể hoặc họ tên cá nhân được đề nghị")
    model_name: Series[str] = _text("Mô hình làm căn cứ tính điểm")
    recognition_label: Series[str] = _text("Cấp công nhận của mô hình")
    recognition_points: Series[float] = F("Điểm cấp công nhận = điểm mỗi bậc × bậc công nhận")
    replication_points: Series[float] = F("Điểm đã nhân rộng")
    places_points: Series[float] = F("Điểm số nơi nhân rộng (có mức trần)")
    classification_points: Series[float] = F("Điểm số năm hoàn thành xuất sắc")
    people_points: Series[float] = F("Điểm số người tham gia, hưởng lợi (có mức trần)")
    score_total: Series[float] = F("Tổng điểm")
    note: Series[str] = F("Lưu ý: thứ tự chỉ là gợi ý theo thang điểm; người có thẩm quyền lựa chọn")

    class Config(_Strict):
        unique = ["unit_code"]


class PlausibilityList(pa.DataFrameModel):
    """Số liệu cần xem lại: mỗi số liệu bị nghi ngờ một dòng (cảnh báo, vẫn được tổng hợp), xếp theo mức độ: các quy tắc
    giữa các số liệu trước, rồi số liệu càng xa ngưỡng càng lên trên (mục [plausibility] của config/plan.toml)."""

    rank: Series[int] = F("Thứ tự xem lại (1: cần xem trước)", ge=1)
    unit_code: Series[str] = F("Mã đơn vị")
    unit_name: Series[str] = F("Tên đơn vị")
    unit_group: Series[str] = F("Nhóm đơn vị (các đơn vị được so sánh trong cùng nhóm)")
    source_file: Series[str] = F("Tệp báo cáo của đơn vị")
    sheet: Series[str] = F("Sheet chứa số liệu")
    cell: Series[str] = F("Ô chứa số liệu")
    excel_row: Series[int] = F("Dòng Excel của số liệu", ge=1)
    column: Series[str] = F("Tên cột của số liệu (theo schemas/sheets.py)")
    check: Series[str] = F("Loại kiểm tra: rule (quy tắc giữa các số liệu), copied (cả dòng giống hệt dòng của kỳ khác), "
                           "outlier (khác thường so với các đơn vị cùng nhóm), jump (năm khác thường so với các năm "
                           "khác của đơn vị), half_year (kỳ chưa đủ năm lớn hơn mức cả năm của đơn vị)",
                           isin=["rule", "copied", "outlier", "jump", "half_year"])
    rule: Series[str] = F("Mã quy tắc ghi trong issues.csv (plausibility.rule, plausibility.outlier, ...)")
    check_code: Series[str] = F("Mã quy tắc khai báo trong [[plausibility.rules]], hoặc mã số liệu (sheet.cột, "
                                "rate.<mã tỷ lệ>) được so sánh")
    figure: Series[str] = F("Tên số liệu, tỷ lệ hoặc quy tắc")
    key: Series[str] = F("Kỳ, nội dung thi đua, hình thức khen thưởng của số liệu (trống nếu không có)")
    value: Series[float] = F("Giá trị bị nghi ngờ (với tỷ lệ: giá trị của tỷ lệ; trống với ngày tháng)", nullable=True)
    value_text: Series[str] = F("Giá trị trong ô, như đơn vị đã nhập")
    reference: Series[float] = F("Trung vị so sánh: của các đơn vị cùng nhóm (outlier), của các năm khác của đơn vị "
                                 "(jump, half_year)", nullable=True)
    reference_text: Series[str] = F("Trung vị so sánh, hoặc giá trị vế phải của quy tắc, như in")
    compared: Series[pd.Int64Dtype] = F("Số đơn vị (outlier) hoặc số năm (jump, half_year) được so sánh", nullable=True)
    distance: Series[float] = F("Độ lệch: |z| (điểm z hiệu chỉnh) với outlier; số lần so với trung vị với jump, half_year",
                                nullable=True)
    severity: Series[float] = F("Độ lệch chia cho ngưỡng của loại kiểm tra (1 là đúng ngưỡng); trống với quy tắc",
                                nullable=True)
    direction: Series[str] = F("high (cao bất thường), low (thấp bất thường); trống với quy tắc")
    reason: Series[str] = F("Lý do nghi ngờ, như ghi cho đơn vị")

    class Config(_Strict):
        unique = ["rank"]


class PlausibilityGroups(pa.DataFrameModel):
    """Các nhóm đơn vị được so sánh khi tìm số liệu khác thường, và nhóm nào đủ đơn vị để so sánh."""

    unit_group: Series[str] = F("Nhóm đơn vị")
    units: Series[int] = F("Số đơn vị của nhóm có báo cáo được tổng hợp", ge=0)
    min_units: Series[int] = F("Số đơn vị tối thiểu để so sánh (min_units của [plausibility])", ge=1)
    is_judged: Series[bool] = F("Nhóm đủ đơn vị để so sánh các đơn vị với nhau")

    class Config(_Strict):
        unique = ["unit_group"]


AGGREGATES: dict[str, type[pa.DataFrameModel]] = {
    "reporting": ReportingAgg,
    "staff_registration": StaffAgg,
    "leadership_by_period": LeadershipAgg,
    "content_by_area": ContentAgg,
    "models_summary": ModelsAgg,
    "models_by": ModelsByAgg,
    "impact_summary": ImpactAgg,
    "impact_texts": ImpactTextsAgg,
    "outstanding_results": OutstandingResultsAgg,
    "assessment_texts": AssessmentTextsAgg,
    "quotes": QuotesAgg,
    "units_without_models": UnitListAgg,
    "classification_levels": ClassificationAgg,
    "units_htxs_every_year": UnitListAgg,
    "awards_given_by_form": AwardsGivenAgg,
    "activities_by_period": ActivitiesAgg,
    "content_self_assessment": SelfAssessmentAgg,
}
# Figures computed from the aggregates, the award verdicts and the issues (pipeline.tidy.summary).
SUMMARIES: dict[str, type[pa.DataFrameModel]] = {
    "key_figures": KeyFiguresAgg,
    # figures questioned while checking (pipeline.check.plausibility), listed by pipeline.tidy.plausibility
    "plausibility": PlausibilityList,
    "plausibility_groups": PlausibilityGroups,
}

AWARDS: dict[str, type[pa.DataFrameModel]] = {
    "verdicts": VerdictsTable,
    "ranking": RankingTable,
    "proposals": ProposalSummaryTable,
    "decisions": AwardDecisionsTable,     # the office's decisions file, read (schemas/dossier.py)
    "dossiers": AwardDossiersTable,       # the hồ sơ each unit sent
}



def data_dictionary() -> pd.DataFrame:
    """One row per column of every normalised table, aggregate and award output."""
    rows = []
    for kind, models in (("table", TABLES), ("aggregate", AGGREGATES | SUMMARIES), ("awards", AWARDS)):
        for name, model in models.items():
            schema = model.to_schema()
            for col_name, col in schema.columns.items():
                rows.append({
                    "kind": kind,
                    "table": name,
                    "table_description": (model.__doc__ or "").strip(),
                    "column": col_name,
                    "dtype": str(col.dtype),
                    "nullable": bool(col.nullable),
                    "description": col.description or "",
                })
    return pd.DataFrame(rows)

