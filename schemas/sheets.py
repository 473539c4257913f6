"""One pandera DataFrameModel per sheet of the standard template.

The class docstring is the sheet's title in the template. `Config.metadata`
says how the sheet is laid out:
- `sheet`: the sheet's name (Vietnamese, at most 31 characters);
- `layout`: "table" (a header row, one record per row) or "form" (one record,
  one field per row: label in column A, value in column B);
- `fixed_rows`: vocabularies whose product the template prefills in the key
  columns (one row per year, per content area and year, ...);
- `blank_rows`: rows prepared for free-row tables;
- `optional`: a unit may have nothing to list there (no proposal): the sheet deleted is a warning, not an error;
- `row_rules`: for each dataframe check, the column the unit must fix, the
  columns it reads (`uses`: a rule says nothing about a value that could not
  be read) and the severity ("error" excludes the row, "warning" keeps it).

The models are made from a plan (`models(plan)`): its vocabularies, years and examples. Nothing here reads the
config; `Plan.sheets` builds them once per plan.
"""
from __future__ import annotations

from functools import partial

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline import rules
from schemas import fields
from schemas.fields import CHOICE, DATE, DECIMAL, EMAIL, INT, PHONE, TEXT, YEAR, YESNO
from schemas.rules import Rule


def models(plan) -> dict[str, type[pa.DataFrameModel]]:
    """Machine name -> the pandera model of each sheet of `plan`'s template, in template order."""
    column = partial(fields.column, plan)
    recognition_none = plan.labels("recognition_levels")[0]
    yes_no = {"vocab": "yes_no"}
    # Years and examples come from config/plan.toml: another plan, other years, no code change.
    years = [int(p["year"]) for p in plan.items("periods")]
    first_year, last_year = min(years), max(years)
    date_example = f"{plan.deadline.day - 5 if plan.deadline.day > 5 else 1}/{plan.deadline.month}/{plan.deadline.year}"
    plan_short = plan.review.get("plan_short", "kế hoạch phát động phong trào")
    email_example = plan.review.get("email_example", "vanthu@example.gov.vn")
    competent = plan.item("recognition_levels", plan.awards["min_recognition_level"])
    crit_c_help = (f"Chỉ với tập thể. Có / Không. Mô hình được cấp có thẩm quyền (từ {competent.get('authority') or competent['label']} "
                    "trở lên) công nhận, có hiệu quả, có thể nhân rộng; mô hình đã nhân rộng là minh chứng thêm.")


    class UnitInfo(pa.DataFrameModel):
        """THÔNG TIN ĐƠN VỊ BÁO CÁO"""

        unit_name: Series[str] = column(
            "Tên cơ quan, đơn vị, địa phương", "Chọn tên đơn vị trong danh sách.",
            CHOICE, vocab="units", required=True, width=55)
        reporter_name: Series[str] = column(
            "Người lập báo cáo", "Họ và tên người lập báo cáo.", required=True)
        reporter_position: Series[str] = column("Chức vụ người lập", "Chức vụ, chức danh.")
        phone: Series[str] = column("Số điện thoại", "Ví dụ: 0255 3859 123 hoặc 0905123456.", PHONE, required=True)
        email: Series[str] = column("Thư điện tử", f"Ví dụ: {email_example}", EMAIL)
        report_date: Series[pa.DateTime] = column(
            "Ngày báo cáo", f"Ngày ký báo cáo, dạng ngày/tháng/năm, ví dụ {date_example}.", DATE, required=True,
            in_review_year=True)
        staff_total: Series[pd.Int64Dtype] = column(
            "Tổng số CBCCVC và người lao động", "Số người hiện có của cơ quan, đơn vị.", INT, required=True, ge=1)
        staff_registered: Series[pd.Int64Dtype] = column(
            "Số CBCCVC, người lao động đăng ký thi đua", "Không lớn hơn tổng số CBCCVC và người lao động.",
            INT, required=True, share_of="staff_total")

        @pa.dataframe_check(name=Rule.REGISTERED_NOT_ABOVE_STAFF)
        def _registered_not_above_staff(cls, df: pd.DataFrame) -> Series[bool]:
            return ~(df["staff_registered"] > df["staff_total"]).fillna(False)

        class Config:
            metadata = {
                "sheet": "1. Thông tin đơn vị",
                "layout": "form",
                "row_rules": {Rule.REGISTERED_NOT_ABOVE_STAFF: {
                    "column": "staff_registered", "uses": ["staff_total", "staff_registered"], "severity": "error"}},
            }


    class Leadership(pa.DataFrameModel):
        """KẾT QUẢ LÃNH ĐẠO, CHỈ ĐẠO, TUYÊN TRUYỀN (Nội dung 1, mục II)"""

        period: Series[str] = column("Năm", "Năm báo cáo (đã điền sẵn).", CHOICE, vocab="periods", required=True, key=True, width=22)
        plans_issued: Series[pd.Int64Dtype] = column(
            "Số kế hoạch, văn bản chỉ đạo đã ban hành", "Nhập số nguyên, nhập 0 nếu không có.", INT, required=True)
        launch_meetings: Series[pd.Int64Dtype] = column(
            "Số hội nghị phát động, quán triệt", "Nhập số nguyên, nhập 0 nếu không có.", INT, required=True)
        propaganda_sessions: Series[pd.Int64Dtype] = column(
            "Số buổi tuyên truyền", "Nhập số nguyên, nhập 0 nếu không có.", INT, required=True)
        propaganda_participants: Series[pd.Int64Dtype] = column(
            "Số lượt người tham gia tuyên truyền", "Tổng số lượt người; không ít hơn số buổi.", INT, required=True)
        news_items: Series[pd.Int64Dtype] = column(
            "Số tin, bài đã đăng", "Tin, bài trên trang thông tin điện tử, đài truyền thanh...", INT, required=True)
        inspections: Series[pd.Int64Dtype] = column(
            "Số cuộc kiểm tra, giám sát", "Nhập số nguyên, nhập 0 nếu không có.", INT, required=True)

        @pa.dataframe_check(name=Rule.PARTICIPANTS_NOT_BELOW_SESSIONS)
        def _participants_not_below_sessions(cls, df: pd.DataFrame) -> Series[bool]:
            return ~(df["propaganda_participants"] < df["propaganda_sessions"]).fillna(False)

        class Config:
            unique = ["source_file", "period"]
            metadata = {
                "sheet": "2. Lãnh đạo, chỉ đạo",
                "layout": "table",
                "fixed_rows": ["periods"],
                "row_rules": {Rule.PARTICIPANTS_NOT_BELOW_SESSIONS: {
                    "column": "propaganda_participants", "uses": ["propaganda_sessions", "propaganda_participants"],
                    "severity": "error"}},
            }


    class ContentResult(pa.DataFrameModel):
        """KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA (Nội dung 2, mục II)"""

        content_area: Series[str] = column(
            "Nội dung thi đua", f"Nội dung thi đua của {plan_short} (đã điền sẵn).",
            CHOICE, vocab="content_areas", required=True, key=True, width=36)
        period: Series[str] = column("Năm", "Năm báo cáo (đã điền sẵn).", CHOICE, vocab="periods", required=True, key=True, width=22)
        activities: Series[pd.Int64Dtype] = column(
            "Số hoạt động, phần việc đã thực hiện", "Nhập số nguyên, nhập 0 nếu không có.", INT, required=True)
        outstanding_results: Series[str] = column(
            "Kết quả nổi bật", "Tóm tắt kết quả, giải pháp, cách làm sáng tạo.", TEXT, width=60)
        self_assessment: Series[str] = column(
            "Tự đánh giá", "Chọn mức tự đánh giá trong danh sách.", CHOICE, vocab="self_assessment_levels", width=16)

        class Config:
            unique = ["source_file", "content_area", "period"]
            metadata = {
                "sheet": "3. Kết quả nội dung thi đua",
                "layout": "table",
                "fixed_rows": ["content_areas", "periods"],
            }


    class Model(pa.DataFrameModel):
        """DANH SÁCH MÔ HÌNH “DÂN VẬN KHÉO” (mỗi mô hình một dòng)"""

        model_name: Series[str] = column("Tên mô hình", "Tên đầy đủ của mô hình.", TEXT, required=True, width=50,
                                           one_item="warning")   # several models in one row: counted as one, said
        field: Series[str] = column("Lĩnh vực", "Chọn lĩnh vực trong danh sách.", CHOICE, vocab="fields", required=True, width=26)
        content_area: Series[str] = column(
            "Nội dung thi đua", "Nội dung thi đua mà mô hình thực hiện.", CHOICE, vocab="content_areas", required=True, width=34)
        model_kind: Series[str] = column(
            "Tập thể hay cá nhân", "Mô hình do tập thể hay cá nhân thực hiện.", CHOICE, vocab="recipient_kinds", required=True, width=14)
        implementer: Series[str] = column("Tập thể, cá nhân thực hiện", "Tên tập thể hoặc họ tên cá nhân.", TEXT, required=True, width=32)
        start_year: Series[pd.Int64Dtype] = column(
            "Năm bắt đầu", f"Năm bắt đầu thực hiện, từ {first_year} đến {last_year}.", YEAR, required=True,
            ge=first_year, le=last_year)
        recognition_level: Series[str] = column(
            "Cấp công nhận", "Cấp đã đánh giá, công nhận mô hình.", CHOICE, vocab="recognition_levels", required=True, width=28)
        recognition_doc: Series[str] = column(
            "Số văn bản công nhận", "Ví dụ: 125/QĐ-UBND. Bắt buộc khi mô hình đã được công nhận.", TEXT, width=20)
        recognition_date: Series[pa.DateTime] = column("Ngày văn bản công nhận", "Dạng ngày/tháng/năm.", DATE)
        is_replicated: Series[pd.BooleanDtype] = column("Đã nhân rộng", "Chọn Có hoặc Không.", YESNO, required=True, **yes_no)
        replication_places: Series[pd.Int64Dtype] = column(
            "Số nơi nhân rộng", "Số cơ quan, địa phương đã nhân rộng mô hình.", INT)
        beneficiaries: Series[pd.Int64Dtype] = column(
            "Số người tham gia, hưởng lợi", "Số người dân, doanh nghiệp tham gia hoặc hưởng lợi.", INT)
        effect: Series[str] = column("Hiệu quả", "Hiệu quả thực tế của mô hình.", TEXT, width=60)

        @pa.dataframe_check(name=Rule.RECOGNITION_DOC_REQUIRED)
        def _recognition_doc_required(cls, df: pd.DataFrame) -> Series[bool]:
            recognised = df["recognition_level"].notna() & (df["recognition_level"] != recognition_none)
            return ~(recognised & ~rules.has_document_number(df["recognition_doc"]))

        @pa.dataframe_check(name=Rule.MODEL_REPEATED)
        def _model_repeated(cls, df: pd.DataFrame) -> Series[bool]:
            return ~rules.is_repeated_model(df["source_file"], df["model_name"])

        @pa.dataframe_check(name=Rule.REPLICATION_PLACES_REQUIRED)
        def _replication_places_required(cls, df: pd.DataFrame) -> Series[bool]:
            replicated = df["is_replicated"].fillna(False).astype(bool)
            return ~(replicated & ~(df["replication_places"] > 0).fillna(False))

        @pa.dataframe_check(name=Rule.PLACES_WITHOUT_REPLICATION)
        def _places_without_replication(cls, df: pd.DataFrame) -> Series[bool]:
            not_replicated = (df["is_replicated"] == False).fillna(False)  # noqa: E712 (nullable boolean)
            return ~(not_replicated & (df["replication_places"] > 0).fillna(False))

        class Config:
            metadata = {
                "sheet": "4. Mô hình Dân vận khéo",
                "layout": "table",
                "blank_rows": 60,
                "row_rules": {
                    Rule.MODEL_REPEATED: {"column": "model_name", "uses": ["model_name"], "severity": "warning"},
                    Rule.RECOGNITION_DOC_REQUIRED: {"column": "recognition_doc", "uses": ["recognition_level", "recognition_doc"],
                                                 "severity": "warning"},
                    Rule.REPLICATION_PLACES_REQUIRED: {"column": "replication_places",
                                                     "uses": ["is_replicated", "replication_places"], "severity": "warning"},
                    Rule.PLACES_WITHOUT_REPLICATION: {"column": "replication_places",
                                                   "uses": ["is_replicated", "replication_places"], "severity": "warning"},
                },
            }


    class Classification(pa.DataFrameModel):
        """KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG TÁC DÂN VẬN CHÍNH QUYỀN HẰNG NĂM"""

        classification_year: Series[pd.Int64Dtype] = column(
            "Năm", "Năm được đánh giá, xếp loại (đã điền sẵn).", YEAR, required=True, key=True, ge=first_year,
            le=last_year)
        score: Series[pd.Float64Dtype] = column(
            "Điểm tự chấm (thang 100)", "Từ 0 đến 100, có thể có phần thập phân.", DECIMAL, required=True, ge=0, le=100)
        classification_level: Series[str] = column(
            "Mức xếp loại", "Mức xếp loại ghi trong quyết định xếp loại.",
            CHOICE, vocab="classification_levels", required=True, width=30)
        decision_number: Series[str] = column(
            "Số quyết định, văn bản xếp loại", "Ví dụ: 58/QĐ-UBND ngày 20/01/2022.", TEXT, width=30)

        @pa.dataframe_check(name=Rule.LEVEL_MATCHES_SCORE)
        def _level_matches_score(cls, df: pd.DataFrame) -> Series[bool]:
            expected = df["score"].map(lambda s: plan.classification_for_score(s) if pd.notna(s) else None)
            both = df["score"].notna() & df["classification_level"].notna()
            return ~(both & (expected != df["classification_level"]))

        class Config:
            unique = ["source_file", "classification_year"]
            metadata = {
                "sheet": "5. Xếp loại dân vận",
                "layout": "table",
                "fixed_rows": ["classification_years"],
                "row_rules": {Rule.LEVEL_MATCHES_SCORE: {
                    "column": "classification_level", "uses": ["score", "classification_level"], "severity": "warning"}},
            }


    class Impact(pa.DataFrameModel):
        """TÁC ĐỘNG, HIỆU QUẢ CỦA PHONG TRÀO THI ĐUA (Nội dung 3, mục II)"""

        on_time_procedures_pct: Series[pd.Float64Dtype] = column(
            "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn (%)", "Từ 0 đến 100; để trống nếu đơn vị không giải quyết TTHC.",
            DECIMAL, ge=0, le=100, percent=True)
        satisfaction_pct: Series[pd.Float64Dtype] = column(
            "Mức độ hài lòng của người dân, doanh nghiệp (%)", "Từ 0 đến 100, theo khảo sát gần nhất.", DECIMAL, ge=0, le=100,
            percent=True)
        hcm_exemplars: Series[pd.Int64Dtype] = column(
            "Số tập thể, cá nhân điển hình “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”",
            "Số điển hình được biểu dương trong 3 năm.", INT)
        political_tasks_impact: Series[str] = column(
            "Tác động đối với việc thực hiện nhiệm vụ chính trị", "Mô tả ngắn gọn.", TEXT, required=True, width=70)
        hcm_link: Series[str] = column(
            "Gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Mô tả ngắn gọn.", TEXT, width=70)
        other_movements: Series[str] = column(
            "Gắn với các phong trào thi đua, cuộc vận động khác", "Mô tả ngắn gọn.", TEXT, width=70)

        class Config:
            metadata = {"sheet": "6. Tác động", "layout": "form"}


    class Assessment(pa.DataFrameModel):
        """ĐÁNH GIÁ CHUNG (Nội dung 4, mục II)"""

        topic: Series[str] = column("Nội dung đánh giá", "Đã điền sẵn.", CHOICE, vocab="assessment_topics", required=True, key=True, width=28)
        text: Series[str] = column("Đánh giá của đơn vị", "Viết ngắn gọn, có thể nhiều đoạn.", TEXT, required=True, width=100)

        class Config:
            unique = ["source_file", "topic"]
            metadata = {"sheet": "7. Đánh giá chung", "layout": "table", "fixed_rows": ["assessment_topics"]}


    class AwardGiven(pa.DataFrameModel):
        """KHEN THƯỞNG THEO THẨM QUYỀN CỦA ĐƠN VỊ (Nội dung 5, mục II)"""

        period: Series[str] = column("Năm", "Năm khen thưởng (đã điền sẵn).", CHOICE, vocab="periods", required=True, key=True, width=22)
        award_form: Series[str] = column(
            "Hình thức khen thưởng", "Đã điền sẵn.", CHOICE, vocab="own_award_forms", required=True, key=True, width=24)
        collectives: Series[pd.Int64Dtype] = column("Số tập thể được khen", "Để trống hoặc nhập 0 nếu không có.", INT)
        individuals: Series[pd.Int64Dtype] = column("Số cá nhân được khen", "Để trống hoặc nhập 0 nếu không có.", INT)

        class Config:
            unique = ["source_file", "period", "award_form"]
            metadata = {"sheet": "8. Khen thưởng theo thẩm quyền", "layout": "table", "fixed_rows": ["periods", "own_award_forms"]}


    class Proposal(pa.DataFrameModel):
        """ĐỀ NGHỊ CHỦ TỊCH UBND THỊ XÃ KHEN THƯỞNG (01 tập thể hoặc 01 cá nhân)"""

        recipient_kind: Series[str] = column(
            "Tập thể hay cá nhân", "Chỉ đề nghị 01 tập thể hoặc 01 cá nhân; để trống nếu không đề nghị.",
            CHOICE, vocab="recipient_kinds", required=True, width=14)
        nominee_name: Series[str] = column("Tên tập thể / họ tên cá nhân", "Tên đầy đủ.", TEXT, required=True, width=32,
                                             one_item="error")   # 01 collective or 01 individual per unit
        nominee_position: Series[str] = column("Chức vụ, đơn vị công tác", "Với cá nhân: chức vụ và nơi công tác.", TEXT, width=28)
        achievements_summary: Series[str] = column(
            "Tóm tắt thành tích", "Thành tích tiêu biểu, xuất sắc trong phong trào.", TEXT, required=True, width=60)
        model_name: Series[str] = column(
            "Mô hình, sáng kiến làm căn cứ", "Ghi đúng tên mô hình ở sheet 4 (nếu có).", TEXT, width=40)
        crit_a: Series[pd.BooleanDtype] = column(
            "Tiêu chí a: gương mẫu chấp hành, thành tích xuất sắc", "Có / Không.", YESNO, required=True, **yes_no)
        crit_a_evidence: Series[str] = column("Minh chứng tiêu chí a", "", TEXT, width=36)
        crit_b: Series[pd.BooleanDtype] = column(
            "Tiêu chí b: thực hiện tốt công tác dân vận (cá nhân: tham mưu xuất sắc, có mô hình/sáng kiến)",
            "Có / Không.", YESNO, required=True, **yes_no)
        crit_b_evidence: Series[str] = column("Minh chứng tiêu chí b", "", TEXT, width=36)
        crit_c: Series[pd.BooleanDtype] = column(
            "Tiêu chí c (tập thể): có mô hình được công nhận, có thể nhân rộng", crit_c_help, YESNO, **yes_no)
        crit_c_evidence: Series[str] = column("Minh chứng tiêu chí c", "", TEXT, width=36)
        crit_d: Series[pd.BooleanDtype] = column(
            "Tiêu chí d (tập thể): xếp loại dân vận chính quyền hoàn thành xuất sắc hằng năm",
            "Chỉ với tập thể. Có / Không.", YESNO, **yes_no)
        crit_d_evidence: Series[str] = column("Minh chứng tiêu chí d", "", TEXT, width=36)

        class Config:
            metadata = {"sheet": "9. Đề nghị khen thưởng", "layout": "table", "blank_rows": 3, "optional": True}

    return {
        "unit_info": UnitInfo,
        "leadership": Leadership,
        "content_results": ContentResult,
        "models": Model,
        "classification": Classification,
        "impact": Impact,
        "assessment": Assessment,
        "awards_given": AwardGiven,
        "proposals": Proposal,
    }
