"""Every sentence and label of the town report outputs (workbook, charts, HTML, draft report), reviewed in one place.

Place names, the issuing body, the review period and the recipients come
from config/plan.toml; nothing here names a town.
"""
from __future__ import annotations

from pipeline.messages import YES_NO

DEMO_BANNER = "DỮ LIỆU MẪU – số liệu do chương trình tự sinh để thử nghiệm, không dùng cho báo cáo thật"
DRAFT = "DỰ THẢO"
NOT_APPLICABLE = "Không áp dụng"
ELIGIBLE = {True: "Đủ điều kiện", False: "Chưa đủ điều kiện"}
YES, NO = YES_NO
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
    "rejected": "Số đơn vị có báo cáo không hợp lệ (bị từ chối)",
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
DATE_UNKNOWN_TEXT = ", {n} đơn vị chưa rõ ngày báo cáo"
SOURCE_CELL = "{file}, {sheet}, dòng {row}"
QUOTED_INTRO = "Tham khảo ý kiến của các đơn vị (trích nguyên văn):"
HTML_TITLE = "Tổng hợp sơ kết phong trào thi đua “Dân vận khéo”"
# report.html: (anchor, heading, [section keys], [chart stems])
REPORT_LAYOUT = [
    ("tong-quan", "I. Tình hình báo cáo và số liệu chủ yếu", ["overview", "reporting", "reporting_units"],
     ["reporting_status"]),
    ("lanh-dao", "II.1. Lãnh đạo, chỉ đạo, tuyên truyền", ["leadership"], ["propaganda_by_year"]),
    ("noi-dung", "II.2. Kết quả các nội dung thi đua", ["content"], []),
    ("mo-hinh", "II.3. Mô hình “Dân vận khéo”", ["models_field", "models_recognition"],
     ["models_by_field_group", "models_recognised_replicated"]),
    ("xep-loai", "II.4. Xếp loại công tác dân vận chính quyền", ["classification"], ["classification_by_year"]),
    ("khen-thuong", "II.5. Khen thưởng và đề nghị khen thưởng", ["awards_given", "proposals", "ranking"], []),
    ("so-lieu", "Phụ lục. Các vấn đề về số liệu", ["issues"], []),
]
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
RANKING_TERMS = ["recognition_points", "replication_points", "places_points", "classification_points", "people_points"]

# -- summary workbook ------------------------------------------------------------------
WORKBOOK_SHEETS = {
    "overview": "1. Tổng quan",
    "reporting": "2. Tình hình báo cáo",
    "leadership": "3. Lãnh đạo, tuyên truyền",
    "content": "4. Nội dung thi đua",
    "models_summary": "5. Mô hình - tổng hợp",
    "models_list": "6. Danh sách mô hình",
    "classification": "7. Xếp loại",
    "awards_given": "8. Khen thưởng",
    "proposals": "9. Đề nghị khen thưởng",
    "issues": "10. Vấn đề số liệu",
}
WORKBOOK_TITLE = "TỔNG HỢP SƠ KẾT PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” {town} ({period})"
WORKBOOK_AUTHOR = "Cơ quan Tổ chức – Nội vụ"
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
WRITTEN = "Đã ghi kết quả:"
PAGE_FOOTER = "&CTrang &P/&N"

# -- charts ------------------------------------------------------------------------------
CHART_STEM_TITLES = {
    "models_by_field_group": "Số mô hình “Dân vận khéo” theo lĩnh vực và nhóm đơn vị",
    "models_recognised_replicated": "Tỷ lệ mô hình được công nhận và được nhân rộng",
    "classification_by_year": "Kết quả xếp loại công tác dân vận chính quyền theo năm",
    "reporting_status": "Tình hình gửi báo cáo sơ kết theo nhóm đơn vị",
    "propaganda_by_year": "Số buổi tuyên truyền và lượt người tham gia theo năm",
}
AXIS = {
    "models": "Số mô hình", "percent": "Tỷ lệ (%)", "units": "Số đơn vị", "year": "Năm",
    "sessions": "Số buổi tuyên truyền", "participants": "Lượt người tham gia (toàn thị xã)",
}
LEGEND_RECOGNISED = "Được công nhận"
LEGEND_REPLICATED = "Đã nhân rộng"
