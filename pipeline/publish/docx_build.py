"""A thin layer over python-docx for an administrative document (Nghị định 30/2020/NĐ-CP): page, header with
page numbers, paragraphs, captioned tables, pictures."""
from __future__ import annotations

import copy
import math
import numbers

import numpy as np
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pipeline.publish.sections import Section
from pipeline.text import vn_number

FONT = "Times New Roman"
BODY_PT, TABLE_PT, NOTE_PT = 14, 11, 12
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
# Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PORTRAIT_MARGINS = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 2.0}
LANDSCAPE_MARGINS = {"top": 2.0, "bottom": 2.0, "left": 2.0, "right": 2.0}
HEADER_LINES = 3          # a numeric column is wide enough for its header on at most this many lines
SHORT_TEXT = 20           # a text column whose values all fit on one line of about this many characters
LABEL_CHARS = 12          # the first column (the row labels) keeps at least this many characters a line
TEXT_SHARE = 0.25         # what a table with long texts keeps of its width for them beyond their minimum


def cell_text(v, is_pct: bool = False) -> str:
    """A table value as printed: Vietnamese thousands and decimal marks, blanks for missing values."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    if is_pct:
        return vn_number(v, 1)
    if isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_)):
        return vn_number(v) if float(v).is_integer() else vn_number(v, 2)
    return str(v)


def _margins(section, orientation, width_cm: float, height_cm: float, margins: dict) -> None:
    section.orientation = orientation
    section.page_width, section.page_height = Cm(width_cm), Cm(height_cm)
    section.top_margin, section.bottom_margin = Cm(margins["top"]), Cm(margins["bottom"])
    section.left_margin, section.right_margin = Cm(margins["left"]), Cm(margins["right"])
    section.header_distance = section.footer_distance = Cm(1.0)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) in `paragraph`, computed by Word and LibreOffice when the page is laid out."""
    run = paragraph.add_run()
    for tag, text in (("w:fldChar", "begin"), ("w:instrText", instruction), ("w:fldChar", "separate")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), text)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        run._r.append(el)
    run = paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


class DocBuilder:
    """The document being written, with the house style of the draft report."""

    def __init__(self):
        self.doc = Document()
        self._cell_paragraphs: dict[tuple, object] = {}   # a table cell's paragraph by (bold, align, keep): _cell
        _margins(self.doc.sections[0], WD_ORIENT.PORTRAIT, 21, 29.7, PORTRAIT_MARGINS)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15

    def para(self, text: str = "", bold=False, italic=False, size=None, align=None, indent=True):
        p = self.doc.add_paragraph()
        p.alignment = JUSTIFY if align is None else align
        if indent and align is None:
            p.paragraph_format.first_line_indent = Cm(1)
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return p

    def heading(self, text: str):
        p = self.para(text, bold=True, align=LEFT)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True
        return p

    def header_and_page_numbers(self, first_page_mark: str, footer_mark: str = "") -> None:
        """Page numbers centred at the top from page 2; the first page shows `first_page_mark` (DỰ THẢO) instead."""
        sec = self.doc.sections[0]
        sec.different_first_page_header_footer = True
        first = sec.first_page_header.paragraphs[0]
        first.alignment = RIGHT
        run = first.add_run(first_page_mark)
        run.bold, run.font.size = True, Pt(12)
        number = sec.header.paragraphs[0]
        number.alignment = CENTER
        _field(number, "PAGE")
        for run in number.runs:
            run.font.size = Pt(13)
        if footer_mark:
            for footer in (sec.footer, sec.first_page_footer):
                fp = footer.paragraphs[0]
                fp.alignment = CENTER
                run = fp.add_run(footer_mark)
                run.bold, run.font.size = True, Pt(10)

    def two_columns(self, left: list[tuple[str, dict]], right: list[tuple[str, dict]], widths=(6.0, 10.0)):
        """A borderless two-column block (the national heading, the signature): lines with their run styles."""
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _row_flags(table.rows[0])  # the block never splits across two pages
        for cell, column, lines, width in zip(table.rows[0].cells, table.columns, (left, right), widths):
            cell.width = column.width = Cm(width)
            for i, (text, style) in enumerate(lines):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                p.alignment = style.get("align", CENTER)
                p.paragraph_format.space_after = Pt(style.get("after", 0))
                p.paragraph_format.first_line_indent = None
                run = p.add_run(text)
                run.bold, run.italic = style.get("bold", False), style.get("italic", False)
                run.font.size = Pt(style.get("size", 13))
        return table

    def table(self, sec: Section, df: pd.DataFrame | None = None, title: str | None = None,
              merge_first: bool = False) -> None:
        """A captioned table kept with its caption, whose header repeats on every page and never wraps a number's
        header one word per line; numbers right-aligned, totals in bold, the section's note under it."""
        df = sec.df if df is None else df
        if self.doc.paragraphs and self.doc.paragraphs[-1].text.rstrip().endswith(":"):
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True  # "…như sau:" stays with its table
        caption = self.para(title or sec.title, italic=True, bold=True, size=13, align=CENTER)
        caption.paragraph_format.space_after = Pt(2)
        caption.paragraph_format.keep_with_next = True
        if sec.note:  # under the caption, so that it never ends up alone on the next page
            note = self.para(sec.note, italic=True, size=NOTE_PT - 1, align=CENTER)
            note.paragraph_format.space_after = Pt(2)
            note.paragraph_format.keep_with_next = True
        tbl = self.doc.add_table(rows=1, cols=len(df.columns))
        tbl.style = "Table Grid"
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        _row_flags(tbl.rows[0], header=True)
        for cell, col in zip(tbl.rows[0].cells, df.columns):
            self._cell(cell, str(col), bold=True, align=CENTER, keep=True)
        first_total = len(df) - sec.total_rows
        for i, row in enumerate(df.itertuples(index=False)):
            tr = tbl.add_row()
            _row_flags(tr)
            for cell, col, v in zip(tr.cells, df.columns, row):
                is_number = col in sec.number_columns or col in sec.percent_columns
                self._cell(cell, cell_text(v, col in sec.percent_columns), bold=i >= first_total,
                           align=RIGHT if is_number else None, keep=i == 0)
        _fit_columns(tbl, df, sec, self.doc.sections[-1])
        if merge_first:
            _merge_repeats(tbl, list(df.iloc[:, 0]))
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _cell(self, cell, text: str, bold=False, align=None, keep=False) -> None:
        """The cell's one paragraph: a copy of the first one made with these settings (python-docx builds each
        setting element by element, ~1 ms a cell), then the text, set as python-docx sets it."""
        key = (bold, align, keep)
        if key not in self._cell_paragraphs:
            cell.text = ""
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.first_line_indent = None
            p.paragraph_format.line_spacing = 1.0
            p.paragraph_format.keep_with_next = keep
            run = p.add_run()
            run.bold = bold
            run.font.size = Pt(TABLE_PT)
            if align is not None:
                p.alignment = align
            self._cell_paragraphs[key] = copy.deepcopy(p._p)
        else:
            tc = cell._tc
            for old in tc.findall(qn("w:p")):
                tc.remove(old)
            tc.append(copy.deepcopy(self._cell_paragraphs[key]))
        paragraph = cell.paragraphs[0]
        paragraph.runs[-1].text = text

    def picture(self, png, width_cm: float = 15.5) -> None:
        if png is not None and png.exists():
            self.doc.add_picture(str(png), width=Cm(width_cm))
            self.doc.paragraphs[-1].alignment = CENTER

    def landscape_section(self) -> None:
        """A new landscape section; its header (the page number) follows from the first section."""
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _margins(sec, WD_ORIENT.LANDSCAPE, 29.7, 21, LANDSCAPE_MARGINS)
        sec.different_first_page_header_footer = False

    def save(self, path) -> None:
        self.doc.save(path)


def _merge_repeats(tbl, labels: list) -> None:
    """Merge the first-column cells of consecutive rows with the same label (a label said once per block)."""
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if i - start > 1:
                merged = tbl.rows[start + 1].cells[0].merge(tbl.rows[i].cells[0])
                for p in merged.paragraphs[1:]:  # the merge keeps every cell's paragraph: keep the first
                    p._p.getparent().remove(p._p)
            start = i


def _row_flags(row, header: bool = False) -> None:
    """A row never splits across pages; the header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in (("w:tblHeader", "w:cantSplit") if header else ("w:cantSplit",)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _needs(df: pd.DataFrame, sec: Section, header_lines: int) -> tuple[list[float], list[float]]:
    """(characters each column needs, how much each column would like beyond that). A short column (numbers,
    yes/no) needs its header on at most `header_lines` lines; a long text column its longest word, and at least
    LABEL_CHARS when it labels the rows (the first column)."""
    needs, flexible = [], []
    for j, col in enumerate(df.columns):
        header = str(col)
        word = max((len(w) for w in header.split()), default=0) + 1  # bold headers are wider
        lengths = [len(cell_text(v, col in sec.percent_columns)) for v in df[col].head(300)]
        value = max(lengths, default=0)
        numeric = col in sec.number_columns or col in sec.percent_columns
        if numeric or value <= SHORT_TEXT:  # a number on one line; a short text on at most two, a word never cut
            unbroken = max((len(w) for v in df[col].head(300) for w in cell_text(v).split()), default=0)
            longest_value = value + 1 if numeric else max(math.ceil(value / 2), unbroken) + 1
            need = max(word, math.ceil(len(header) / header_lines) + 1, longest_value, 4)
            needs.append(need)
            flexible.append(need / 2)   # a short column takes a little of the spare width too
        else:  # a long text column: its share follows how much text its rows hold on average
            filled = [n for n in lengths if n]
            needs.append(max(word, LABEL_CHARS if j == 0 else 10))
            flexible.append(min(sum(filled) / max(len(filled), 1), 200))
    return needs, flexible


def _fit_columns(tbl, df: pd.DataFrame, sec: Section, section) -> None:
    """Short columns (numbers, yes/no) get what they need (their header on at most three lines, four when the
    table is crowded); long text columns share the rest by how much they hold. python-docx needs widths on the
    grid and the cells."""
    usable = section.page_width - section.left_margin - section.right_margin
    per_char, padding = Cm(0.22), Cm(0.45)
    long_text = any(col not in sec.number_columns and col not in sec.percent_columns
                    and max((len(cell_text(v)) for v in df[col].head(300)), default=0) > SHORT_TEXT for col in df.columns)
    for header_lines in (HEADER_LINES, HEADER_LINES + 1, HEADER_LINES + 2):
        needs, flexible = _needs(df, sec, header_lines)
        widths = [int(n * per_char + padding) for n in needs]
        # headers take a line more when the long texts (model names, reasons) would otherwise be squeezed
        if sum(widths) <= usable * (1 - TEXT_SHARE if long_text else 1):
            break
    if sum(widths) > usable:  # still too many columns: every column narrows in proportion
        widths = [int(w * usable / sum(widths)) for w in widths]
    else:  # the table spans the text width; long text columns get most of what is left
        spare = usable - sum(widths)
        widths = [w + int(spare * f / sum(flexible)) for w, f in zip(widths, flexible)]
    tbl.autofit = False
    tbl_w = tbl._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU -> twentieths of a point
    for column, width in zip(tbl.columns, widths):
        column.width = width  # the grid, which LibreOffice reads
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # each cell, which Word reads
