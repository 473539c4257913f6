"""Issue 27: the empty-comment case of the feedback copy (pipeline/check/feedback_xlsx.py). A cell's messages go
after the note already there when that note has a text, and become the text of a note that has none (an empty
<comment> element, as some tools write it, or one closing itself): Excel repairs a cell with two comments. A cell
with no note at all gets a new one."""
from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.comments import Comment

import pytest

from pipeline.check.feedback_xlsx import Listing, Mark, annotate
from tests.ooxml import problems

LISTING = Listing(name="Lỗi", title="Các lỗi", note="", headers=("Sheet", "Ô", "Nội dung", "Mức"), rows=[],
                  author="Cơ quan Tổ chức – Nội vụ")


def _workbook(empty: bytes = rb"\1\2") -> bytes:
    """Sheet "S": B4 with a note "note B4", C4 with an empty note (its <text> removed: `empty` replaces the start
    and end tags of its <comment>), D4 with none."""
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for c in ("B4", "C4", "D4"):
        ws[c] = 1
    for c in ("B4", "C4"):
        ws[c].comment = Comment(f"note {c}", "Đơn vị")
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if re.search(r"comments?\d*\.xml$", item.filename):
                body = re.sub(rb'(<comment ref="C4"[^>]*>).*?(</comment>)', empty, body)
            dst.writestr(item, body)
    return out.getvalue()


def _comments(data: bytes) -> dict[str, list[str]]:
    """Each cell's comments in the copy: the texts of every <comment> at it, in order."""
    z = zipfile.ZipFile(io.BytesIO(data))
    found: dict[str, list[str]] = {}
    for name in z.namelist():
        if re.search(r"comments?[\w]*\.xml$", name):
            xml = z.read(name).decode()
            for ref, body in re.findall(r'<comment\b[^>]*\bref="([A-Z]+[0-9]+)"[^>]*>(.*?)</comment>', xml, re.S):
                found.setdefault(ref, []).append("".join(re.findall(r"<t(?:\s[^>]*)?>(.*?)</t>", body, re.S)))
    return found


def test_a_note_with_a_text_is_kept_and_the_message_added_after_it_and_an_empty_one_gets_its_own():
    marks = [Mark("S", c, "error", f"Lỗi ở {c}") for c in ("B4", "C4", "D4")]
    got = _comments(annotate(_workbook(), marks, LISTING))
    assert got["B4"] == ["note B4\nLỗi ở B4"]
    assert got["C4"] == ["Lỗi ở C4"]              # the empty note takes the message: one comment per cell
    assert got["D4"] == ["Lỗi ở D4"]


def test_a_cell_without_a_message_keeps_its_note_as_it_was():
    got = _comments(annotate(_workbook(), [Mark("S", "D4", "warning", "Cảnh báo")], LISTING))
    assert got["B4"] == ["note B4"] and got["C4"] == [""] and got["D4"] == ["Cảnh báo"]


@pytest.mark.parametrize("empty", [rb"\1\2", rb'<comment ref="C4" authorId="0"/>'], ids=["empty", "self_closing"])
def test_the_copy_of_a_return_with_an_empty_note_is_what_excel_opens(empty):
    data = annotate(_workbook(empty), [Mark("S", c, "error", f"Lỗi ở {c}") for c in ("B4", "C4", "D4")], LISTING)
    assert problems(data) == []
    assert _comments(data)["C4"] == ["Lỗi ở C4"]


def test_the_checker_sees_two_comments_at_one_cell_and_a_comment_without_a_text():
    z = zipfile.ZipFile(io.BytesIO(_workbook()))
    name = next(n for n in z.namelist() if re.search(r"comments?\d*\.xml$", n))
    assert problems(_workbook()) == [f"{name}: 1 comment(s) without a text"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in z.infolist():
            body = z.read(item)
            if item.filename == name:
                body = body.replace(b"</commentList>", b'<comment ref="B4" authorId="0"><text><t>x</t></text>'
                                    b"</comment></commentList>")
            dst.writestr(item, body)
    assert f"{name}: two comments at B4" in problems(out.getvalue())
