"""Schemas of the tidy tables (stage 3); the aggregates built from them are in schemas/aggregates.py.

One pandera DataFrameModel per table. Each column carries a Vietnamese
`description` (what the value means, for the analysts' data dictionary).
Naming: a vocabulary value is stored twice, `<name>_code` (the stable key from
config/plan.toml) and `<name>_label` (the Vietnamese text for display);
booleans start with `is_`/`has_`; counts are plain nouns.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.codes import ALL_PERIODS, ScopeKind, SubmissionStatus, Verdict

SCOPE_KINDS = [str(k) for k in ScopeKind]
VERDICTS = [str(v) for v in Verdict]
STATUSES = [str(s) for s in SubmissionStatus]


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
    period_code: Series[str] = F(f"Mã kỳ báo cáo; {ALL_PERIODS} là cả giai đoạn")
    period_label: Series[str] = F("Tên kỳ báo cáo; “Cả giai đoạn” là tổng các kỳ")


class _Strict:
    strict = True


# -- normalised tables ----------------------------------------------------------

class UnitsTable(_Unit):
    """Danh mục đơn vị kèm tình trạng nộp báo cáo (mỗi đơn vị một dòng)."""

    unit_name: Series[str] = F("Tên cơ quan, đơn vị, địa phương")
    status: Series[str] = F("Tình trạng báo cáo: on_time (đúng hạn), late (trễ hạn), date_unknown (đã nộp, chưa rõ ngày "
                            "báo cáo), missing (chưa nộp), rejected (bị từ chối)",
                            isin=STATUSES)
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

    content_area_code: Series[str] = F("Mã nội dung thi đua (ND1, ND2...) theo [content_areas] của config/plan.toml")
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

