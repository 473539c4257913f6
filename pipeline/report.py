"""Report sections shared by every output, the great-tables HTML tables, the
self-contained `report.html` and the draft `.docx` report.

`sections()` turns the run's bundle into display-ready tables with Vietnamese
headers, once; the summary workbook (pipeline.publish), the HTML tables and
the Word draft all print these same tables, so their figures cannot disagree.
"""
from __future__ import annotations

import numbers

import base64
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import Plan
from pipeline.text import vn_int

# =============================================================================
# Vietnamese user-facing text of the town report (reviewed in one place)
# =============================================================================
DEMO_BANNER = "DỮ LIỆU MẪU – số liệu do chương trình tự sinh để thử nghiệm, không dùng cho báo cáo thật"
DRAFT = "DỰ THẢO"
TOWN_TOTAL = "Toàn thị xã"
STATUS_LABEL = {"on_time": "Đúng hạn", "late": "Trễ hạn", "date_unknown": "Chưa rõ ngày báo cáo", "missing": "Chưa gửi",
                "rejected": "Không hợp lệ"}
VERDICT_LABEL = {"met": "Đạt", "not_met": "Không đạt", "declared": "Đơn vị tự khai", "not_applicable": "Không áp dụng",
                 "unknown": "Chưa xác định", True: "Đủ điều kiện", False: "Chưa đủ điều kiện"}
SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo", "sheet_error": "Lỗi sheet", "file_error": "Lỗi tệp"}
KIND_LABEL = {"COLLECTIVE": "Tập thể", "INDIVIDUAL": "Cá nhân"}
YES, NO = "Có", "Không"
H = {  # column headers
    "stt": "STT", "unit": "Cơ quan, đơn vị, địa phương", "type": "Loại đơn vị", "group": "Nhóm đơn vị",
    "status": "Tình trạng báo cáo", "file": "Tệp báo cáo", "date": "Ngày báo cáo",
    "registry": "Số đơn vị phải báo cáo", "reported": "Đã báo cáo", "on_time": "Đúng hạn", "late": "Trễ hạn",
    "date_unknown": "Chưa rõ ngày báo cáo", "missing": "Chưa gửi", "rejected": "Không hợp lệ", "rate": "Tỷ lệ đã báo cáo (%)",
    "period": "Năm", "indicator": "Chỉ tiêu", "value": "Số liệu", "figure": "Nội dung",
    "plans_issued": "Kế hoạch, văn bản chỉ đạo", "launch_meetings": "Hội nghị phát động, quán triệt",
    "propaganda_sessions": "Buổi tuyên truyền", "propaganda_participants": "Lượt người tham gia",
    "news_items": "Tin, bài", "inspections": "Cuộc kiểm tra, giám sát",
    "content_area": "Nội dung thi đua", "activities": "Số hoạt động, phần việc", "total": "Tổng cộng",
    "units_good": "Số đơn vị tự đánh giá “Tốt” (cả giai đoạn)",
    "field": "Lĩnh vực", "models": "Số mô hình", "recognised": "Đã được công nhận", "replicated": "Đã nhân rộng",
    "recognised_pct": "Tỷ lệ được công nhận (%)", "replicated_pct": "Tỷ lệ nhân rộng (%)",
    "recognition": "Cấp công nhận", "model_name": "Tên mô hình", "kind": "Tập thể/cá nhân",
    "implementer": "Tập thể, cá nhân thực hiện", "start_year": "Năm bắt đầu", "places": "Số nơi nhân rộng",
    "beneficiaries": "Số người tham gia, hưởng lợi", "effect": "Hiệu quả", "source": "Nguồn (tệp, sheet, dòng)",
    "year": "Năm", "level": "Mức xếp loại", "units_n": "Số đơn vị", "score": "Điểm",
    "award_form": "Hình thức khen thưởng", "collectives": "Tập thể được khen", "individuals": "Cá nhân được khen",
    "nominee": "Tập thể/cá nhân được đề nghị", "crit_a": "Tiêu chí a", "crit_b": "Tiêu chí b",
    "crit_c": "Tiêu chí c", "crit_d": "Tiêu chí d", "eligible": "Kết luận", "reasons": "Lý do",
    "rank": "Thứ hạng", "points": "Tổng điểm xếp hạng",
    "sheet": "Sheet", "cell": "Ô", "rule": "Quy tắc", "severity": "Mức độ", "message": "Nội dung cần sửa",
    "count": "Số lượng",
}
SECTION_TITLES = {
    "overview": "Số liệu chủ yếu",
    "reporting": "Tình hình báo cáo của các cơ quan, đơn vị, địa phương",
    "reporting_units": "Tình trạng báo cáo của từng đơn vị",
    "leadership": "Công tác lãnh đạo, chỉ đạo, tuyên truyền",
    "content": "Kết quả thực hiện các nội dung thi đua",
    "models_field": "Mô hình “Dân vận khéo” theo lĩnh vực",
    "models_recognition": "Mô hình “Dân vận khéo” theo cấp công nhận",
    "models_list": "Danh sách mô hình “Dân vận khéo”",
    "classification": "Kết quả xếp loại công tác dân vận chính quyền",
    "awards_given": "Khen thưởng theo thẩm quyền của các đơn vị",
    "proposals": "Đề nghị Chủ tịch UBND thị xã khen thưởng và kết quả xét tiêu chuẩn",
    "ranking": "Xếp hạng đề nghị khen thưởng (để chọn 01 tập thể hoặc cá nhân trình Chủ tịch UBND tỉnh)",
    "issues": "Các vấn đề về số liệu cần đơn vị sửa",
}
KEY_FIGURES = {
    "registry": "Số cơ quan, đơn vị, địa phương phải báo cáo",
    "reported": "Số đơn vị đã gửi báo cáo",
    "on_time": "Trong đó: gửi đúng hạn",
    "late": "Trong đó: gửi trễ hạn",
    "date_unknown": "Trong đó: chưa rõ ngày báo cáo",
    "missing": "Số đơn vị chưa gửi báo cáo",
    "staff": "Tổng số CBCCVC và người lao động của các đơn vị đã báo cáo",
    "plans": "Kế hoạch, văn bản chỉ đạo đã ban hành",
    "sessions": "Buổi tuyên truyền đã tổ chức",
    "participants": "Lượt người tham gia tuyên truyền",
    "models": "Mô hình “Dân vận khéo” đã xây dựng",
    "recognised": "Mô hình được cấp có thẩm quyền công nhận",
    "replicated": "Mô hình đã được nhân rộng",
    "units_without_models": "Đơn vị đã báo cáo nhưng chưa có mô hình",
    "proposals": "Đề nghị Chủ tịch UBND thị xã khen thưởng",
    "eligible": "Đề nghị đủ tiêu chuẩn theo mục III",
    "errors": "Lỗi số liệu cần đơn vị sửa",
    "warnings": "Cảnh báo số liệu cần kiểm tra",
}
REPORT_HEADING = "BÁO CÁO"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ISSUER = "UBND THỊ XÃ ĐỨC PHỔ"
DOC_NUMBER = "Số:       /BC-UBND"
PLACE_DATE = "Đức Phổ, ngày      tháng      năm 2023"
PLACEHOLDER = "[Cần bổ sung: {what}]"
QUOTED_INTRO = "Tham khảo ý kiến của các đơn vị (trích nguyên văn):"
HTML_TITLE = "Tổng hợp sơ kết phong trào thi đua “Dân vận khéo”"
GENERATED = "Lập tự động lúc {when} từ {n} báo cáo của các đơn vị."
OUTLINE = {
    "I": "I. TÌNH HÌNH TRIỂN KHAI VÀ BÁO CÁO",
    "II": "II. KẾT QUẢ THỰC HIỆN PHONG TRÀO",
    "II.1": "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền",
    "II.2": "2. Kết quả thực hiện các nội dung thi đua",
    "II.3": "3. Xây dựng và nhân rộng mô hình “Dân vận khéo”",
    "II.4": "4. Kết quả xếp loại công tác dân vận chính quyền",
    "II.5": "5. Công tác khen thưởng",
    "II.6": "6. Tác động của phong trào đối với nhiệm vụ chính trị",
    "III": "III. ĐÁNH GIÁ CHUNG",
    "IV": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2023 – 2025",
    "V": "V. KIẾN NGHỊ, ĐỀ XUẤT",
    "appendix": "PHỤ LỤC",
    "data": "Các vấn đề về số liệu",
}
DOC_SENTENCES = {
    "reporting": ("Thực hiện {plan_reference}, có {reported}/{registry} cơ quan, đơn vị, địa phương gửi báo cáo sơ kết "
                  "({on_time} đơn vị đúng hạn, {late} đơn vị trễ hạn{date_unknown_text}); {missing} đơn vị chưa gửi báo cáo{missing_names}."),
    "leadership": ("Giai đoạn 2020 – 6 tháng đầu năm 2023, các cơ quan, đơn vị, địa phương đã ban hành {plans} kế hoạch, "
                   "văn bản chỉ đạo; tổ chức {launch} hội nghị phát động, quán triệt; {sessions} buổi tuyên truyền với "
                   "{participants} lượt người tham gia; đăng {news} tin, bài; thực hiện {inspections} cuộc kiểm tra, giám sát."),
    "content": "Tổng số hoạt động, phần việc đã thực hiện theo từng nội dung thi đua của Kế hoạch như sau:",
    "models": ("Toàn thị xã có {models} mô hình “Dân vận khéo”, trong đó {recognised} mô hình được cấp có thẩm quyền "
               "công nhận ({recognised_pct}) và {replicated} mô hình đã được nhân rộng ({replicated_pct}). "
               "Khối xã, phường có {models_commune} mô hình; khối cơ quan, đơn vị thị xã có {models_town} mô hình. "
               "{no_models} đơn vị đã báo cáo nhưng chưa có mô hình{no_model_names}."),
    "classification": "Kết quả xếp loại công tác dân vận chính quyền hằng năm của các đơn vị đã báo cáo:",
    "awards_given": ("Các đơn vị đã khen thưởng theo thẩm quyền {collectives} lượt tập thể và {individuals} lượt cá nhân "
                     "có thành tích trong phong trào."),
    "proposals": ("Có {proposals} đơn vị đề nghị Chủ tịch UBND thị xã tặng Giấy khen; qua đối chiếu tiêu chuẩn tại mục III "
                  "của Hướng dẫn, {eligible} đề nghị đủ tiêu chuẩn, {not_eligible} đề nghị chưa đủ tiêu chuẩn."),
    "top": "Đề xuất trình Chủ tịch UBND tỉnh tặng Bằng khen: {nominee} ({unit}), điểm xếp hạng cao nhất ({score} điểm).",
    "data": "Còn {errors} lỗi và {warnings} cảnh báo về số liệu ở {files} tệp báo cáo; danh sách chi tiết tại bảng tổng hợp.",
}
PLACEHOLDERS = {
    "situation": "đặc điểm tình hình, thuận lợi, khó khăn của thị xã khi triển khai phong trào",
    "content": "nhận xét kết quả nổi bật, giải pháp, cách làm sáng tạo của từng nội dung thi đua",
    "models": "nhận xét về các mô hình tiêu biểu",
    "impact": "đánh giá tác động của phong trào đối với nhiệm vụ chính trị, gắn với việc Học tập và làm theo tư tưởng, "
              "đạo đức, phong cách Hồ Chí Minh",
    "achievements": "kết quả đạt được",
    "shortcomings": "tồn tại, hạn chế",
    "causes": "nguyên nhân của tồn tại, hạn chế",
    "lessons": "bài học kinh nghiệm",
    "recommendations": "kiến nghị, đề xuất với Tỉnh ủy, UBND tỉnh, Sở Nội vụ",
    "directions": "phương hướng, nhiệm vụ và giải pháp giai đoạn 2023 – 2025",
}
RECIPIENTS = ("Nơi nhận:", ["- Sở Nội vụ tỉnh Quảng Ngãi;", "- TT Thị ủy, TT HĐND thị xã;", "- CT, các PCT UBND thị xã;",
                            "- Ban Dân vận Thị ủy;", "- Lưu: VT, TCNV."])
SIGNATURE = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "[Cần bổ sung: họ tên người ký]")
RANKING_TERMS_LABEL = {
    "model_name": "Mô hình làm căn cứ", "recognition_label": "Cấp công nhận",
    "recognition_points": "Điểm cấp công nhận", "replication_points": "Điểm nhân rộng",
    "places_points": "Điểm số nơi nhân rộng", "classification_points": "Điểm xếp loại HTXS",
    "people_points": "Điểm số người hưởng lợi",
}
# =============================================================================
RANKING_TERMS = ["recognition_points", "replication_points", "places_points", "classification_points", "people_points"]


@dataclass
class Section:
    key: str
    title: str
    df: pd.DataFrame
    number_columns: list[str] = field(default_factory=list)
    percent_columns: list[str] = field(default_factory=list)
    note: str = ""


def _vc(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col] if col in df.columns else pd.Series([None] * len(df), index=df.index, dtype=object)


def _pct(num: float, den: float) -> float:
    return round(100.0 * num / den, 1) if den else 0.0


def _group_order(plan: Plan) -> list[str]:
    return plan.groups


def _with_total(df: pd.DataFrame, label_col: str, sum_cols: list[str]) -> pd.DataFrame:
    total = {c: df[c].sum() for c in sum_cols}
    total[label_col] = TOWN_TOTAL
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


LEADERSHIP_INDICATORS = ["plans_issued", "launch_meetings", "propaganda_sessions", "propaganda_participants",
                         "news_items", "inspections"]


def leadership_wide(lead: pd.DataFrame) -> pd.DataFrame:
    """unit × period rows with one column per indicator (the normalised table is long)."""
    if "indicator_code" not in lead.columns:
        return lead
    keys = [c for c in ("unit_code", "unit_group", "period_code", "period_label", "year") if c in lead.columns]
    wide = lead.pivot_table(index=keys, columns="indicator_code", values="value", aggfunc="sum").reset_index()
    wide.columns.name = None
    return wide.reindex(columns=keys + [c for c in LEADERSHIP_INDICATORS if c not in keys], fill_value=0)


def proposals_wide(verdicts: pd.DataFrame) -> pd.DataFrame:
    """One row per proposal with crit_a..crit_d verdict labels and `eligible` (verdicts may be long)."""
    if "criterion" not in verdicts.columns:
        v = verdicts.copy()
        if "eligible" not in v.columns and "is_eligible" in v.columns:
            v["eligible"] = v["is_eligible"]
        for c in ("crit_a", "crit_b", "crit_c", "crit_d"):
            if c in v.columns:
                v[c] = v[c].map(lambda x: VERDICT_LABEL.get(x, x))
        return v
    from pipeline.awards import proposal_summary

    labels = dict(zip(verdicts["verdict"], verdicts["verdict_label"])) if "verdict_label" in verdicts else {}
    wide = proposal_summary(verdicts)
    for c in ("crit_a", "crit_b", "crit_c", "crit_d"):
        wide[c] = wide[c].map(lambda x: labels.get(x, VERDICT_LABEL.get(x, x)) if isinstance(x, str) and x else
                              VERDICT_LABEL["not_applicable"])
    wide["eligible"] = wide["is_eligible"].astype(bool)
    if "recipient_kind_code" not in wide.columns:
        wide["recipient_kind"] = wide["recipient_kind_label"]
    return wide


def key_figures(bundle: dict, plan: Plan) -> dict[str, int]:
    """The overview's figures, each from the bundle's normalised tables."""
    t = bundle["tables"]
    units = t["units"]
    status = units["status"].value_counts()
    lead = leadership_wide(t.get("leadership", pd.DataFrame()))
    models = t.get("models", pd.DataFrame())
    reported = set(units.loc[units["is_reported"].astype(bool), "unit_code"])
    verdicts = proposals_wide(bundle.get("verdicts", pd.DataFrame()))
    issues = bundle.get("issues", pd.DataFrame())
    sev = issues["severity"].value_counts() if len(issues) else pd.Series(dtype=int)

    def lsum(col):
        return int(pd.to_numeric(_vc(lead, col), errors="coerce").fillna(0).sum()) if len(lead) else 0

    with_models = set(models["unit_code"]) if len(models) else set()
    figures = {
        "registry": len(units),
        "reported": len(reported),
        "on_time": int(status.get("on_time", 0)),
        "late": int(status.get("late", 0)),
        "date_unknown": int(status.get("date_unknown", 0)),
        "missing": int(status.get("missing", 0) + status.get("rejected", 0)),
        "staff": int(pd.to_numeric(_vc(units, "staff_total"), errors="coerce").fillna(0).sum()),
        "plans": lsum("plans_issued"),
        "sessions": lsum("propaganda_sessions"),
        "participants": lsum("propaganda_participants"),
        "models": len(models),
        "recognised": int(models["is_recognised"].astype(bool).sum()) if len(models) else 0,
        "replicated": int(models["is_replicated"].astype(bool).sum()) if len(models) else 0,
        "units_without_models": len(reported - with_models),
        "proposals": len(verdicts),
        "eligible": int(verdicts["eligible"].astype(bool).sum()) if len(verdicts) else 0,
        "errors": int(sum(v for k, v in sev.items() if k != "warning")),
        "warnings": int(sev.get("warning", 0)),
    }
    # Where the aggregate stage computed a figure, the report prints that one.
    agg = bundle.get("aggregates") or {}

    def town(name):
        df = agg.get(name)
        return df[df["scope_kind"] == "town"] if df is not None and "scope_kind" in df.columns else None

    rep = town("reporting")
    if rep is not None and len(rep):
        r = rep.iloc[0]
        figures |= {"registry": int(r["expected"]), "reported": int(r["reported"]), "on_time": int(r["on_time"]),
                    "late": int(r["late"]), "date_unknown": int(r["date_unknown"]),
                    "missing": int(r["missing"]) + int(r["rejected"])}
    ms = town("models_summary")
    if ms is not None and len(ms):
        r = ms.iloc[0]
        figures |= {"models": int(r["models"]), "recognised": int(r["recognised"]), "replicated": int(r["replicated"]),
                    "units_without_models": int(r["units_without_models"])}
    ld = town("leadership_by_period")
    if ld is not None and len(ld):
        from pipeline.aggregate import ALL_PERIODS_CODE

        ld = ld[ld["period_code"] == ALL_PERIODS_CODE]
        figures |= {"plans": int(ld["plans_issued"].sum()), "sessions": int(ld["propaganda_sessions"].sum()),
                    "participants": int(ld["propaganda_participants"].sum())}
    return figures


def sections(bundle: dict, plan: Plan) -> dict[str, Section]:
    t = bundle["tables"]
    units = t["units"].copy()
    groups = _group_order(plan)
    out: dict[str, Section] = {}

    kf = key_figures(bundle, plan)
    out["overview"] = Section("overview", SECTION_TITLES["overview"],
                              pd.DataFrame({H["figure"]: [KEY_FIGURES[k] for k in kf], H["value"]: list(kf.values())}),
                              [H["value"]])

    # -- reporting ------------------------------------------------------------
    rows = []
    for g in groups:
        u = units[units["unit_group"] == g]
        s = u["status"].value_counts()
        rows.append({H["group"]: g, H["registry"]: len(u), H["reported"]: int(u["is_reported"].astype(bool).sum()),
                     H["on_time"]: int(s.get("on_time", 0)), H["late"]: int(s.get("late", 0)),
                     H["date_unknown"]: int(s.get("date_unknown", 0)),
                     H["missing"]: int(s.get("missing", 0)), H["rejected"]: int(s.get("rejected", 0))})
    rep = _with_total(pd.DataFrame(rows), H["group"], [H["registry"], H["reported"], H["on_time"], H["late"],
                                                         H["date_unknown"], H["missing"], H["rejected"]])
    rep[H["rate"]] = [_pct(a, b) for a, b in zip(rep[H["reported"]], rep[H["registry"]])]
    out["reporting"] = Section("reporting", SECTION_TITLES["reporting"], rep,
                               [H["registry"], H["reported"], H["on_time"], H["late"], H["date_unknown"], H["missing"],
                                H["rejected"]],
                               [H["rate"]])
    dates = pd.to_datetime(_vc(units, "report_date"), errors="coerce")
    ru = pd.DataFrame({
        H["stt"]: range(1, len(units) + 1), H["unit"]: units["unit_name"], H["type"]: units["unit_type"],
        H["group"]: units["unit_group"], H["status"]: units["status"].map(STATUS_LABEL).fillna(units["status"]),
        H["date"]: dates.dt.strftime("%d/%m/%Y").fillna(""), H["file"]: _vc(units, "source_file" if "source_file" in units.columns else "file").fillna(""),
    })
    out["reporting_units"] = Section("reporting_units", SECTION_TITLES["reporting_units"], ru, [H["stt"]])

    # -- leadership -----------------------------------------------------------
    lead = leadership_wide(t.get("leadership", pd.DataFrame()))
    ind = LEADERSHIP_INDICATORS
    ind = [c for c in ind if c in lead.columns]
    period_labels = plan.labels("periods")
    rows = []
    for p in period_labels:
        for g in [*groups, TOWN_TOTAL]:
            sel = lead[lead["period_label"] == p] if len(lead) else lead
            if g != TOWN_TOTAL and len(sel):
                sel = sel[sel["unit_group"] == g]
            rows.append({H["period"]: p, H["group"]: g,
                         **{H[c]: int(pd.to_numeric(sel[c], errors="coerce").fillna(0).sum()) if len(sel) else 0 for c in ind}})
    sel = lead
    rows.append({H["period"]: H["total"], H["group"]: TOWN_TOTAL,
                 **{H[c]: int(pd.to_numeric(sel[c], errors="coerce").fillna(0).sum()) if len(sel) else 0 for c in ind}})
    out["leadership"] = Section("leadership", SECTION_TITLES["leadership"], pd.DataFrame(rows), [H[c] for c in ind])

    # -- content areas ---------------------------------------------------------
    cr = t.get("content_results", pd.DataFrame())
    rows = []
    good = plan.codes("self_assessment_levels")[0]
    sa_col = "self_assessment_code" if "self_assessment_code" in cr.columns else "self_assessment"
    for a in plan.labels("content_areas"):
        sel = cr[cr["content_area_label"] == a] if len(cr) else cr
        row = {H["content_area"]: a}
        for p in period_labels:
            row[p] = int(pd.to_numeric(sel.loc[sel["period_label"] == p, "activities"], errors="coerce").fillna(0).sum()) if len(sel) else 0
        row[H["total"]] = sum(row[p] for p in period_labels)
        row[H["units_good"]] = int(sel.loc[sel[sa_col] == good, "unit_code"].nunique()) if len(sel) else 0
        rows.append(row)
    cdf = _with_total(pd.DataFrame(rows), H["content_area"], [*period_labels, H["total"]])
    cdf.loc[cdf.index[-1], H["units_good"]] = None
    out["content"] = Section("content", SECTION_TITLES["content"], cdf, [*period_labels, H["total"], H["units_good"]])

    # -- models --------------------------------------------------------------
    models = t.get("models", pd.DataFrame())
    rows = []
    for f in plan.labels("fields"):
        sel = models[models["field_label"] == f] if len(models) else models
        row = {H["field"]: f}
        for g in groups:
            row[g] = int((sel["unit_group"] == g).sum()) if len(sel) else 0
        row[H["models"]] = len(sel)
        row[H["recognised"]] = int(sel["is_recognised"].astype(bool).sum()) if len(sel) else 0
        row[H["replicated"]] = int(sel["is_replicated"].astype(bool).sum()) if len(sel) else 0
        rows.append(row)
    mf = _with_total(pd.DataFrame(rows), H["field"], [*groups, H["models"], H["recognised"], H["replicated"]])
    mf[H["recognised_pct"]] = [_pct(a, b) for a, b in zip(mf[H["recognised"]], mf[H["models"]])]
    mf[H["replicated_pct"]] = [_pct(a, b) for a, b in zip(mf[H["replicated"]], mf[H["models"]])]
    out["models_field"] = Section("models_field", SECTION_TITLES["models_field"], mf,
                                  [*groups, H["models"], H["recognised"], H["replicated"]],
                                  [H["recognised_pct"], H["replicated_pct"]])
    rows = []
    for lvl in plan.labels("recognition_levels"):
        sel = models[models["recognition_label"] == lvl] if len(models) else models
        row = {H["recognition"]: lvl, **{g: int((sel["unit_group"] == g).sum()) if len(sel) else 0 for g in groups}}
        row[H["models"]] = len(sel)
        row[H["replicated"]] = int(sel["is_replicated"].astype(bool).sum()) if len(sel) else 0
        rows.append(row)
    out["models_recognition"] = Section(
        "models_recognition", SECTION_TITLES["models_recognition"],
        _with_total(pd.DataFrame(rows), H["recognition"], [*groups, H["models"], H["replicated"]]),
        [*groups, H["models"], H["replicated"]])
    kinds = {i["code"]: i["label"] for i in plan.items("recipient_kinds")}
    names = dict(zip(units["unit_code"], units["unit_name"]))
    if len(models):
        ml = pd.DataFrame({
            H["stt"]: range(1, len(models) + 1),
            H["unit"]: models["unit_code"].map(names).fillna(models["unit_code"]),
            H["group"]: models["unit_group"], H["model_name"]: models["model_name"],
            H["field"]: models["field_label"], H["content_area"]: models["content_area_label"],
            H["kind"]: _vc(models, "model_kind_code").map(kinds), H["implementer"]: _vc(models, "implementer"),
            H["start_year"]: pd.to_numeric(_vc(models, "start_year"), errors="coerce").astype("Int64"),
            H["recognition"]: models["recognition_label"],
            H["replicated"]: models["is_replicated"].map(lambda v: YES if bool(v) else NO),
            H["places"]: pd.to_numeric(_vc(models, "replication_places"), errors="coerce").astype("Int64"),
            H["beneficiaries"]: pd.to_numeric(_vc(models, "beneficiaries"), errors="coerce").astype("Int64"),
            H["effect"]: _vc(models, "effect"),
            H["source"]: [f"{f}, {s}, dòng {r}" for f, s, r in zip(_vc(models, "source_file"), _vc(models, "sheet"),
                                                                  _vc(models, "excel_row"))],
        })
    else:
        ml = pd.DataFrame(columns=[H["stt"], H["unit"], H["model_name"]])
    out["models_list"] = Section("models_list", SECTION_TITLES["models_list"], ml,
                                 [H["stt"], H["places"], H["beneficiaries"]])

    # -- classification ---------------------------------------------------------
    cls = t.get("classification", pd.DataFrame())
    rows = []
    for lvl in plan.labels("classification_levels"):
        row = {H["level"]: lvl}
        for y in plan.classification_years:
            row[str(y)] = int(((cls["classification_year"] == y) & (cls["level_label"] == lvl)).sum()) if len(cls) else 0
        rows.append(row)
    years = [str(y) for y in plan.classification_years]
    out["classification"] = Section("classification", SECTION_TITLES["classification"],
                                    _with_total(pd.DataFrame(rows), H["level"], years), years)

    # -- awards given -------------------------------------------------------------
    ag = t.get("awards_given", pd.DataFrame())
    rows = []
    for p in period_labels:
        for form in plan.labels("own_award_forms"):
            sel = ag[(ag["period_label"] == p) & (ag["award_form_label"] == form)] if len(ag) else ag
            c = int(sel.loc[sel["recipient_kind_code"] == "COLLECTIVE", "count"].sum()) if len(sel) else 0
            i = int(sel.loc[sel["recipient_kind_code"] == "INDIVIDUAL", "count"].sum()) if len(sel) else 0
            rows.append({H["period"]: p, H["award_form"]: form, H["collectives"]: c, H["individuals"]: i})
    agd = pd.DataFrame(rows)
    agd = pd.concat([agd, pd.DataFrame([{H["period"]: H["total"], H["award_form"]: "",
                                         H["collectives"]: agd[H["collectives"]].sum(),
                                         H["individuals"]: agd[H["individuals"]].sum()}])], ignore_index=True)
    out["awards_given"] = Section("awards_given", SECTION_TITLES["awards_given"], agd,
                                  [H["collectives"], H["individuals"]])

    # -- proposals and ranking ------------------------------------------------------
    v = proposals_wide(bundle.get("verdicts", pd.DataFrame()))
    if len(v):
        vd = pd.DataFrame({
            H["stt"]: range(1, len(v) + 1),
            H["unit"]: v["unit_code"].map(names).fillna(_vc(v, "unit_name")),
            H["nominee"]: _vc(v, "nominee_name"),
            H["kind"]: _vc(v, "recipient_kind_label") if "recipient_kind_label" in v else
            _vc(v, "recipient_kind_code").map(KIND_LABEL),
            **{H[c]: _vc(v, c) for c in ("crit_a", "crit_b", "crit_c", "crit_d")},
            H["eligible"]: v["eligible"].map(lambda x: VERDICT_LABEL[bool(x)]),
            H["reasons"]: _vc(v, "reasons").fillna(""),
        })
    else:
        vd = pd.DataFrame(columns=[H["stt"], H["unit"], H["nominee"], H["eligible"]])
    out["proposals"] = Section("proposals", SECTION_TITLES["proposals"], vd, [H["stt"]])
    r = bundle.get("ranking", pd.DataFrame())
    if len(r):
        score = "score_total" if "score_total" in r.columns else "score"
        rd = pd.DataFrame({H["rank"]: r["rank"].astype(int), H["unit"]: r["unit_code"].map(names).fillna(_vc(r, "unit_name")),
                           H["nominee"]: _vc(r, "nominee_name")})
        terms = [c for c in RANKING_TERMS if c in r.columns]
        for c in ("model_name", "recognition_label"):
            if c in r.columns:
                rd[RANKING_TERMS_LABEL[c]] = r[c]
        for c in terms:
            rd[RANKING_TERMS_LABEL[c]] = r[c]
        rd[H["points"]] = r[score]
        num = [RANKING_TERMS_LABEL[c] for c in terms] + [H["points"]]
    else:
        rd = pd.DataFrame(columns=[H["rank"], H["unit"], H["nominee"], H["points"]])
        num = [H["points"]]
    out["ranking"] = Section("ranking", SECTION_TITLES["ranking"], rd, [H["rank"]], num)

    # -- data problems ----------------------------------------------------------------
    iss = bundle.get("issues", pd.DataFrame())
    if len(iss):
        idf = pd.DataFrame({
            H["stt"]: range(1, len(iss) + 1), H["unit"]: _vc(iss, "unit_code").map(names).fillna(_vc(iss, "unit_code")),
            H["file"]: iss["file"], H["sheet"]: _vc(iss, "sheet"), H["cell"]: _vc(iss, "cell"),
            H["severity"]: iss["severity"].map(SEVERITY_LABEL).fillna(iss["severity"]),
            H["message"]: iss["message"],
        })
    else:
        idf = pd.DataFrame(columns=[H["stt"], H["unit"], H["file"], H["sheet"], H["cell"], H["severity"], H["message"]])
    out["issues"] = Section("issues", SECTION_TITLES["issues"], idf, [H["stt"]])
    return out


# =============================================================================
# great-tables HTML
# =============================================================================
HTML_SECTIONS = ["overview", "reporting", "reporting_units", "leadership", "content", "models_field",
                 "models_recognition", "classification", "awards_given", "proposals", "ranking", "issues"]
_EXTERNAL = re.compile(r"@import\s+url\([^)]*\)\s*;?|<link\b[^>]*>|<script\b[^>]*\bsrc=[^>]*>\s*</script>", re.I)


def strip_external(markup: str) -> str:
    """Remove anything that would make a browser fetch a URL (fonts, CSS, scripts)."""
    return _EXTERNAL.sub("", markup)


def gt_html(sec: Section, is_demo: bool) -> str:
    from great_tables import GT

    df = sec.df.copy()
    df.columns = [str(c) for c in df.columns]
    tbl = GT(df).tab_header(title=sec.title, subtitle=DEMO_BANNER if is_demo else None)
    nums = [c for c in sec.number_columns if c in df.columns]
    if nums:
        tbl = tbl.fmt_integer(columns=nums, sep_mark=".")
    pcts = [c for c in sec.percent_columns if c in df.columns]
    if pcts:
        tbl = tbl.fmt_number(columns=pcts, decimals=1, dec_mark=",", sep_mark=".")
    tbl = tbl.sub_missing(missing_text="").opt_table_font(font=["Times New Roman", "DejaVu Serif", "serif"])
    tbl = tbl.tab_options(table_font_size="14px", heading_title_font_size="17px")
    if sec.note:
        tbl = tbl.tab_source_note(sec.note)
    return strip_external(tbl.as_raw_html())


def write_tables(folder: Path, secs: dict[str, Section], is_demo: bool) -> list[Path]:
    from pipeline.files import atomic_path

    paths = []
    for i, key in enumerate(HTML_SECTIONS, 1):
        path = folder / f"{i:02d}_{key}.html"
        page = _page(secs[key].title, gt_html(secs[key], is_demo), is_demo)
        with atomic_path(path) as tmp:
            tmp.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


_CSS = """
body{font-family:'Times New Roman','DejaVu Serif',serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.6em;text-align:center} h2{margin-top:2em;border-bottom:2px solid #333;padding-bottom:.2em}
h3{margin-top:1.4em}
.demo{border:3px dashed #000;background:#eee;padding:.6em 1em;font-weight:bold;font-size:1.2em;text-align:center}
figure{margin:1em 0;text-align:center} figure img{max-width:100%;border:1px solid #ccc}
nav ol{columns:2} .meta{text-align:center;color:#444}
"""


def _page(title: str, body: str, is_demo: bool) -> str:
    banner = f'<p class="demo">{html.escape(DEMO_BANNER)}</p>' if is_demo else ""
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>{banner}{body}{banner}</body></html>\n")


# (anchor, heading, [section keys], [chart stems])
REPORT_LAYOUT = [
    ("tong-quan", "I. Tình hình báo cáo và số liệu chủ yếu", ["overview", "reporting", "reporting_units"], ["reporting_status"]),
    ("lanh-dao", "II.1. Lãnh đạo, chỉ đạo, tuyên truyền", ["leadership"], ["propaganda_by_year"]),
    ("noi-dung", "II.2. Kết quả các nội dung thi đua", ["content"], []),
    ("mo-hinh", "II.3. Mô hình “Dân vận khéo”", ["models_field", "models_recognition"],
     ["models_by_field_group", "models_recognised_replicated"]),
    ("xep-loai", "II.4. Xếp loại công tác dân vận chính quyền", ["classification"], ["classification_by_year"]),
    ("khen-thuong", "II.5. Khen thưởng và đề nghị khen thưởng", ["awards_given", "proposals", "ranking"], []),
    ("so-lieu", "Phụ lục. Các vấn đề về số liệu", ["issues"], []),
]


def write_report_html(path: Path, secs: dict[str, Section], charts: dict[str, Path], plan: Plan, is_demo: bool,
                      n_reports: int) -> Path:
    from pipeline.files import atomic_path

    parts = [f"<h1>{html.escape(HTML_TITLE)}</h1>",
             f'<p class="meta">{html.escape(plan.review["title"])}<br>{html.escape(plan.review["town"])}, '
             f'{html.escape(plan.review["province"])}<br>'
             f'{html.escape(GENERATED.format(when=dt.datetime.now().strftime("%H:%M %d/%m/%Y"), n=n_reports))}</p>',
             "<nav><ol>" + "".join(f'<li><a href="#{a}">{html.escape(h)}</a></li>' for a, h, _, _ in REPORT_LAYOUT)
             + "</ol></nav>"]
    for anchor, heading, keys, stems in REPORT_LAYOUT:
        parts.append(f'<section id="{anchor}"><h2>{html.escape(heading)}</h2>')
        for stem in stems:
            png = charts.get(stem)
            if png and png.exists():
                data = base64.b64encode(png.read_bytes()).decode("ascii")
                parts.append(f'<figure><img alt="{html.escape(stem)}" src="data:image/png;base64,{data}"></figure>')
        for key in keys:
            parts.append(gt_html(secs[key], is_demo=False))
        parts.append("</section>")
    page = _page(HTML_TITLE, "\n".join(parts), is_demo)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


# =============================================================================
# Draft report (.docx)
# =============================================================================
def _fit_columns(tbl, df: pd.DataFrame, section) -> None:
    """Short columns (numbers, yes/no) get just the width they need; long text columns
    share the rest by how much they hold. python-docx needs widths on the grid and cells."""
    usable = section.page_width - section.left_margin - section.right_margin
    from docx.shared import Cm

    per_char, padding = Cm(0.21), Cm(0.45)
    needs, flexible = [], []
    for col in df.columns:
        word = max((len(w) for w in str(col).split()), default=0) + 1  # bold headers are wider
        value = max((len(_fmt_cell(v, False)) for v in df[col].head(200)), default=0)
        if value <= 12:
            needs.append(int(max(word, value, 3) * per_char + padding))
            flexible.append(0)
        else:
            needs.append(int(max(word, 8) * per_char + padding))
            flexible.append(min(value, 40))
    spare = max(usable - sum(needs), 0)
    share = sum(flexible) or 1
    widths = [n + int(spare * f / share) if sum(flexible) else int(n * usable / sum(needs)) for n, f in zip(needs, flexible)]
    tbl.autofit = False
    for column, width in zip(tbl.columns, widths):
        column.width = width  # the grid, which LibreOffice reads
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # each cell, which Word reads


def _fmt(n) -> str:
    try:
        return vn_int(n)
    except (TypeError, ValueError):
        return "" if n is None or (isinstance(n, float) and pd.isna(n)) else str(n)


def _fmt_cell(v, is_pct: bool) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if is_pct:
        return f"{float(v):.1f}".replace(".", ",")
    if isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_)):
        return _fmt(v)
    return str(v)


def write_docx(path: Path, bundle: dict, secs: dict[str, Section], charts: dict[str, Path], plan: Plan,
               is_demo: bool) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from pipeline.files import atomic_path

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    def para(text="", bold=False, italic=False, size=None, align=None, indent=True, color=None):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent and align is None:
            p.paragraph_format.first_line_indent = Cm(1)
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = color
        return p

    def placeholder(what: str):
        para(PLACEHOLDER.format(what=what), bold=True, italic=True)

    # Header on every page: DỰ THẢO (and DỮ LIỆU MẪU).
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    hr = hp.add_run(DRAFT + (" – DỮ LIỆU MẪU" if is_demo else ""))
    hr.bold = True
    hr.font.size = Pt(12)

    # National heading: two columns, no borders.
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    head.autofit = False
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6), Cm(10.5)
    head.columns[0].width, head.columns[1].width = Cm(6), Cm(10.5)
    for cell, lines in ((left, [(ISSUER, True), ("―――――", False), (DOC_NUMBER, False)]),
                        (right, [(NATIONAL, True), (MOTTO, True), ("―――――――――――――", False), (PLACE_DATE, False)])):
        cell.paragraphs[0].text = ""
        for i, (text, bold) in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            r = p.add_run(text)
            r.bold = bold
            r.font.size = Pt(12 if text == NATIONAL else 13)
            r.italic = text == PLACE_DATE
    para()
    stamp = para(DRAFT, bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    stamp.paragraph_format.space_after = Pt(0)
    if is_demo:
        para(DEMO_BANNER, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(REPORT_HEADING, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_after = Pt(0)
    para(plan.review["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    def heading(text):
        p = para(text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.space_before = Pt(6)

    def table(key: str, columns: list[str] | None = None, rows=None):
        s = secs[key]
        df = s.df if rows is None else s.df[rows(s.df)]
        if columns:
            df = df[[c for c in columns if c in df.columns]]
        cap = para(s.title, italic=True, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
        cap.paragraph_format.space_after = Pt(2)
        tbl = doc.add_table(rows=1, cols=len(df.columns))
        tbl.style = "Table Grid"
        from docx.oxml import OxmlElement

        tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
        for tag in ("w:tblHeader", "w:cantSplit"):  # header row repeats on every page, never split
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, col in zip(tbl.rows[0].cells, df.columns):
            cell.text = ""
            r = cell.paragraphs[0].add_run(str(col))
            r.bold = True
            r.font.size = Pt(11)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for row in df.itertuples(index=False):
            cells = tbl.add_row().cells
            for cell, col, v in zip(cells, df.columns, row):
                r = cell.paragraphs[0].add_run(_fmt_cell(v, col in s.percent_columns))
                r.font.size = Pt(11)
                if str(row[0]) in (TOWN_TOTAL, H["total"]):
                    r.bold = True
                if col in s.number_columns or col in s.percent_columns:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _fit_columns(tbl, df, doc.sections[-1])
        doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def picture(stem: str):
        png = charts.get(stem)
        if png and png.exists():
            doc.add_picture(str(png), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def quotes(topic_code: str):
        a = bundle["tables"].get("assessments", pd.DataFrame())
        if not len(a):
            return
        col = "topic_code" if "topic_code" in a.columns else "topic"
        sel = a[a[col] == topic_code]
        if not len(sel):
            return
        names = dict(zip(bundle["tables"]["units"]["unit_code"], bundle["tables"]["units"]["unit_name"]))
        para(QUOTED_INTRO, italic=True, size=12)
        for text, grp in sel.groupby("text", sort=False):
            who = ", ".join(grp["unit_code"].map(names).fillna(grp["unit_code"]))
            p = doc.add_paragraph(style="Quote") if "Quote" in [s.name for s in doc.styles] else doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(1)
            r = p.add_run(f"“{text}” ({who})")
            r.italic = True
            r.font.size = Pt(12)

    kf = key_figures(bundle, plan)
    units = bundle["tables"]["units"]
    missing_names = units.loc[~units["is_reported"].astype(bool), "unit_name"].tolist()

    heading(OUTLINE["I"])
    para(DOC_SENTENCES["reporting"].format(
        plan_reference=plan.review["plan_reference"], reported=kf["reported"], registry=kf["registry"],
        on_time=kf["on_time"], late=kf["late"], missing=kf["missing"],
        date_unknown_text=f", {kf['date_unknown']} đơn vị chưa rõ ngày báo cáo" if kf["date_unknown"] else "",
        missing_names=f" ({', '.join(missing_names)})" if missing_names else ""))
    placeholder(PLACEHOLDERS["situation"])
    table("reporting")

    heading(OUTLINE["II"])
    heading(OUTLINE["II.1"])
    lead = secs["leadership"].df.iloc[-1]
    para(DOC_SENTENCES["leadership"].format(
        plans=_fmt(lead.get(H["plans_issued"])), launch=_fmt(lead.get(H["launch_meetings"])),
        sessions=_fmt(lead.get(H["propaganda_sessions"])), participants=_fmt(lead.get(H["propaganda_participants"])),
        news=_fmt(lead.get(H["news_items"])), inspections=_fmt(lead.get(H["inspections"]))))
    table("leadership", columns=[H["period"], *[H[c] for c in LEADERSHIP_INDICATORS]],
          rows=lambda d: d[H["group"]] == TOWN_TOTAL)
    picture("propaganda_by_year")

    heading(OUTLINE["II.2"])
    para(DOC_SENTENCES["content"])
    table("content")
    placeholder(PLACEHOLDERS["content"])

    heading(OUTLINE["II.3"])
    mf = secs["models_field"].df
    tot = mf.iloc[-1]
    g_commune, g_town = (plan.groups + ["", ""])[:2]
    reported = set(units.loc[units["is_reported"].astype(bool), "unit_code"])
    models = bundle["tables"].get("models", pd.DataFrame())
    without = sorted(reported - set(models["unit_code"] if len(models) else []))
    names = dict(zip(units["unit_code"], units["unit_name"]))
    para(DOC_SENTENCES["models"].format(
        models=_fmt(kf["models"]), recognised=_fmt(kf["recognised"]), replicated=_fmt(kf["replicated"]),
        recognised_pct=f"{_fmt_cell(tot[H['recognised_pct']], True)}%",
        replicated_pct=f"{_fmt_cell(tot[H['replicated_pct']], True)}%",
        models_commune=_fmt(tot.get(g_commune, 0)), models_town=_fmt(tot.get(g_town, 0)),
        no_models=kf["units_without_models"],
        no_model_names=f" ({', '.join(names[u] for u in without)})" if without else ""))
    table("models_field")
    picture("models_by_field_group")
    table("models_recognition")
    placeholder(PLACEHOLDERS["models"])

    heading(OUTLINE["II.4"])
    para(DOC_SENTENCES["classification"])
    table("classification")

    heading(OUTLINE["II.5"])
    ag = secs["awards_given"].df.iloc[-1]
    para(DOC_SENTENCES["awards_given"].format(collectives=_fmt(ag[H["collectives"]]), individuals=_fmt(ag[H["individuals"]])))
    para(DOC_SENTENCES["proposals"].format(proposals=kf["proposals"], eligible=kf["eligible"],
                                           not_eligible=kf["proposals"] - kf["eligible"]))

    heading(OUTLINE["II.6"])
    placeholder(PLACEHOLDERS["impact"])

    heading(OUTLINE["III"])
    for i, topic in enumerate(["achievements", "shortcomings", "causes", "lessons"], 1):
        para(f"{i}. {plan.label_of('assessment_topics', topic)}", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        placeholder(PLACEHOLDERS[topic])
        quotes(topic)

    heading(OUTLINE["IV"])
    placeholder(PLACEHOLDERS["directions"])

    heading(OUTLINE["V"])
    placeholder(PLACEHOLDERS["recommendations"])
    quotes("recommendations")
    rk = bundle.get("ranking", pd.DataFrame())
    if len(rk):
        top = rk.sort_values("rank").iloc[0]
        score = top["score_total"] if "score_total" in rk.columns else top["score"]
        para(DOC_SENTENCES["top"].format(nominee=top["nominee_name"], unit=names.get(top["unit_code"], top["unit_code"]),
                                         score=_fmt_cell(score, True).replace(",0", "")), bold=True)
    table("proposals", columns=[H["stt"], H["unit"], H["nominee"], H["kind"], H["eligible"], H["reasons"]])
    table("ranking")

    # Signature block.
    sig = doc.add_table(rows=1, cols=2)
    l, r = sig.rows[0].cells
    p = l.paragraphs[0]
    run = p.add_run(RECIPIENTS[0])
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in RECIPIENTS[1]:
        q = l.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        q.add_run(line).font.size = Pt(11)
    for i, text in enumerate(SIGNATURE):
        q = r.paragraphs[0] if i == 0 else r.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        q.paragraph_format.space_after = Pt(0)
        q.add_run(text).bold = i < 2

    # Appendix: landscape, the model list and the data problems.
    from docx.enum.section import WD_SECTION

    app = doc.add_section(WD_SECTION.NEW_PAGE)
    app.orientation = WD_ORIENT.LANDSCAPE
    app.page_width, app.page_height = Cm(29.7), Cm(21)
    app.left_margin = app.right_margin = Cm(1.5)
    para(OUTLINE["appendix"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    picture("models_recognised_replicated")
    picture("classification_by_year")
    short = secs["models_list"].df
    keep = [c for c in (H["stt"], H["unit"], H["model_name"], H["field"], H["recognition"], H["replicated"],
                        H["places"], H["beneficiaries"]) if c in short.columns]
    secs = dict(secs)
    secs["_models"] = Section("_models", SECTION_TITLES["models_list"], short[keep],
                              [c for c in (H["stt"], H["places"], H["beneficiaries"]) if c in keep])
    table("_models")
    table("awards_given")
    heading(OUTLINE["data"])
    para(DOC_SENTENCES["data"].format(errors=kf["errors"], warnings=kf["warnings"],
                                      files=bundle["issues"]["file"].nunique() if len(bundle.get("issues", [])) else 0))
    with atomic_path(path) as tmp:
        doc.save(tmp)
    return path
