"""Every sentence and label of the town report outputs (workbook, charts, HTML, draft report), reviewed in one place.

Place names, the issuing body, the documents cited, the review period, the
recipients and the signature come from config/plan.toml ([review], [report]);
nothing here names a town. Texts with `{…}` are filled by `words(plan)`.
"""
from __future__ import annotations

from pipeline.messages import YES_NO, competent_level

DEMO_BANNER = "DỮ LIỆU MẪU – số liệu tự sinh để thử nghiệm, không dùng cho báo cáo thật"
DEMO_MARK = "DỮ LIỆU MẪU"
DRAFT = "DỰ THẢO"
NOT_APPLICABLE = "Không áp dụng"
YES, NO = YES_NO


def words(plan) -> dict[str, str]:
    """The plan's own words that the texts below are filled with."""
    review = plan.review
    item = plan.item("recognition_levels", plan.awards["min_recognition_level"])
    return {
        "total_label": plan.total_label, "local_government": review.get("local_government", "UBND"),
        "province_government": review.get("province_government", "UBND tỉnh"), "office": review.get("office", ""),
        "competent": competent_level(plan), "authority": item.get("authority") or item["label"],
        "next_period": plan.raw.get("report", {}).get("next_period", ""),
    }


def fill(text: str, plan) -> str:
    """A text of this module with the plan's words in it."""
    return text.format(**words(plan))


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
    "units_good": "Số đơn vị tự đánh giá “Tốt” ở ít nhất một kỳ",
    "units_base": "Số đơn vị có số liệu", "staff_total": "Tổng số CBCCVC, người lao động",
    "staff_registered": "Số CBCCVC, người lao động đăng ký thi đua", "registered_pct": "Tỷ lệ đăng ký thi đua (%)",
    "recognition_doc": "Số văn bản công nhận", "recognition_date": "Ngày công nhận",
    "conclusion": "Kết luận", "conclusion_text": "Kết luận theo từng tiêu chí", "level_with": "Ngang điểm",
    "criterion": "Tiêu chí", "verdict": "Kết quả", "evidence": "Căn cứ trong báo cáo của đơn vị",
    "field": "Lĩnh vực", "models": "Số mô hình", "recognised": "Được công nhận từ {authority} trở lên",
    "replicated": "Đã nhân rộng",
    "recognised_pct": "Tỷ lệ được công nhận từ {authority} trở lên (%)", "replicated_pct": "Tỷ lệ nhân rộng (%)",
    "recognition": "Cấp công nhận", "model_name": "Tên mô hình", "kind": "Tập thể/cá nhân",
    "implementer": "Tập thể, cá nhân thực hiện", "start_year": "Năm bắt đầu", "places": "Số nơi nhân rộng",
    "beneficiaries": "Số người tham gia, hưởng lợi", "effect": "Hiệu quả", "source": "Nguồn (tệp, sheet, dòng)",
    "year": "Năm", "level": "Mức xếp loại", "units_n": "Số đơn vị", "score": "Điểm",
    "award_form": "Hình thức khen thưởng", "collectives": "Tập thể được khen", "individuals": "Cá nhân được khen",
    "nominee": "Tập thể/cá nhân được đề nghị", "crit_a": "Tiêu chí a", "crit_b": "Tiêu chí b",
    "crit_c": "Tiêu chí c", "crit_d": "Tiêu chí d", "reasons": "Lý do chưa đạt",
    "rank": "Thứ hạng", "points": "Tổng điểm xếp hạng",
    "sheet": "Sheet", "cell": "Ô", "rule": "Quy tắc", "severity": "Mức độ", "message": "Nội dung cần sửa",
    "count": "Số lượng",
    "impact_indicator": "Chỉ tiêu", "units_reporting": "Số đơn vị có số liệu", "mean": "Bình quân các đơn vị",
    "min": "Thấp nhất", "max": "Cao nhất", "sum": "Tổng số", "topic": "Nội dung", "text": "Ý kiến của đơn vị",
    "outstanding": "Kết quả nổi bật", "term": "Thành phần điểm", "rule_text": "Cách tính",
    "weight_status": "Trọng số",
}


def headers(plan) -> dict[str, str]:
    """The column headers with the plan's words filled in."""
    w = words(plan)
    return {k: v.format(**w) for k, v in H.items()}


SECTION_TITLES = {
    "overview": "Số liệu chủ yếu",
    "reporting": "Tình hình báo cáo của các cơ quan, đơn vị, địa phương",
    "reporting_units": "Tình trạng báo cáo của từng đơn vị",
    "staff": "Cán bộ, công chức, viên chức, người lao động đăng ký thi đua",
    "assessment_texts": "Đánh giá chung của các đơn vị: kết quả, tồn tại, nguyên nhân, bài học, kiến nghị",
    "leadership": "Công tác lãnh đạo, chỉ đạo, tuyên truyền",
    "content": "Kết quả thực hiện các nội dung thi đua",
    "outstanding": "Kết quả nổi bật các đơn vị nêu theo từng nội dung thi đua",
    "models_field": "Mô hình “Dân vận khéo” theo lĩnh vực",
    "models_recognition": "Mô hình “Dân vận khéo” theo cấp công nhận",
    "models_list": "Danh sách mô hình “Dân vận khéo”",
    "classification": "Kết quả xếp loại công tác dân vận chính quyền",
    "impact": "Tác động của phong trào: số liệu của các đơn vị theo nhóm",
    "impact_texts": "Tác động của phong trào: ý kiến của các đơn vị",
    "awards_given": "Khen thưởng theo thẩm quyền của các đơn vị",
    "proposals": "Đề nghị Chủ tịch {local_government} khen thưởng và kết quả xét tiêu chuẩn",
    "ranking": ("Gợi ý xếp hạng đề nghị khen thưởng (tài liệu nội bộ, để {office} tham mưu chọn 01 tập thể hoặc "
                "01 cá nhân đề nghị Chủ tịch {province_government} tặng Bằng khen)"),
    "ranking_weights": "Thang điểm gợi ý dùng để xếp hạng",
    "verdicts": "Kết quả đối chiếu từng tiêu chí của các đề nghị khen thưởng",
    "issues": "Các vấn đề về số liệu cần đơn vị sửa",
    "plausibility": ("Số liệu cần xem lại: số liệu khác thường so với các đơn vị cùng nhóm, thay đổi đột ngột, "
                     "không khớp nhau"),
}
SECTION_NOTES = {
    "impact": "Bình quân là bình quân cộng của các đơn vị có số liệu (không gia quyền). Tỷ lệ không cộng dồn.",
    "ranking_default": ("Thang điểm do {office} đề xuất để tham khảo, chưa được lãnh đạo thống nhất; "
                        "thứ tự chỉ là gợi ý, việc lựa chọn do {office} tham mưu, {local_government} quyết định."),
    "ranking_confirmed": ("Thứ tự chỉ là gợi ý theo thang điểm đã thống nhất; việc lựa chọn do {office} tham mưu, "
                          "{local_government} quyết định."),
    "competent": "Cấp có thẩm quyền theo tiêu chí c: từ {authority} trở lên.",
    "base": ("Số liệu mỗi kỳ là tổng của các đơn vị có số liệu của kỳ đó (“n/N”: n đơn vị có số liệu trên N đơn vị "
             "đã báo cáo)."),
    "partial_period": "{label} chỉ gồm {months} tháng, không so sánh trực tiếp với số liệu cả năm.",
    "whole_review": "Cột “Tổng cộng”: {base} đơn vị có số liệu ở ít nhất một kỳ.",
    "proposals": ("Tiêu chí c, d của tập thể và tiêu chí b của cá nhân được đối chiếu với số liệu trong báo cáo của "
                  "đơn vị; tiêu chí a, b của tập thể và tiêu chí a của cá nhân theo kê khai của đơn vị."),
}
KEY_FIGURES = {
    "registry": "Số cơ quan, đơn vị, địa phương phải báo cáo",
    "reported": "Số đơn vị đã gửi báo cáo",
    "on_time": "Trong đó: gửi đúng hạn",
    "late": "Trong đó: gửi trễ hạn",
    "date_unknown": "Trong đó: chưa rõ ngày báo cáo",
    "missing": "Số đơn vị chưa gửi báo cáo",
    "rejected": "Số đơn vị có báo cáo không hợp lệ (bị từ chối)",
    "staff": "Tổng số CBCCVC và người lao động của các đơn vị đã báo cáo",
    "staff_registered": "Số CBCCVC, người lao động đăng ký thi đua",
    "plans": "Kế hoạch, văn bản chỉ đạo đã ban hành",
    "sessions": "Buổi tuyên truyền đã tổ chức",
    "participants": "Lượt người tham gia tuyên truyền",
    "models": "Mô hình “Dân vận khéo” đã xây dựng",
    "recognised": "Mô hình được {competent} công nhận",
    "recognised_any": "Mô hình đã được công nhận ở bất kỳ cấp nào (kể cả đơn vị tự công nhận)",
    "replicated": "Mô hình đã được nhân rộng",
    "units_without_models": "Đơn vị đã báo cáo nhưng chưa có mô hình nào được tổng hợp",
    "proposals": "Đề nghị Chủ tịch {local_government} khen thưởng",
    "eligible": "Đề nghị đạt các tiêu chí kiểm tra được từ số liệu (tiêu chí còn lại theo kê khai của đơn vị)",
    "errors": "Lỗi số liệu cần đơn vị sửa",
    "warnings": "Cảnh báo số liệu cần kiểm tra",
}
# -- draft report (Nghị định 30/2020/NĐ-CP) ----------------------------------------------
REPORT_HEADING = "BÁO CÁO"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE_DATE = "{place}, ngày      tháng      năm {year}"
PLACEHOLDER = "[Cần bổ sung: {what}]"
DATE_UNKNOWN_TEXT = ", {n} đơn vị chưa rõ ngày báo cáo"
SOURCE_CELL = "{file}, {sheet}, dòng {row}"
QUOTED_INTRO = "Ý kiến của các đơn vị (trích nguyên văn):"
QUOTE = "“{text}” ({who})."
MORE_UNITS = " và các đơn vị khác"
MORE_QUOTES = "Các ý kiến khác: xem đầy đủ tại Phụ lục kèm theo (bảng tổng hợp, biểu “{sheet}”)."
SIGNER_PLACEHOLDER = "[Cần bổ sung: họ tên người ký]"
RECIPIENTS_HEADING = "Nơi nhận:"
HTML_TITLE = "Tổng hợp sơ kết phong trào thi đua “Dân vận khéo”"
# report.html: (anchor, heading, [section keys], [chart stems])
REPORT_LAYOUT = [
    ("tong-quan", "I. Tình hình báo cáo và số liệu chủ yếu", ["overview", "reporting", "reporting_units"],
     ["reporting_status"]),
    ("lanh-dao", "II.1. Lãnh đạo, chỉ đạo, tuyên truyền", ["leadership", "staff"], ["propaganda_by_year"]),
    ("noi-dung", "II.2. Kết quả các nội dung thi đua", ["content", "outstanding"], []),
    ("mo-hinh", "II.3. Mô hình “Dân vận khéo”", ["models_field", "models_recognition"],
     ["models_by_field_group", "models_by_recognition", "models_recognised_replicated"]),
    ("xep-loai", "II.4. Xếp loại công tác dân vận chính quyền", ["classification"], ["classification_by_year"]),
    ("khen-thuong", "II.5. Khen thưởng và đề nghị khen thưởng", ["awards_given", "proposals"], []),
    ("tac-dong", "II.6. Tác động của phong trào đối với nhiệm vụ chính trị", ["impact", "impact_texts"], []),
    ("danh-gia", "III. Đánh giá chung của các đơn vị", ["assessment_texts"], []),
    ("xem-lai", "Phụ lục. Số liệu cần xem lại", ["plausibility"], []),
    ("so-lieu", "Phụ lục. Các vấn đề về số liệu", ["issues"], []),
    ("noi-bo", "Tài liệu nội bộ: đối chiếu tiêu chuẩn và gợi ý xếp hạng đề nghị khen thưởng",
     ["verdicts", "ranking", "ranking_weights"], []),
]
GENERATED = "Lập tự động lúc {when} từ {n} báo cáo của các đơn vị."
REPORT_ROWS_NOTE = ("Bảng có {n} dòng; trang này chỉ in {shown} dòng đầu. Bảng đầy đủ có trong bảng tổng hợp Excel "
                    "và ở trang:")
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
    "IV": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {next_period_upper}",
    "V": "V. KIẾN NGHỊ, ĐỀ XUẤT",
    "appendix": "PHỤ LỤC",
    "appendix_note": "(Kèm theo Báo cáo số       /BC-UBND ngày      tháng      năm {year})",
    "data": "Ghi chú về chất lượng số liệu tổng hợp",
}
DOC_SENTENCES = {
    "opening": "Thực hiện {basis}, {local_government} báo cáo kết quả sơ kết như sau:",
    "reporting": ("Có {reported}/{registry} cơ quan, đơn vị, địa phương gửi báo cáo sơ kết "
                  "({on_time} đơn vị đúng hạn, {late} đơn vị trễ hạn{date_unknown_text}); {missing} đơn vị chưa gửi "
                  "báo cáo{missing_names}. {on_time_rule}"),
    "staff": ("Có {registered}/{staff} cán bộ, công chức, viên chức, người lao động của {units} đơn vị có số liệu "
              "đăng ký thi đua ({rate}); cụ thể theo nhóm đơn vị như sau:"),
    "leadership": ("{period_text}, các cơ quan, đơn vị, địa phương đã ban hành {plans} kế hoạch, "
                   "văn bản chỉ đạo; tổ chức {launch} hội nghị phát động, quán triệt; {sessions} buổi tuyên truyền với "
                   "{participants} lượt người tham gia; đăng {news} tin, bài; thực hiện {inspections} cuộc kiểm tra, giám sát."),
    "content": "Tổng số hoạt động, phần việc đã thực hiện theo từng nội dung thi đua của Kế hoạch như sau:",
    "outstanding_area": "{area}: {units} đơn vị nêu kết quả nổi bật.",
    "models": ("{total_label} có {models} mô hình “Dân vận khéo”, trong đó {recognised} mô hình được {competent} "
               "công nhận ({recognised_pct}) và {replicated} mô hình đã được nhân rộng ({replicated_pct}). "
               "{group_models}. {no_models} đơn vị đã báo cáo nhưng chưa có mô hình nào được tổng hợp{no_model_names} "
               "(do không báo cáo mô hình, hoặc số liệu mô hình chưa hợp lệ)."),
    "group_models": "Khối {group} có {n} mô hình",
    "recognition_levels": "Theo cấp công nhận: {levels}.",
    "recognition_level": "{label} {n} mô hình",
    "models_annex": ("Danh sách {n} mô hình không in trong báo cáo này; xem Phụ lục kèm theo (bảng tổng hợp, "
                     "biểu “{sheet}”)."),
    "classification": "Kết quả xếp loại công tác dân vận chính quyền hằng năm của các đơn vị đã báo cáo:",
    "awards_given": ("Các đơn vị đã khen thưởng theo thẩm quyền {collectives} lượt tập thể và {individuals} lượt cá nhân "
                     "có thành tích trong phong trào."),
    "proposals": ("Có {proposals} đề nghị Chủ tịch {local_government} tặng Giấy khen. Đối chiếu với tiêu chuẩn tại "
                  "mục III của Hướng dẫn: {eligible} đề nghị đạt các tiêu chí kiểm tra được từ số liệu báo cáo (tiêu "
                  "chí c, d của tập thể, tiêu chí b của cá nhân); các tiêu chí còn lại theo kê khai của đơn vị, chưa "
                  "được kiểm chứng; {not_eligible} đề nghị chưa đạt hoặc không xét. Kết quả từng tiêu chí như sau:"),
    "bang_khen": ("Trên cơ sở đề nghị của các đơn vị, {local_government} đề nghị Chủ tịch {province_government} tặng "
                  "Bằng khen cho:"),
    "proposals_annex": ("Danh sách {n} đề nghị và kết quả xét từng tiêu chuẩn không in trong báo cáo này; xem Phụ lục "
                        "kèm theo (bảng tổng hợp, biểu “{sheet}”)."),
    "nominee": "{nominee} ({unit})",
    "impact_percent": ("{label}: {units} đơn vị có số liệu, bình quân {mean}% (thấp nhất {min}%, cao nhất {max}%)."),
    "impact_count": "{label}: tổng số {total} (của {units} đơn vị có số liệu).",
    "impact_none": "{label}: chưa đơn vị nào có số liệu.",
    "data": ("Số liệu trong báo cáo được tổng hợp từ {reported} báo cáo của các đơn vị. {files} báo cáo còn {errors} "
             "nội dung chưa hợp lệ nên chưa được tổng hợp và {warnings} nội dung đề nghị đơn vị kiểm tra lại; danh "
             "sách chi tiết tại bảng tổng hợp, biểu “{sheet}”."),
}
PLACEHOLDERS = {
    "situation": "đặc điểm tình hình, thuận lợi, khó khăn khi triển khai phong trào",
    "content": "nhận xét kết quả nổi bật, giải pháp, cách làm sáng tạo của từng nội dung thi đua",
    "models": "nhận xét về các mô hình tiêu biểu",
    "impact": "đánh giá tác động của phong trào đối với nhiệm vụ chính trị, gắn với việc Học tập và làm theo tư tưởng, "
              "đạo đức, phong cách Hồ Chí Minh",
    "achievements": "kết quả đạt được",
    "shortcomings": "tồn tại, hạn chế",
    "causes": "nguyên nhân của tồn tại, hạn chế",
    "lessons": "bài học kinh nghiệm",
    "recommendations": "kiến nghị, đề xuất với cấp trên",
    "directions": "phương hướng, nhiệm vụ và giải pháp {next_period}",
    "nominee": ("tập thể hoặc cá nhân được đề nghị Chủ tịch {province_government} tặng Bằng khen, do {office} tham mưu, "
                "Chủ tịch {local_government} quyết định"),
}
RANKING_TERMS_LABEL = {
    "model_name": "Mô hình làm căn cứ", "recognition_label": "Cấp công nhận",
    "recognition_points": "Điểm cấp công nhận", "replication_points": "Điểm nhân rộng",
    "places_points": "Điểm số nơi nhân rộng", "classification_points": "Điểm xếp loại HTXS",
    "people_points": "Điểm số người hưởng lợi",
}
RANKING_TERMS = ["recognition_points", "replication_points", "places_points", "classification_points", "people_points"]
# How each term of [awards.ranking] is computed: term -> (text, config keys filled in).
RANKING_RULES = {
    "recognition_points": "{points_per_recognition_rank} điểm × bậc cấp công nhận của mô hình ({levels})",
    "replication_points": "{points_if_replicated} điểm nếu mô hình đã nhân rộng",
    "places_points": "{points_per_replication_place} điểm mỗi nơi nhân rộng, tối đa {max_replication_points} điểm",
    "classification_points": "{points_per_htxs_year} điểm mỗi năm xếp loại hoàn thành xuất sắc",
    "people_points": ("{points_per_1000_people_reached} điểm mỗi 1.000 người tham gia, hưởng lợi, "
                      "tối đa {max_people_points} điểm"),
}
WEIGHTS_STATUS = {False: "Đề xuất, chưa được lãnh đạo thống nhất", True: "Đã được lãnh đạo thống nhất"}
LEVEL_RANK = "{label}: bậc {rank}"
NEAR_TIE = "Ngang điểm: hạng {ranks}"
WEIGHTS_LINE = "• {0}: {1} ({2})."

# -- the internal note on the award proposals (pipeline/publish/docx_note.py) -----------------
NOTE = {
    "mark": "TÀI LIỆU NỘI BỘ",
    "heading": "BÁO CÁO",
    "title": ("Kết quả đối chiếu tiêu chuẩn các đề nghị khen thưởng và gợi ý lựa chọn đề nghị "
              "Chủ tịch {province_government} tặng Bằng khen"),
    "to": "Kính gửi: {addressee}.",
    "opening": ("Qua tổng hợp báo cáo {title} của các cơ quan, đơn vị, địa phương, {office} báo cáo kết quả đối chiếu "
                "tiêu chuẩn các đề nghị khen thưởng theo mục III của Hướng dẫn và gợi ý để lựa chọn 01 tập thể hoặc "
                "01 cá nhân đề nghị Chủ tịch {province_government} tặng Bằng khen như sau:"),
    "h_verdicts": "1. Kết quả đối chiếu tiêu chuẩn của từng đề nghị",
    "verdicts": "Có {n} đề nghị. Kết luận: {counts}. Căn cứ của từng tiêu chí tại phụ lục kèm theo.",
    "annex": "Danh sách đề nghị dài, xem bảng tổng hợp, biểu “{sheet}”.",
    "h_ranking": "2. Gợi ý xếp hạng theo thang điểm",
    "none": "Chưa có đề nghị nào đạt các tiêu chí kiểm tra được từ số liệu để xếp hạng gợi ý.",
    "top": ("Theo thang điểm gợi ý, {who} có điểm cao nhất ({score} điểm); không đề nghị nào khác trong phạm vi "
            "{margin} điểm."),
    "top_level": ("Theo thang điểm gợi ý, {n} đề nghị có điểm cao nhất và cách nhau không quá {margin} điểm, coi như "
                  "ngang nhau: {who}. Thang điểm không phân biệt được các đề nghị này; cần xem xét thành tích cụ thể."),
    "level": ("Các đề nghị hạng {ranks} cách nhau không quá {margin} điểm, coi như ngang nhau: {who}."),
    "points": "Điểm gợi ý",
    "ranking_title": "Gợi ý thứ tự các đề nghị không có tiêu chí nào không đạt",
    "ranking_annex": "Bảng trên chỉ in {shown} trong {n} đề nghị; thứ tự đầy đủ xem bảng tổng hợp, biểu “{sheet}”.",
    "h_weights": "3. Thang điểm gợi ý",
    "weights_proposed": ("Thang điểm dưới đây do {office} đề xuất để tham khảo (mục [awards.ranking] của tệp "
                         "config/plan.toml), chưa được lãnh đạo thống nhất; điểm chỉ là căn cứ gợi ý."),
    "weights_confirmed": ("Thang điểm dưới đây đã được lãnh đạo thống nhất (mục [awards.ranking] của tệp "
                          "config/plan.toml); điểm chỉ là căn cứ gợi ý."),
    "h_proposal": "4. Đề xuất lựa chọn",
    "choice": ("tập thể hoặc cá nhân {office} đề xuất đề nghị Chủ tịch {province_government} tặng Bằng khen, và lý do "
               "lựa chọn"),
    "annex_heading": "PHỤ LỤC: CĂN CỨ KẾT QUẢ ĐỐI CHIẾU TỪNG TIÊU CHÍ",
}

# -- summary workbook ------------------------------------------------------------------
# The numbers of the first ten sheets are kept from earlier runs (readers and scripts find sheets by name);
# the sheets added later carry a letter and sit next to the sheet they detail.
WORKBOOK_SHEETS = {
    "overview": "1. Tổng quan",
    "reporting": "2. Tình hình báo cáo",
    "leadership": "3. Lãnh đạo, tuyên truyền",
    "content": "4. Nội dung thi đua",
    "outstanding": "4a. Kết quả nổi bật",
    "models_summary": "5. Mô hình - tổng hợp",
    "models_list": "6. Danh sách mô hình",
    "classification": "7. Xếp loại",
    "impact": "7a. Tác động",
    "impact_texts": "7b. Tác động - ý kiến",
    "assessment_texts": "7c. Đánh giá chung",
    "awards_given": "8. Khen thưởng",
    "proposals": "9. Đề nghị khen thưởng",
    "ranking": "9a. Xếp hạng gợi ý",
    "dossiers": "9b. Hồ sơ khen thưởng",
    "issues": "10. Vấn đề số liệu",
    "plausibility": "10a. Số liệu cần xem lại",
}
WORKBOOK_TITLE = "TỔNG HỢP SƠ KẾT PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” {town} ({period})"
# A listing printed in part ([report] workbook_print_rows): the note above its header.
PRINT_ROWS_NOTE = ("Bản in chỉ gồm {shown} dòng đầu trong tổng số {total} dòng; danh sách đầy đủ ở sheet này "
                   "(lọc, sắp xếp được). Muốn in cả danh sách hoặc phần đã lọc: xóa vùng in "
                   "(Page Layout › Print Area › Clear Print Area).")
PRINT_NOTE = "Khi in, các cột sau cột “{last}” không được in (cột phục vụ tra cứu, đối chiếu nguồn)."
CHART_TITLES = {
    "reporting": "Tình hình gửi báo cáo theo nhóm đơn vị",
    "leadership": "Số buổi tuyên truyền theo năm",
    "content": "Số hoạt động theo nội dung thi đua (cả giai đoạn)",
    "models": "Số mô hình theo lĩnh vực và nhóm đơn vị",
    "classification": "Số đơn vị theo mức xếp loại và năm",
}
PROGRESS = {
    "charts": "Vẽ biểu đồ", "workbook": "Ghi bảng tổng hợp Excel", "tables": "Ghi các bảng HTML",
    "html": "Ghi báo cáo report.html", "docx": "Soạn dự thảo báo cáo (.docx)",
}
PAGE_FOOTER = "&CTrang &P/&N"

# -- charts ------------------------------------------------------------------------------
CHART_STEM_TITLES = {
    "models_by_field_group": "Số mô hình “Dân vận khéo” theo lĩnh vực và nhóm đơn vị",
    "models_by_recognition": "Số mô hình “Dân vận khéo” theo cấp công nhận và nhóm đơn vị",
    "models_recognised_replicated": "Tỷ lệ mô hình được công nhận từ {authority} trở lên và được nhân rộng",
    "classification_by_year": "Kết quả xếp loại công tác dân vận chính quyền theo năm",
    "reporting_status": "Tình hình gửi báo cáo sơ kết theo nhóm đơn vị",
    "propaganda_by_year": "Số buổi tuyên truyền và lượt người tham gia theo năm",
}
AXIS = {
    "models": "Số mô hình", "percent": "Tỷ lệ (%)", "units": "Số đơn vị", "year": "Năm",
    "sessions": "Số buổi tuyên truyền", "participants": "Lượt người tham gia (tổng các đơn vị)",
}
LEGEND_RECOGNISED = "Được công nhận từ {authority} trở lên"
LEGEND_REPLICATED = "Đã nhân rộng"
PARTIAL_NOTE = "chỉ gồm {months} tháng, không so sánh với cả năm"

# -- the award dossier (pipeline/publish/docx_dossier.py, decisions_xlsx.py; issue 29) ------------------------
# The Quyết định tặng Giấy khen, the Tờ trình đề nghị Bằng khen, the nominee's báo cáo thành tích and the office's
# decisions file. Names, numbers, documents and signers come from [dossier] of config/plan.toml; until the office
# decides, every name it has to choose is a marked placeholder (PLACEHOLDER).
DOSSIER = {
    # decisions file (the template the office fills)
    "template_title": "QUYẾT ĐỊNH CỦA {office_upper} VỀ CÁC ĐỀ NGHỊ KHEN THƯỞNG",
    "template_help": ("Ghi vào các cột nền trắng: “Quyết định của cơ quan” (Đồng ý khen thưởng / Không đồng ý), lý "
                      "do, dấu “x” ở đúng 01 đề nghị được chọn đề nghị Chủ tịch {province_government} tặng Bằng khen, "
                      "và nếu cần, sửa dòng thành tích in trong Quyết định. Không sửa các cột nền xám. Lưu tệp vào "
                      "thư mục inputs/ với tên {decisions_file} rồi chạy lại `make report`."),
    "template_empty": "Chưa có đề nghị khen thưởng nào trong các báo cáo được tổng hợp.",
    "template_unmatched": "Các dòng của tệp quyết định không khớp với đề nghị nào (giữ lại để đối chiếu):",
    "dossier_received": "Đã nhận ({date})",
    "dossier_late": "Đã nhận, trễ hạn ({date})",
    "dossier_missing": "Chưa nhận",
    # achievement line of the list (when the office wrote none)
    "achievement": "Có thành tích xuất sắc trong thực hiện phong trào",
    "achievement_model": "Xây dựng mô hình “{model}” ({recognition})",
    # Quyết định
    "decision_heading": "QUYẾT ĐỊNH",
    "decision_title": ("Về việc tặng {award} cho các tập thể, cá nhân có thành tích xuất sắc trong thực hiện "
                       "{movement} giai đoạn {period}"),
    "basis": "Căn cứ {text};",
    "proposer": "Xét đề nghị của {proposer}.",
    "decides": "QUYẾT ĐỊNH:",
    "article1": ("Điều 1. Tặng {award} của Chủ tịch {local_government} cho {who} (có danh sách kèm theo) đã có "
                 "thành tích xuất sắc trong thực hiện {movement} giai đoạn {period}."),
    "article1_who": "{what}",
    "collectives_n": "{n} tập thể", "individuals_n": "{n} cá nhân", "and": " và ",
    "who_missing": "các tập thể, cá nhân được {office} đồng ý đề nghị khen thưởng",
    "article2": "Điều 2. {bonus}",
    "article3": ("Điều 3. {executors} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
                 "định này./."),
    "annex_heading": "DANH SÁCH",
    "annex_title": "Tập thể, cá nhân được tặng {award} của Chủ tịch {local_government}",
    "annex_note": "(Kèm theo Quyết định số       /QĐ-UBND ngày      tháng      năm {year} của Chủ tịch {local_government})",
    "annex_collectives": "I. TẬP THỂ",
    "annex_individuals": "II. CÁ NHÂN",
    "col_stt": "STT", "col_collective": "Tên tập thể", "col_person": "Họ và tên, chức vụ, đơn vị công tác",
    "col_unit": "Đơn vị đề nghị", "col_achievement": "Thành tích",
    "undecided": ("{n} đề nghị chưa có quyết định của {office} (ghi tại tệp outputs/{template}, lưu vào "
                  "inputs/{decisions_file})"),
    "none_accepted": ("danh sách tập thể, cá nhân được khen thưởng: {office} chưa đồng ý đề nghị nào (ghi quyết "
                      "định vào tệp inputs/{decisions_file})"),
    # Tờ trình
    "submission_heading": "TỜ TRÌNH",
    "submission_title": ("Về việc đề nghị Chủ tịch {province_government} tặng {award} cho {kind} có thành tích xuất "
                         "sắc trong thực hiện {movement} giai đoạn {period}"),
    "kind_either": "tập thể hoặc cá nhân",
    "to": "Kính gửi: {addressee}.",
    "submission_basis": "Thực hiện {basis}.",
    "submission_body": ("Trên cơ sở đề nghị của các cơ quan, đơn vị, địa phương và kết quả xét chọn, {local_government} "
                        "kính đề nghị Chủ tịch {province_government} xem xét, tặng {award} cho {who}, đã có thành "
                        "tích xuất sắc trong thực hiện {movement} giai đoạn {period}."),
    "nominee_missing": ("tập thể hoặc cá nhân được chọn đề nghị Chủ tịch {province_government} tặng Bằng khen, do "
                        "{office} đánh dấu trong tệp inputs/{decisions_file}"),
    "nominee_short": "tập thể hoặc cá nhân được đề nghị",
    "summary_heading": "Tóm tắt thành tích:",
    "summary_missing": "tóm tắt thành tích của tập thể hoặc cá nhân được đề nghị",
    "summary_models": "{who} đã xây dựng {n} mô hình “Dân vận khéo”, trong đó {k} mô hình được {competent} công nhận{listed}.",
    "summary_models_person": "{who} đã thực hiện {n} mô hình “Dân vận khéo”{listed}.",
    "summary_no_models": "Báo cáo của đơn vị không kê khai mô hình “Dân vận khéo” nào gắn với {who}.",
    "summary_model": "“{name}” ({recognition}{doc})",
    "summary_doc": ", {doc}", "summary_doc_date": ", {doc} ngày {date}",
    "summary_years": "Kết quả xếp loại công tác dân vận chính quyền: {years}.",
    "summary_year": "năm {year}: {level}",
    "summary_awards": "Đơn vị đã khen thưởng theo thẩm quyền {c} lượt tập thể và {i} lượt cá nhân.",
    "attachments": "Hồ sơ kèm theo gồm:",
    "attachment_report": "Báo cáo thành tích của {who};",
    "attachment_item": "{text};",
    "closing": ("{local_government} kính đề nghị {addressee} xem xét, trình Chủ tịch {province_government} quyết định "
                "khen thưởng./."),
    # báo cáo thành tích
    "report_heading": "BÁO CÁO THÀNH TÍCH",
    "report_award": "ĐỀ NGHỊ TẶNG {award} CỦA CHỦ TỊCH {province_government}",
    "report_scope": "(Thành tích trong thực hiện {movement} giai đoạn {period})",
    "report_form": "({form} ban hành kèm theo {decree})",
    "report_drafted": ("Dự thảo do {office} soạn từ báo cáo sơ kết của đơn vị ({file}, ngày báo cáo {date}); đơn vị "
                       "kiểm tra số liệu, viết các chỗ “Cần bổ sung”, ký và gửi lại."),
    "no_form": "mẫu báo cáo thành tích theo quy định hiện hành (mục [dossier.forms] của config/plan.toml chưa có mẫu “{key}”)",
    "profile_name": "- Tên đơn vị: {name} ({unit_type}).",
    "profile_staff": ("- Tổng số cán bộ, công chức, viên chức và người lao động: {staff}; số đăng ký thi đua trong "
                      "phong trào: {registered}."),
    "person_name": "- Họ và tên: {name}.",
    "person_position": "- Chức vụ, đơn vị công tác: {position}.",
    "person_unit": "- Đơn vị đề nghị: {unit}.",
    "leadership": ("{period_text}, đơn vị đã ban hành {plans} kế hoạch, văn bản chỉ đạo; tổ chức {launch} hội nghị "
                   "phát động, quán triệt; {sessions} buổi tuyên truyền với {participants} lượt người tham gia; đăng "
                   "{news} tin, bài; thực hiện {inspections} cuộc kiểm tra, giám sát."),
    "models": ("Đơn vị đã xây dựng {n} mô hình “Dân vận khéo”, trong đó {k} mô hình được {competent} công nhận, "
               "{r} mô hình đã được nhân rộng:"),
    "models_person": "{who} đã thực hiện {n} mô hình “Dân vận khéo”:",
    "models_none": "Báo cáo của đơn vị không kê khai mô hình “Dân vận khéo” nào{whose}.",
    "models_whose": " gắn với {who}",
    "models_title": "Mô hình “Dân vận khéo” và văn bản công nhận",
    "classification": "Kết quả xếp loại công tác dân vận chính quyền hằng năm của đơn vị:",
    "classification_title": "Xếp loại công tác dân vận chính quyền",
    "classification_none": "Báo cáo của đơn vị không có kết quả xếp loại công tác dân vận chính quyền hợp lệ.",
    "awards": ("Đơn vị đã khen thưởng theo thẩm quyền {c} lượt tập thể và {i} lượt cá nhân có thành tích trong "
               "phong trào:"),
    "awards_title": "Khen thưởng theo thẩm quyền của đơn vị",
    "awards_none": "Báo cáo của đơn vị không ghi khen thưởng theo thẩm quyền nào.",
    "quote_summary": "Tóm tắt thành tích đơn vị ghi trong báo cáo: “{text}”",
    "quote_initiative": "Sáng kiến, cách làm sáng tạo đơn vị ghi: “{text}”",
    "quote_declared": "Đơn vị ghi: “{text}”",
    "col_model": "Tên mô hình", "col_doc": "Văn bản công nhận", "col_date": "Ngày công nhận",
    "col_places": "Số nơi nhân rộng", "col_score": "Điểm", "col_decision_no": "Số quyết định, văn bản xếp loại",
    # the hồ sơ of every unit (summary workbook, internal note)
    "dossiers_title": "Hồ sơ đề nghị khen thưởng của các đơn vị",
    "dossiers_note": ("Hồ sơ: các tệp trong thư mục ho_so của đơn vị (inputs/received/<mã đơn vị>/ho_so/ khi gửi qua "
                      "trang web, inputs/ho_so/<mã hoặc tên đơn vị>/ khi chép tay) hoặc tệp có tên “hồ sơ”, “tờ trình”, "
                      "“thành tích”. Đúng hạn: tệp đầu tiên nhận trước hạn gửi báo cáo ({deadline})."),
    "col_proposal": "Đề nghị khen thưởng", "col_dossier": "Hồ sơ khen thưởng", "col_files": "Số tệp hồ sơ",
    "col_received": "Ngày nhận hồ sơ", "col_received_by": "Ngày nhận theo", "col_dossier_files": "Tệp hồ sơ",
    "no_proposal": "Không đề nghị",
    "received_by": {"web": "giờ nhận trên trang web", "file_time": "giờ sửa tệp (chép tay)"},
}
DOSSIER_PLACEHOLDERS = {
    "profile": ("địa chỉ trụ sở, điện thoại; quá trình thành lập và phát triển; đặc điểm chính của đơn vị, địa "
                "phương; các tổ chức đảng, đoàn thể"),
    "person": "ngày sinh, giới tính, quê quán, nơi ở hiện nay, trình độ chuyên môn, nghiệp vụ, lý luận chính trị",
    "duties": "chức năng, nhiệm vụ được giao",
    "person_duties": "quyền hạn, nhiệm vụ được giao hoặc đảm nhận",
    "results": "nhận xét, đánh giá thành tích, hiệu quả của các mô hình, cách làm",
    "measures": "những biện pháp hoặc nguyên nhân đạt được thành tích; phong trào thi đua đã áp dụng",
    "compliance": "việc thực hiện chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; công tác xây "
                  "dựng Đảng, đoàn thể",
    "titles": "các danh hiệu thi đua đã được tặng (năm, danh hiệu, số và ngày quyết định, cơ quan ban hành)",
    "honours": "các hình thức khen thưởng đã nhận (năm, hình thức, số và ngày quyết định, cơ quan ban hành)",
    "signer": "họ tên người ký",
}
# The internal note's parts on the office's decisions and the hồ sơ (pipeline/publish/docx_note.py).
NOTE_DOSSIER = {
    "choice_made": "{office} đề xuất chọn {who} đề nghị Chủ tịch {province_government} tặng Bằng khen{reason}.",
    "choice_reason": "; lý do: {reason}",
    "choice_contradicts": "Lưu ý: {text}",
    "h_decisions": "5. Quyết định của {office} về các đề nghị",
    "decisions_none": ("Chưa có quyết định nào: tệp quyết định (inputs/{decisions_file}) chưa có hoặc chưa ghi ý kiến; mọi đề "
                       "nghị đang ở trạng thái chưa quyết định. Mẫu để ghi: outputs/{template}."),
    "decisions_counts": "Có {n} đề nghị: {counts}.",
    "decisions_problems": ("Tệp quyết định có {n} nội dung chưa đọc được (danh sách tại issues.csv, tệp {file}); các "
                           "đề nghị liên quan được coi là chưa quyết định."),
    "contradictions": "Các quyết định khác với kết luận đối chiếu tiêu chuẩn (đã được ghi nhận theo quyết định của {office}):",
    "contradiction": "{who}: {text}{reason}",
    "contradiction_reason": " Lý do {office} ghi: “{reason}”.",
    "contradiction_no_reason": " {office} chưa ghi lý do.",
    "accepted_without_dossier": "Các đề nghị được đồng ý nhưng đơn vị chưa gửi hồ sơ: {names}.",
    "h_dossiers": "6. Hồ sơ đề nghị khen thưởng của các đơn vị",
    "dossiers_counts": ("{proposing} đơn vị có đề nghị khen thưởng; {received} đơn vị đã gửi hồ sơ ({on_time} đúng "
                        "hạn, {late} trễ hạn)."),
    "dossiers_missing": "Các đơn vị có đề nghị nhưng chưa gửi hồ sơ: {names}.",
    "dossiers_all": "Mọi đơn vị có đề nghị đều đã gửi hồ sơ.",
    "dossiers_late": "Các đơn vị gửi hồ sơ trễ hạn: {names}.",
    "dossiers_where": ("Hồ sơ được tính theo các tệp trong thư mục ho_so (inputs/received/<mã đơn vị>/ho_so/ khi gửi qua "
                       "trang web, inputs/ho_so/<mã hoặc tên đơn vị>/ khi chép tay); danh sách tại bảng tổng hợp, "
                       "biểu “{sheet}”."),
}

# -- figures to review (issue 28; pipeline/check/plausibility.py): sheet "10a. Số liệu cần xem lại", report.html --------
PLAUSIBILITY_H = {
    "unit": "Cơ quan, đơn vị, địa phương", "figure": "Số liệu", "key": "Kỳ, nội dung", "cell": "Sheet, ô",
    "value": "Giá trị đơn vị ghi", "reference": "Trung vị so sánh (quy tắc: giá trị đối chiếu)",
    "distance": "Độ lệch (|z| hoặc số lần)", "reason": "Lý do cần xem lại", "rule": "Quy tắc", "file": "Tệp báo cáo",
}
PLAUSIBILITY_CELL = "{sheet}!{cell}"
PLAUSIBILITY_NOTE = (
    "Cảnh báo, không phải lỗi: các số liệu này vẫn được tổng hợp; đơn vị được đề nghị kiểm tra lại tại ô ghi trong tệp "
    "phản hồi. Khác thường so với nhóm: điểm z hiệu chỉnh |z| = 0,6745 × |giá trị − trung vị| / MAD lớn hơn {threshold} "
    "(Iglewicz & Hoaglin) trong cùng nhóm đơn vị và cùng kỳ (cùng nội dung, hình thức), chỉ khi có ít nhất {min_units} "
    "đơn vị có số liệu; {mad_zero}; đơn vị ở các kỳ khác cũng cao (thấp) "
    "như vậy là đơn vị lớn (nhỏ), không bị hỏi. Thay đổi đột ngột: một năm gấp hơn {factor} lần hoặc dưới 1/{factor} "
    "trung vị các năm khác của đơn vị; kỳ chưa đủ năm lớn hơn {half} lần trung vị các năm trọn. Chênh lệch nhỏ hơn mức "
    "tối thiểu của từng số liệu ([plausibility.min_size]) không bị hỏi. Xếp theo mức độ: quy tắc giữa các số liệu "
    "trước, rồi độ lệch chia cho ngưỡng từ lớn đến nhỏ. Trang kiểm tra báo cáo trên web chỉ xem từng báo cáo nên chỉ "
    "kiểm tra thay đổi giữa các năm và các quy tắc; so sánh giữa các đơn vị cần báo cáo của cả thị xã.")
PLAUSIBILITY_MAD_ZERO = {"mean_deviation": "MAD bằng 0 thì dùng độ lệch tuyệt đối bình quân × 1,2533",
                         "skip": "MAD bằng 0 thì không so sánh"}
PLAUSIBILITY_SMALL_GROUPS = " Không so sánh giữa các đơn vị trong nhóm {groups}: chưa đủ {min_units} đơn vị."
PLAUSIBILITY_GROUP = "“{group}” ({units} đơn vị)"
PLAUSIBILITY_BANDS = (" Thang điểm xếp loại ([[classification_levels]] min_score) là mặc định, chưa được xác nhận theo "
                      "quyết định của UBND tỉnh.")
PLAUSIBILITY_NONE = "Không có số liệu nào cần xem lại."
PLAUSIBILITY_OFF = "Kiểm tra số liệu khác thường đang tắt (enabled = false trong mục [plausibility] của config/plan.toml)."
