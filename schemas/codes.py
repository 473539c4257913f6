"""Every stable code the pipeline writes or relies on, each defined once, with its Vietnamese label.

The codes are what the CSV and parquet outputs hold (so scripts can filter on
them); the labels are what a person reads. The data dictionary
(`outputs/data/README.md`) lists every code set below with its labels.
Vocabularies that belong to the plan (content areas, fields, levels...) are
not here: they live in config/plan.toml.
"""
from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A code with its Vietnamese label (`.label`) and what it means (`.meaning`)."""

    def __new__(cls, code: str, label: str, meaning: str = ""):
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label = label
        obj.meaning = meaning or label
        return obj

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}


class FileStatus(Labelled):
    """What happened to a file found in inputs/ (files.csv `status`)."""

    ACCEPTED = "accepted", "Hợp lệ", "đọc được, không có lỗi"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors", "Đọc được nhưng còn lỗi", "đọc được; các dòng, ô có lỗi chưa được tổng hợp"
    REJECTED = "rejected", "Bị từ chối", "không đọc được hoặc không xác định được đơn vị"
    IGNORED = "ignored", "Bỏ qua", "tệp khóa tạm, tệp ẩn, tệp nén đã mở, tệp quyết định của cơ quan"
    SUPERSEDED = "superseded", "Bị thay thế", "đơn vị đã gửi báo cáo khác được dùng thay"


USED_FILE_STATUSES = (FileStatus.ACCEPTED, FileStatus.ACCEPTED_WITH_ERRORS)


class SubmissionStatus(Labelled):
    """Reporting status of a registry unit (submissions.csv and the units table `status`)."""

    ON_TIME = "on_time", "Đúng hạn", "đã nộp, ngày báo cáo của lần gửi đầu tiên trước hạn (bản sửa gửi sau không tính)"
    LATE = "late", "Trễ hạn", "đã nộp, ngày báo cáo của lần gửi đầu tiên từ hạn nộp trở đi"
    DATE_UNKNOWN = "date_unknown", "Chưa rõ ngày báo cáo", "đã nộp, ô ngày báo cáo để trống hoặc không đọc được"
    MISSING = "missing", "Chưa gửi", "không có báo cáo nào của đơn vị"
    REJECTED = "rejected", "Không hợp lệ", "báo cáo của đơn vị bị từ chối"


REPORTED_STATUSES = (SubmissionStatus.ON_TIME, SubmissionStatus.LATE, SubmissionStatus.DATE_UNKNOWN)


class Severity(Labelled):
    """How serious a data problem is (issues.csv `severity`)."""

    ERROR = "error", "Lỗi", "dòng, ô hoặc tệp chưa được tổng hợp cho đến khi sửa"
    WARNING = "warning", "Cảnh báo", "vẫn được tổng hợp, đề nghị đơn vị kiểm tra lại"


class RecipientKind(Labelled):
    """Who a model is carried out by, and who an award proposal is for (codes of [[recipient_kinds]])."""

    COLLECTIVE = "COLLECTIVE", "Tập thể"
    INDIVIDUAL = "INDIVIDUAL", "Cá nhân"


class Verdict(Labelled):
    """Result of checking one criterion of section III for one proposal."""

    MET = "met", "Đạt"
    NOT_MET = "not_met", "Không đạt"
    UNVERIFIED = "unverified", "Chưa kiểm chứng (theo kê khai)"
    NOT_EVALUATED = "not_evaluated", "Không xét", "đề nghị vượt quá số lượng cho phép"


class Conclusion(Labelled):
    """What checking one proposal's criteria against the returns concluded (proposals `conclusion`). A proposal is
    never called eligible while a criterion rests on the unit's word alone: that is `meets_checked`."""

    MEETS_ALL = "meets_all", "Đạt tất cả các tiêu chí", "mọi tiêu chí đều kiểm chứng được từ số liệu và đều đạt"
    MEETS_CHECKED = ("meets_checked", "Đạt các tiêu chí kiểm tra được từ số liệu",
                     "không tiêu chí nào không đạt; các tiêu chí còn lại theo kê khai của đơn vị, chưa kiểm chứng")
    NOT_MET = "not_met", "Chưa đạt", "có tiêu chí không đạt"
    NOT_EVALUATED = "not_evaluated", "Không xét", "đề nghị vượt quá số lượng cho phép"


class OfficeDecision(Labelled):
    """What the office decided on one award proposal (award_decisions `decision`), read from its decisions file."""

    ACCEPTED = "accepted", "Đồng ý khen thưởng", "cơ quan đồng ý trình Chủ tịch UBND tặng Giấy khen"
    NOT_ACCEPTED = "not_accepted", "Không đồng ý", "cơ quan không đồng ý đề nghị này"
    UNDECIDED = "undecided", "Chưa quyết định", "tệp quyết định của cơ quan chưa ghi ý kiến về đề nghị này"


class DossierStatus(Labelled):
    """Whether a unit sent the hồ sơ of its award proposal, and when (award_dossiers and submissions.csv
    `dossier_status`): by the earliest hồ sơ file received, like a return."""

    ON_TIME = "on_time", "Đã gửi hồ sơ, đúng hạn", "hồ sơ nhận được trước hạn gửi báo cáo"
    LATE = "late", "Đã gửi hồ sơ, trễ hạn", "hồ sơ nhận được từ hạn gửi báo cáo trở đi"
    MISSING = "missing", "Có đề nghị, chưa gửi hồ sơ", "đơn vị đề nghị khen thưởng nhưng chưa có tệp hồ sơ nào"
    NONE = "none", "Không đề nghị, không gửi hồ sơ", "đơn vị không đề nghị khen thưởng và không gửi hồ sơ"


class ScopeKind(Labelled):
    """How an aggregate row is scoped (aggregates `scope_kind`)."""

    TOWN = "town", "Toàn địa bàn"
    UNIT_GROUP = "unit_group", "Theo nhóm đơn vị"
    UNIT_TYPE = "unit_type", "Theo loại đơn vị"


# The pseudo-period of the whole review, and the level of a reported unit with no valid classification.
ALL_PERIODS = "ALL"
NO_LEVEL = "MISSING"

CODE_SETS: dict[str, type[Labelled]] = {
    "files.status": FileStatus,
    "submissions.status": SubmissionStatus,
    "issues.severity": Severity,
    "recipient_kind_code": RecipientKind,
    "verdict": Verdict,
    "conclusion": Conclusion,
    "decision": OfficeDecision,
    "dossier_status": DossierStatus,
    "scope_kind": ScopeKind,
}
