"""Schemas of the normalised tables and of the aggregates built from them.

One pandera DataFrameModel per table. Each column carries a Vietnamese
`description` (what the value means, for the analysts' data dictionary).
Naming: a vocabulary value is stored twice, `<name>_code` (the stable key from
config/plan.toml) and `<name>_label` (the Vietnamese text for display);
booleans start with `is_`/`has_`; counts are plain nouns.

Aggregates share the columns `scope_kind` ("town", "unit_group", "unit_type")
and `scope` (the label: "Toàn thị xã", a group or a unit type), so the rows of
each kind add up to the town row.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

# Scope of an aggregate row, and the "whole period" pseudo-period.
SCOPE_TOWN = "town"
SCOPE_GROUP = "unit_group"
SCOPE_TYPE = "unit_type"
SCOPE_KINDS = [SCOPE_TOWN, SCOPE_GROUP, SCOPE_TYPE]
TOWN_LABEL = "Toàn thị xã"
ALL_PERIODS_CODE = "ALL"
ALL_PERIODS_LABEL = "Cả giai đoạn"

VERDICTS = ["met", "not_met", "unverified", "not_evaluated"]


def F(description: str, nullable: bool = False, **checks):
    return pa.Field(description=description, nullable=nullable, **checks)


def _text(description: str):
    return F(description, nullable=True)


# -- shared column blocks -------------------------------------------------------

class _Unit(pa.DataFrameModel):
    unit_code: Series[str] = F("Mã đơn vị (theo danh mục config/units.csv)")
    unit_type: Series[str] = F("Loại đơn vị: phường, xã, phòng ban, đơn vị sự nghiệp")
    unit_group: Series[str] = F("Nhóm đơn vị: Xã, phường hoặc Cơ quan, đơn vị thị xã")


class _Provenance(pa.DataFrameModel):
    source_file: Series[str] = F("Tệp báo cáo của đơn vị chứa dòng này")
    sheet: Series[str] = F("Sheet của mẫu báo cáo chứa dòng này")
    excel_row: Series[int] = F("Số dòng trong sheet Excel", ge=1)


class _Period(pa.DataFrameModel):
    period_code: Series[str] = F("Mã kỳ báo cáo (2020, 2021, 2022, 2023H1)")
    period_label: Series[str] = F("Tên kỳ báo cáo")
    year: Series[pd.Int64Dtype] = F("Năm của kỳ báo cáo")


class _Scope(pa.DataFrameModel):
    scope_kind: Series[str] = F("Cách tổng hợp: town (toàn thị xã), unit_group (theo nhóm), unit_type (theo loại đơn vị)",
                                isin=SCOPE_KINDS)
    scope: Series[str] = F("Phạm vi tổng hợp: Toàn thị xã, tên nhóm hoặc loại đơn vị")


class _AggPeriod(pa.DataFrameModel):
    period_code: Series[str] = F("Mã kỳ báo cáo; ALL là cả giai đoạn")
    period_label: Series[str] = F("Tên kỳ báo cáo; “Cả giai đoạn” là tổng các kỳ")


class _Strict:
    strict = True


# -- normalised tables ----------------------------------------------------------

class UnitsTable(_Unit):
    """Danh mục đơn vị kèm tình trạng nộp báo cáo (mỗi đơn vị một dòng)."""

    unit_name: Series[str] = F("Tên cơ quan, đơn vị, địa phương")
    status: Series[str] = F("Tình trạng báo cáo: on_time (đúng hạn), late (trễ hạn), date_unknown (đã nộp, chưa rõ ngày "
                            "báo cáo), missing (chưa nộp), rejected (bị từ chối)",
                            isin=["on_time", "late", "date_unknown", "missing", "rejected"])
    is_reported: Series[pd.BooleanDtype] = F("Đơn vị đã nộp báo cáo được tổng hợp (đúng hạn, trễ hạn hoặc chưa rõ ngày)")
    is_on_time: Series[pd.BooleanDtype] = F("Đơn vị nộp báo cáo đúng hạn")
    source_file: Series[str] = _text("Tệp báo cáo được tổng hợp của đơn vị")
    report_date: Series[pa.DateTime] = _text("Ngày báo cáo")
    staff_total: Series[pd.Int64Dtype] = _text("Tổng số CBCCVC và người lao động")
    staff_registered: Series[pd.Int64Dtype] = _text("Số CBCCVC, người lao động đăng ký thi đua")
    errors: Series[pd.Int64Dtype] = F("Số lỗi phát hiện trong báo cáo của đơn vị")
    warnings: Series[pd.Int64Dtype] = F("Số cảnh báo trong báo cáo của đơn vị")

    class Config(_Strict):
        unique = ["unit_code"]


class LeadershipTable(_Unit, _Period, _Provenance):
    """Kết quả lãnh đạo, chỉ đạo, tuyên truyền: đơn vị × kỳ × chỉ tiêu → giá trị."""

    indicator_code: Series[str] = F("Mã chỉ tiêu (tên cột của sheet 2, ví dụ propaganda_sessions)")
    indicator_label: Series[str] = F("Tên chỉ tiêu như trên mẫu báo cáo")
    value: Series[pd.Int64Dtype] = F("Giá trị của chỉ tiêu", ge=0)

    class Config(_Strict):
        unique = ["unit_code", "period_code", "indicator_code"]


class ContentResultsTable(_Unit, _Period, _Provenance):
    """Kết quả từng nội dung thi đua: đơn vị × nội dung × kỳ."""

    content_area_code: Series[str] = F("Mã nội dung thi đua của Kế hoạch 1787 (ND1, ND2...)")
    content_area_label: Series[str] = F("Tên nội dung thi đua")
    activities: Series[pd.Int64Dtype] = F("Số hoạt động, phần việc đã thực hiện", ge=0)
    self_assessment_code: Series[str] = _text("Mã mức tự đánh giá")
    self_assessment_label: Series[str] = _text("Mức tự đánh giá")
    outstanding_results: Series[str] = _text("Kết quả nổi bật do đơn vị mô tả")

    class Config(_Strict):
        unique = ["unit_code", "content_area_code", "period_code"]


class ModelsTable(_Unit, _Provenance):
    """Mô hình “Dân vận khéo”: mỗi mô hình một dòng."""

    model_id: Series[str] = F("Mã mô hình do hệ thống đặt: mã đơn vị # số dòng Excel")
    model_name: Series[str] = F("Tên mô hình")
    field_code: Series[str] = F("Mã lĩnh vực")
    field_label: Series[str] = F("Lĩnh vực")
    content_area_code: Series[str] = F("Mã nội dung thi đua mà mô hình thực hiện")
    content_area_label: Series[str] = F("Nội dung thi đua mà mô hình thực hiện")
    model_kind_code: Series[str] = F("Mô hình do tập thể (COLLECTIVE) hay cá nhân (INDIVIDUAL) thực hiện")
    model_kind_label: Series[str] = F("Tập thể hay cá nhân thực hiện")
    implementer: Series[str] = F("Tập thể, cá nhân thực hiện")
    start_year: Series[pd.Int64Dtype] = F("Năm bắt đầu thực hiện")
    recognition_code: Series[str] = F("Mã cấp công nhận (NONE, UNIT, TOWN, PROVINCE, CENTRAL)")
    recognition_label: Series[str] = F("Cấp công nhận")
    recognition_rank: Series[pd.Int64Dtype] = F("Thứ bậc cấp công nhận: 0 chưa công nhận, 1 đơn vị, 2 thị xã, 3 tỉnh, 4 Trung ương", ge=0)
    recognition_doc: Series[str] = _text("Số văn bản công nhận")
    recognition_date: Series[pa.DateTime] = _text("Ngày văn bản công nhận")
    is_recognised: Series[pd.BooleanDtype] = F(
        "Mô hình đã được công nhận (cấp công nhận từ cơ quan, đơn vị trở lên, theo kê khai của đơn vị)")
    has_recognition_doc: Series[pd.BooleanDtype] = F("Đơn vị đã ghi số văn bản công nhận")
    is_replicated: Series[pd.BooleanDtype] = F("Mô hình đã được nhân rộng")
    replication_places: Series[pd.Int64Dtype] = F("Số nơi nhân rộng (để trống được tính là 0)", ge=0)
    beneficiaries: Series[pd.Int64Dtype] = _text("Số người tham gia, hưởng lợi")
    effect: Series[str] = _text("Hiệu quả thực tế")

    class Config(_Strict):
        unique = ["model_id"]


class ClassificationTable(_Unit, _Provenance):
    """Xếp loại công tác dân vận chính quyền: đơn vị × năm."""

    classification_year: Series[pd.Int64Dtype] = F("Năm được đánh giá, xếp loại")
    score: Series[pd.Float64Dtype] = F("Điểm tự chấm (thang 100)", ge=0, le=100)
    level_code: Series[str] = F("Mã mức xếp loại (HTXS, HTT, HT, KHT)")
    level_label: Series[str] = F("Mức xếp loại")
    decision_number: Series[str] = _text("Số quyết định, văn bản xếp loại")

    class Config(_Strict):
        unique = ["unit_code", "classification_year"]


class AwardsGivenTable(_Unit, _Period, _Provenance):
    """Khen thưởng theo thẩm quyền của đơn vị: đơn vị × kỳ × hình thức × tập thể/cá nhân → số lượng."""

    award_form_code: Series[str] = F("Mã hình thức khen thưởng")
    award_form_label: Series[str] = F("Hình thức khen thưởng")
    recipient_kind_code: Series[str] = F("Tập thể (COLLECTIVE) hay cá nhân (INDIVIDUAL)")
    recipient_kind_label: Series[str] = F("Tập thể hay cá nhân")
    count: Series[pd.Int64Dtype] = F("Số tập thể hoặc cá nhân được khen (ô để trống tính là 0)", ge=0)

    class Config(_Strict):
        unique = ["unit_code", "period_code", "award_form_code", "recipient_kind_code"]


class ProposalsTable(_Unit, _Provenance):
    """Đề nghị Chủ tịch UBND thị xã khen thưởng: mỗi đề nghị một dòng."""

    unit_name: Series[str] = F("Tên đơn vị đề nghị")
    proposal_order: Series[pd.Int64Dtype] = F("Thứ tự đề nghị trong báo cáo của đơn vị (theo dòng Excel)", ge=1)
    is_extra: Series[pd.BooleanDtype] = F("Đề nghị vượt quá số lượng cho phép (01 tập thể hoặc 01 cá nhân), không được xét")
    recipient_kind_code: Series[str] = F("Đề nghị cho tập thể (COLLECTIVE) hay cá nhân (INDIVIDUAL)")
    recipient_kind_label: Series[str] = F("Tập thể hay cá nhân")
    nominee_name: Series[str] = F("Tên tập thể hoặc họ tên cá nhân được đề nghị")
    nominee_position: Series[str] = _text("Chức vụ, đơn vị công tác")
    achievements_summary: Series[str] = F("Tóm tắt thành tích")
    model_name: Series[str] = _text("Mô hình, sáng kiến làm căn cứ")
    crit_a: Series[pd.BooleanDtype] = F("Đơn vị tự khai đạt tiêu chí a")
    crit_a_evidence: Series[str] = _text("Minh chứng tiêu chí a")
    crit_b: Series[pd.BooleanDtype] = F("Đơn vị tự khai đạt tiêu chí b")
    crit_b_evidence: Series[str] = _text("Minh chứng tiêu chí b")
    crit_c: Series[pd.BooleanDtype] = _text("Đơn vị tự khai đạt tiêu chí c (tập thể)")
    crit_c_evidence: Series[str] = _text("Minh chứng tiêu chí c")
    crit_d: Series[pd.BooleanDtype] = _text("Đơn vị tự khai đạt tiêu chí d (tập thể)")
    crit_d_evidence: Series[str] = _text("Minh chứng tiêu chí d")

    class Config(_Strict):
        unique = ["unit_code", "proposal_order"]


class AssessmentsTable(_Unit, _Provenance):
    """Đánh giá chung của đơn vị: đơn vị × chủ đề → nội dung."""

    topic_code: Series[str] = F("Mã chủ đề đánh giá")
    topic_label: Series[str] = F("Chủ đề đánh giá")
    text: Series[str] = F("Nội dung đánh giá của đơn vị")

    class Config(_Strict):
        unique = ["unit_code", "topic_code"]


class ImpactTable(_Unit, _Provenance):
    """Tác động, hiệu quả của phong trào: mỗi đơn vị một dòng."""

    on_time_procedures_pct: Series[pd.Float64Dtype] = _text("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn (%)")
    satisfaction_pct: Series[pd.Float64Dtype] = _text("Mức độ hài lòng của người dân, doanh nghiệp (%)")
    hcm_exemplars: Series[pd.Int64Dtype] = _text("Số điển hình “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”")
    political_tasks_impact: Series[str] = _text("Tác động đối với việc thực hiện nhiệm vụ chính trị")
    hcm_link: Series[str] = _text("Gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    other_movements: Series[str] = _text("Gắn với các phong trào thi đua, cuộc vận động khác")

    class Config(_Strict):
        unique = ["unit_code"]


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

    class Config(_Strict):
        unique = ["scope_kind", "scope", "period_code", "content_area_code"]


class ModelsAgg(_Scope):
    """Tổng hợp mô hình “Dân vận khéo” theo phạm vi."""

    units_reported: Series[int] = F("Số đơn vị đã nộp báo cáo", ge=0)
    units_with_models: Series[int] = F("Số đơn vị có ít nhất một mô hình", ge=0)
    units_without_models: Series[int] = F("Số đơn vị đã nộp báo cáo nhưng không có mô hình nào", ge=0)
    models: Series[int] = F("Số mô hình", ge=0)
    recognised: Series[int] = F("Số mô hình đã được công nhận", ge=0)
    replicated: Series[int] = F("Số mô hình đã nhân rộng", ge=0)
    replication_places: Series[int] = F("Tổng số nơi nhân rộng", ge=0)
    beneficiaries: Series[int] = F("Tổng số người tham gia, hưởng lợi", ge=0)
    recognised_share: Series[float] = F("Tỷ lệ mô hình đã được công nhận (0–1)", nullable=True)
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
    recognised: Series[int] = F("Số mô hình đã được công nhận", ge=0)
    replicated: Series[int] = F("Số mô hình đã nhân rộng", ge=0)
    replication_places: Series[int] = F("Tổng số nơi nhân rộng", ge=0)

    class Config(_Strict):
        unique = ["scope_kind", "scope", "dimension", "category_code"]


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
    level_code: Series[str] = F("Mã mức xếp loại; NONE là đơn vị đã nộp báo cáo nhưng không có xếp loại hợp lệ của năm")
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
    is_eligible: Series[bool] = F("Đề nghị đủ điều kiện (không tiêu chí nào không đạt)")

    class Config(_Strict):
        unique = ["unit_code", "proposal_order", "criterion"]


class RankingTable(pa.DataFrameModel):
    """Xếp hạng các đề nghị đủ điều kiện theo thang điểm công khai trong cấu hình."""

    rank: Series[int] = F("Thứ hạng (1 là cao nhất; bằng điểm thì cùng hạng)", ge=1)
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
    note: Series[str] = F("Lưu ý: kết quả do hệ thống đề xuất, cấp có thẩm quyền quyết định")

    class Config(_Strict):
        unique = ["unit_code"]


TABLES: dict[str, type[pa.DataFrameModel]] = {
    "units": UnitsTable,
    "leadership": LeadershipTable,
    "content_results": ContentResultsTable,
    "models": ModelsTable,
    "classification": ClassificationTable,
    "awards_given": AwardsGivenTable,
    "proposals": ProposalsTable,
    "assessments": AssessmentsTable,
    "impact": ImpactTable,
}

AGGREGATES: dict[str, type[pa.DataFrameModel]] = {
    "reporting": ReportingAgg,
    "leadership_by_period": LeadershipAgg,
    "content_by_area": ContentAgg,
    "models_summary": ModelsAgg,
    "models_by": ModelsByAgg,
    "units_without_models": UnitListAgg,
    "classification_levels": ClassificationAgg,
    "units_htxs_every_year": UnitListAgg,
    "awards_given_by_form": AwardsGivenAgg,
}

AWARDS: dict[str, type[pa.DataFrameModel]] = {
    "verdicts": VerdictsTable,
    "ranking": RankingTable,
}


def data_dictionary() -> pd.DataFrame:
    """One row per column of every normalised table, aggregate and award output."""
    rows = []
    for kind, models in (("table", TABLES), ("aggregate", AGGREGATES), ("awards", AWARDS)):
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
