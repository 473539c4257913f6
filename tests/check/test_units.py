"""One return per unit: which of a unit's files is used, and what files.csv says about the others.

The files are built here as the reading stage hands them on (a unit, a report date, a saved
time), so the rules of `choose_returns` are seen on many files at once without writing workbooks.
"""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import messages as msg
from pipeline.check.units import choose_returns, identify, report_date_warnings
from pipeline.read.sources import Issue, RawSheet, SourceFile
from schemas import sheet_spec
from schemas.codes import FileStatus


def _file(name: str, date: dt.date | None, mtime: float, unit: str = "pho_an", status: str = "") -> SourceFile:
    return SourceFile(file=name, format="xlsx", unit_code=unit, mtime=mtime, status=status, report_date=date)


def test_five_returns_of_one_unit_the_latest_dated_correction_is_used_and_each_other_says_why(plan):
    june_1, june_10 = dt.date(2023, 6, 1), dt.date(2023, 6, 10)
    undated = _file("pho_an_khong_ngay.xlsx", None, mtime=500)          # saved last, but no readable date
    earlier = _file("pho_an_dau_thang.xlsx", june_1, mtime=400)
    same_day = _file("pho_an.xlsx", june_10, mtime=100)
    same_day_later = _file("pho_an_gui_lai.xlsx", june_10, mtime=300)
    correction = _file("pho_an (sửa).xlsx", june_10, mtime=0)            # saved first, named as a correction
    other_unit = _file("pho_khanh.xlsx", june_1, mtime=0, unit="pho_khanh")
    refused = _file("pho_an_hong.xlsx", june_10, mtime=900, status=FileStatus.REJECTED)
    files = [same_day, undated, correction, other_unit, earlier, refused, same_day_later]

    choose_returns(files, plan)

    assert correction.status == "" and other_unit.status == ""     # used (the file stage marks them accepted)
    assert refused.status == FileStatus.REJECTED and refused.reason == ""
    assert [f.status for f in (undated, earlier, same_day, same_day_later)] == [FileStatus.SUPERSEDED] * 4
    winner = correction.file
    assert undated.reason == msg.FILE_SUPERSEDED_DATED.format(winner=winner)
    assert earlier.reason == msg.FILE_SUPERSEDED.format(winner=winner)
    assert same_day.reason == msg.FILE_SUPERSEDED_CORRECTION.format(winner=winner)
    assert same_day_later.reason == msg.FILE_SUPERSEDED_CORRECTION.format(winner=winner)
    # The used file names the four others, weakest first, and every reason once.
    others = ", ".join(f.file for f in (undated, earlier, same_day, same_day_later))
    why = " ".join([msg.WHY_HAS_DATE, msg.WHY_LATER_DATE, msg.WHY_CORRECTION])
    text = msg.FILE_USED_OVER.format(n=5, others=others, why=why)
    assert correction.reason == text
    # One warning about the file as a whole (no sheet, cell or column), on the used file only.
    assert correction.issues == [Issue(file=winner, sheet="", cell="", column="", value="", rule="file.duplicate_used",
                                       severity="warning", message=text + msg.SEVERITY_SUFFIX[("warning", "file")])]
    assert all(not f.issues for f in files if f is not correction)
    assert other_unit.reason == ""


def test_without_a_correction_the_file_saved_last_wins_among_the_same_date(plan):
    day = dt.date(2023, 6, 10)
    first, second, third = (_file(f"pho_an_{i}.xlsx", day, mtime=t) for i, t in ((1, 30), (2, 10), (3, 20)))
    choose_returns([first, second, third], plan)
    assert first.status == "" and (second.status, third.status) == (FileStatus.SUPERSEDED, FileStatus.SUPERSEDED)
    assert second.reason == third.reason == msg.FILE_SUPERSEDED_LATER.format(winner=first.file)
    assert first.reason == msg.FILE_USED_OVER.format(n=3, others=f"{second.file}, {third.file}",
                                                     why=msg.WHY_LATER_SAVED)


def test_a_single_return_is_left_alone(plan):
    only = _file("pho_an.xlsx", dt.date(2023, 6, 10), mtime=1)
    choose_returns([only], plan)
    assert (only.status, only.reason, only.issues) == ("", "", [])


def _form(unit_name: str) -> SourceFile:
    """A file whose sheet 1 holds only the unit's name, in B4."""
    spec = sheet_spec("unit_info")
    record = [unit_name if c == "unit_name" else None for c in spec.column_names]
    sheet = RawSheet(records=[record], excel_rows=[4], addresses={c: f"B{4 + i}" for i, c in enumerate(spec.column_names)},
                     sheet_name=spec.sheet)
    return SourceFile(file="bao_cao.xlsx", format="xlsx", sheets={"unit_info": sheet})


def test_a_unit_name_out_of_the_registry_is_shown_as_typed_in_the_issue(plan):
    src = _form("UBND xã Không Tồn Tại")
    identify(src, plan)
    assert src.status == FileStatus.REJECTED
    [issue] = [i for i in src.issues if i.rule == "unit.unknown"]
    assert (issue.cell, issue.column, issue.value, issue.severity) == ("B4", "unit_name", "UBND xã Không Tồn Tại", "error")


def test_a_unit_name_typed_loosely_is_shown_as_typed_in_its_warning(plan):
    src = _form("ubnd xa pho an")
    identify(src, plan)
    assert src.unit_code == "pho_an" and src.status == ""
    [issue] = [i for i in src.issues if i.rule == "unit.assumed"]
    assert (issue.cell, issue.value, issue.severity) == ("B4", "ubnd xa pho an", "warning")


@pytest.mark.parametrize("typed, code", [("UBNDxã Phổ An", "pho_an"), ("UBNDphường Phổ Văn", "pho_van"),
                                         ("UBND xã PhổAn", "pho_an"), ("PhòngGD&ĐT", "giao_duc_dao_tao")])
def test_a_unit_name_with_a_space_left_out_is_that_unit_and_said(plan, typed, code):
    """A space left out ("UBNDxã") hides the abbreviation from its full form: the name is also compared by its letters
    as written, and the unit is told what was read."""
    src = _form(typed)
    identify(src, plan)
    assert src.unit_code == code and src.status == ""
    assert "unit.assumed" in [i.rule for i in src.issues]


@pytest.mark.parametrize("typed, code", [("UBND thị trấn Đức Phổ", "nguyen_nghiem"),   # its name until 2020
                                         ("UBND xã Phổ Văn", "pho_van")])                # a ward until 2020: a commune
def test_a_unit_under_its_name_before_the_town_was_made_is_that_unit(plan, typed, code):
    src = _form(typed)
    identify(src, plan)
    assert src.unit_code == code and src.status == ""


def test_report_date_warnings_write_each_date_day_first(plan, monkeypatch):
    monkeypatch.setenv("DVK_TODAY", "2023-09-01")
    assert report_date_warnings(dt.date(2023, 9, 10), plan) == [("report_date.future", {"today": "01/09/2023"})]
    assert report_date_warnings(dt.date(2022, 12, 20), plan) == [("report_date.too_early", {"earliest": "01/01/2023"})]
    # 06/08 read day first is 6 August, long after the 15/06 deadline; 8 June was probably meant.
    assert report_date_warnings(dt.date(2023, 8, 6), plan) == [
        ("report_date.swapped", {"deadline": "15/06/2023", "swapped": "08/06/2023"})]
    assert report_date_warnings(dt.date(2023, 6, 10), plan) == []
    monkeypatch.setenv("DVK_TODAY", "2025-01-01")
    # 14/6/2024: a year after the deadline to the day; 14/6/2023 was probably meant. 1/12/2024 is only late.
    assert report_date_warnings(dt.date(2024, 6, 14), plan) == [
        ("report_date.year", {"deadline": "15/06/2023", "meant": "14/06/2023"})]
    assert report_date_warnings(dt.date(2024, 12, 1), plan) == []


def test_a_report_date_warning_points_at_the_report_date_field(plan, monkeypatch):
    monkeypatch.setenv("DVK_TODAY", "2023-09-01")
    src = _form("UBND xã Phổ An")
    src.sheets["unit_info"].records[0][sheet_spec("unit_info").column_names.index("report_date")] = dt.date(2023, 9, 10)
    identify(src, plan)
    [issue] = [i for i in src.issues if i.rule == "report_date.future"]
    cell = src.sheets["unit_info"].addresses["report_date"]
    assert (issue.cell, issue.column, issue.value, issue.severity) == (cell, "report_date", "10/09/2023", "warning")
    assert issue.message.startswith(f"Ô {cell}: ngày báo cáo 10/09/2023") and "None" not in issue.message


@pytest.mark.parametrize("today", ["2023-09-01", "2027-01-01"])   # the typed year still ahead, or already past
def test_a_report_date_typed_in_a_later_year_counts_on_the_day_it_proposes(plan, monkeypatch, today):
    """14/6/2026 typed for 14/6/2023 (deadline 15/6/2023): a slip of the year, said, and the unit counted on time
    (the report and the workbook print this rule with the deadline)."""
    from pipeline.check.results import submission_status

    monkeypatch.setenv("DVK_TODAY", today)
    src = _form("UBND xã Phổ An")
    typed = dt.date(plan.deadline.year + 3, plan.deadline.month, plan.deadline.day - 1)
    src.sheets["unit_info"].records[0][sheet_spec("unit_info").column_names.index("report_date")] = typed
    identify(src, plan)
    [issue] = [i for i in src.issues if i.rule.startswith("report_date.")]
    meant = typed.replace(year=plan.deadline.year)
    assert issue.rule == "report_date.year" and meant.strftime("%d/%m/%Y") in issue.message
    assert src.report_date == meant and submission_status(src.report_date, plan) == "on_time"
    # a day a week after the deadline in a later year is not "near" it by the plan's margin: only late, no guess
    far = dt.date(plan.deadline.year + 1, 12, 1)
    assert report_date_warnings(far, plan) in ([], [("report_date.future", {"today": dt.date.fromisoformat(
        today).strftime("%d/%m/%Y")})])


# -- issue 26: the errors of a return, and the office's decisions ------------------------------------------

def test_a_later_return_with_more_errors_does_not_replace_the_used_one_and_files_csv_says_why(plan):
    day, later = dt.date(2023, 6, 10), dt.date(2023, 6, 12)
    clean = _file("received/pho_an/a.xlsx", day, mtime=10)
    worse = _file("received/pho_an/b.xlsx", later, mtime=20)           # later date, saved later, 20,001 errors
    choose_returns([clean, worse], plan, {clean.file: 0, worse.file: 20_001})
    assert clean.status == "" and worse.status == FileStatus.SUPERSEDED
    assert worse.reason == msg.FILE_SUPERSEDED_MORE_ERRORS.format(errors=20_001, winner=clean.file, winner_errors=0)
    assert clean.reason == msg.FILE_USED_OVER.format(n=2, others=worse.file, why=msg.WHY_FEWER_ERRORS)


@pytest.mark.parametrize("errors_first,errors_later", [(3, 3), (3, 1), (0, 0)])
def test_a_later_return_as_complete_as_the_used_one_replaces_it_by_the_usual_rules(plan, errors_first, errors_later):
    first = _file("received/pho_an/a.xlsx", dt.date(2023, 6, 10), mtime=10)
    later = _file("received/pho_an/b.xlsx", dt.date(2023, 6, 12), mtime=20)
    choose_returns([first, later], plan, {first.file: errors_first, later.file: errors_later})
    assert later.status == "" and first.status == FileStatus.SUPERSEDED


def test_the_error_count_comes_after_drafts_and_before_dates(plan):
    final = _file("pho_an.xlsx", dt.date(2023, 6, 1), mtime=1)
    draft = _file("pho_an_du_thao.xlsx", dt.date(2023, 6, 12), mtime=2)   # no error, but a draft
    choose_returns([final, draft], plan, {final.file: 5, draft.file: 0})
    assert final.status == "" and draft.reason == msg.FILE_SUPERSEDED_DRAFT.format(winner=final.file)


def test_the_office_s_choice_is_used_and_a_return_sent_back_never_counts(plan):
    chosen = _file("received/pho_an/a.xlsx", dt.date(2023, 6, 1), mtime=1)
    chosen.decision = "use"
    better = _file("received/pho_an/b.xlsx", dt.date(2023, 6, 12), mtime=2)
    sent_back = _file("received/pho_an/c.xlsx", dt.date(2023, 6, 13), mtime=3)
    sent_back.decision, sent_back.decision_reason = "send_back", "Thiếu chữ ký"
    choose_returns([chosen, better, sent_back], plan, {chosen.file: 4, better.file: 0, sent_back.file: 0})
    assert chosen.status == ""
    assert better.status == FileStatus.SUPERSEDED
    assert better.reason == msg.FILE_SUPERSEDED_OFFICE.format(winner=chosen.file)
    assert sent_back.status == FileStatus.REJECTED
    assert sent_back.reason == msg.FILE_SENT_BACK.format(reason="Thiếu chữ ký")
    # alone, a return sent back is no return: the unit has none
    only = _file("received/pho_khanh/a.xlsx", dt.date(2023, 6, 1), mtime=1, unit="pho_khanh")
    only.decision, only.decision_reason = "send_back", "Sai mẫu"
    choose_returns([only], plan)
    assert only.status == FileStatus.REJECTED


def test_a_sheet_another_return_of_the_unit_gives_is_no_error_in_choosing(plan):
    from pipeline.check.units import ranking_errors

    report = _file("pho_an_bao_cao.xlsx", dt.date(2023, 6, 10), mtime=1)
    extra = _file("pho_an_bo_sung.xlsx", dt.date(2023, 6, 10), mtime=2)
    missing = {extra.file: {"3. Mô hình": "error", "5. Phân loại": "error"}, report.file: {}}
    counted = ranking_errors([report, extra], {report.file: 0, extra.file: 3}, missing)
    assert counted == {report.file: 0, extra.file: 1}      # its own third error still counts


def test_a_report_date_left_blank_is_weighed_by_the_date_rules_not_counted_again_as_an_error():
    from pipeline.check.units import counts_in_choosing

    assert counts_in_choosing("error", "report_date") is False         # "pho_an - bản sửa.xlsx" left undated
    assert counts_in_choosing("error", "staff_total") is True
    assert counts_in_choosing("warning", "staff_total") is False
