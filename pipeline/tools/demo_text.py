"""Vietnamese phrases the demo generator draws from (demo data only)."""

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Trương", "Đinh"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Đức", "Quốc", "Thị Kim", "Hữu", "Công"]
GIVEN = ["Hùng", "Lan", "Tuấn", "Hoa", "Dũng", "Thủy", "Phúc", "Hạnh", "Quang", "Nga", "Bình", "Trinh", "Sơn", "Vy", "Khoa", "Linh"]
POSITIONS = ["Chuyên viên", "Phó Chủ tịch UBND", "Công chức Văn phòng – Thống kê", "Phó Trưởng phòng", "Công chức Tư pháp – Hộ tịch", "Viên chức"]

# (field label, content area index, name, who builds it: "xa" communes/wards,
# "cq" town departments and service units, "all" both) — models that read like real ones.
MODELS = [
    ("Kinh tế", 4, "Dân vận khéo trong vận động Nhân dân hiến đất làm đường giao thông nông thôn", "xa"),
    ("Kinh tế", 4, "Tổ hợp tác nuôi bò sinh sản giúp nhau giảm nghèo", "xa"),
    ("Kinh tế", 4, "Vận động ngư dân không khai thác hải sản bất hợp pháp (IUU)", "xa"),
    ("Kinh tế", 4, "Dân vận khéo trong giải phóng mặt bằng các dự án trọng điểm", "all"),
    ("Kinh tế", 4, "Đồng hành cùng doanh nghiệp, hợp tác xã tháo gỡ khó khăn", "cq"),
    ("Văn hóa – xã hội", 4, "Tuyến đường hoa, đường sáng – xanh – sạch – đẹp", "xa"),
    ("Văn hóa – xã hội", 0, "Ngày thứ Bảy cùng dân", "xa"),
    ("Văn hóa – xã hội", 4, "Thu gom rác thải nhựa ven biển Sa Huỳnh", "xa"),
    ("Văn hóa – xã hội", 0, "Mỗi cán bộ giúp đỡ một hộ nghèo", "all"),
    ("Quốc phòng – an ninh", 4, "Camera an ninh – Mắt thần khu dân cư", "xa"),
    ("Quốc phòng – an ninh", 3, "Tổ hòa giải cơ sở gắn với tổ tự quản an ninh trật tự", "xa"),
    ("Quốc phòng – an ninh", 4, "Tàu thuyền an toàn, ngư dân vững tâm bám biển", "xa"),
    ("Xây dựng hệ thống chính trị", 2, "Đối thoại trực tiếp giữa Chủ tịch UBND với Nhân dân hằng quý", "xa"),
    ("Xây dựng hệ thống chính trị", 0, "Lắng nghe ý kiến Nhân dân qua nhóm Zalo khu dân cư", "xa"),
    ("Xây dựng hệ thống chính trị", 2, "Công khai, minh bạch thu chi ngân sách tại nhà văn hóa thôn", "xa"),
    ("Xây dựng hệ thống chính trị", 0, "Mỗi tháng một ngày cán bộ về cơ sở lắng nghe ý kiến Nhân dân", "cq"),
    ("Xây dựng hệ thống chính trị", 0, "Cán bộ, công chức nói không với phiền hà, sách nhiễu", "cq"),
    ("Xây dựng hệ thống chính trị", 2, "Tuyên truyền pháp luật qua trang mạng xã hội của cơ quan", "cq"),
    ("Cải cách hành chính", 1, "Bộ phận một cửa thân thiện – Nói lời hay, làm việc tốt", "all"),
    ("Cải cách hành chính", 1, "Hỗ trợ người cao tuổi thực hiện dịch vụ công trực tuyến tại nhà", "all"),
    ("Cải cách hành chính", 1, "Mã QR tra cứu thủ tục hành chính", "all"),
    ("Cải cách hành chính", 3, "Tiếp công dân ngoài giờ hành chính vào sáng thứ Bảy", "xa"),
    ("Cải cách hành chính", 1, "Trả kết quả thủ tục hành chính tận nhà qua bưu chính công ích", "cq"),
    ("Cải cách hành chính", 1, "Hướng dẫn người dân nộp hồ sơ trực tuyến qua điện thoại", "cq"),
]

EFFECTS = [
    "Người dân đồng tình hưởng ứng, {n} hộ tham gia; tỷ lệ hài lòng tăng rõ rệt.",
    "Giải quyết dứt điểm nhiều vụ việc tồn đọng, không phát sinh khiếu nại vượt cấp.",
    "Tiết kiệm thời gian, chi phí đi lại cho {n} lượt người dân, doanh nghiệp.",
    "Góp phần hoàn thành sớm chỉ tiêu nông thôn mới, đô thị văn minh của địa phương.",
    "Được Nhân dân tin tưởng, nhiều địa phương đến học tập, nhân rộng.",
]

RESULTS = [
    "Triển khai đồng bộ, có sự tham gia tích cực của CBCCVC và Nhân dân.",
    "Đã tổ chức {n} buổi gặp gỡ, đối thoại; tiếp thu và giải quyết kịp thời các kiến nghị.",
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%, không có hồ sơ trễ hẹn kéo dài.",
    "Vận động Nhân dân hiến {n} m² đất làm đường, mương thủy lợi.",
    "Phát hiện, nhân rộng {n} cách làm hay trong tiếp xúc, phục vụ người dân.",
]

IMPACT = [
    "Phong trào góp phần nâng cao tinh thần, thái độ phục vụ Nhân dân; các chỉ tiêu nhiệm vụ chính trị đều đạt và vượt.",
    "Chất lượng giải quyết thủ tục hành chính được nâng lên; niềm tin của Nhân dân với chính quyền được củng cố.",
    "Tạo đồng thuận trong Nhân dân khi triển khai các dự án trọng điểm, công tác giải phóng mặt bằng thuận lợi hơn.",
]
HCM_LINK = [
    "Gắn phong trào với việc thực hiện Kết luận số 01-KL/TW, mỗi CBCCVC đăng ký một việc làm theo gương Bác.",
    "Lồng ghép nội dung học tập và làm theo Bác trong sinh hoạt chi bộ, xây dựng phong cách “trọng dân, gần dân”.",
]
OTHER_MOVEMENTS = [
    "Gắn với phong trào “Cả nước chung sức xây dựng nông thôn mới” và “Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
    "Gắn với cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam” và phong trào “Vì người nghèo”.",
]
ASSESSMENT = {
    "Kết quả đạt được": "Phong trào được triển khai sâu rộng, CBCCVC nâng cao ý thức phục vụ Nhân dân; xây dựng được {n} mô hình hiệu quả.",
    "Tồn tại, hạn chế": "Một số mô hình chưa được nhân rộng; công tác tuyên truyền có lúc chưa thường xuyên.",
    "Nguyên nhân": "Một bộ phận CBCCVC chưa nhận thức đầy đủ; kinh phí hỗ trợ còn hạn chế.",
    "Bài học kinh nghiệm": "Phát huy vai trò người đứng đầu; “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”.",
    "Kiến nghị, đề xuất": "Đề nghị thị xã bố trí kinh phí nhân rộng mô hình và tổ chức tập huấn kỹ năng dân vận cho CBCCVC.",
}
ACHIEVEMENTS = [
    "Chủ động tham mưu, triển khai hiệu quả phong trào; mô hình “{model}” được công nhận và nhân rộng.",
    "Gương mẫu, tận tụy; tham mưu xây dựng mô hình “{model}”, được Nhân dân đồng tình hưởng ứng.",
]
