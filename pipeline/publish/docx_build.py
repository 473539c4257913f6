"""A thin layer over python-docx for an administrative document: page, paragraphs, tables, pictures."""
from __future__ import annotations

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
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)


def cell_text(v, is_pct: bool = False) -> str:
    """A table value as printed: Vietnamese thousands and decimal marks, blanks for missing values."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    if is_pct:
        return vn_number(v, 1)
    if isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_)):
        return vn_number(v) if float(v).is_integer() else vn_number(v, 2)
    return str(v)


class DocBuilder:
    """The document being written, with the house style of the draft report."""

    def __init__(self):
        self.doc = Document()
        sec = self.doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
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

    def header_text(self, text: str) -> None:
        hp = self.doc.sections[0].header.paragraphs[0]
        hp.alignment = RIGHT
        run = hp.add_run(text)
        run.bold = True
        run.font.size = Pt(12)

    def two_columns(self, left: list[tuple[str, dict]], right: list[tuple[str, dict]], widths=(6.0, 10.5)):
        """A borderless two-column block (the national heading, the signature): lines with their run styles."""
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, column, lines, width in zip(table.rows[0].cells, table.columns, (left, right), widths):
            cell.width = column.width = Cm(width)
            for i, (text, style) in enumerate(lines):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                p.alignment = style.get("align", CENTER)
                p.paragraph_format.space_after = Pt(0)
                run = p.add_run(text)
                run.bold, run.italic = style.get("bold", False), style.get("italic", False)
                run.font.size = Pt(style.get("size", 13))
        return table

    def table(self, sec: Section, df: pd.DataFrame | None = None) -> None:
        """A captioned table whose header repeats on every page; numbers right-aligned, totals in bold."""
        df = sec.df if df is None else df
        caption = self.para(sec.title, italic=True, bold=True, size=13, align=CENTER)
        caption.paragraph_format.space_after = Pt(2)
        caption.paragraph_format.keep_with_next = True
        tbl = self.doc.add_table(rows=1, cols=len(df.columns))
        tbl.style = "Table Grid"
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(tbl)
        for cell, col in zip(tbl.rows[0].cells, df.columns):
            self._cell(cell, str(col), bold=True, align=CENTER)
        first_total = len(df) - sec.total_rows
        for i, row in enumerate(df.itertuples(index=False)):
            cells = tbl.add_row().cells
            for cell, col, v in zip(cells, df.columns, row):
                is_number = col in sec.number_columns or col in sec.percent_columns
                self._cell(cell, cell_text(v, col in sec.percent_columns), bold=i >= first_total,
                           align=RIGHT if is_number else None)
        _fit_columns(tbl, df, self.doc.sections[-1])
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    @staticmethod
    def _cell(cell, text: str, bold=False, align=None) -> None:
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold
        run.font.size = Pt(11)
        if align is not None:
            cell.paragraphs[0].alignment = align

    def picture(self, png, width_cm: float = 15.5) -> None:
        if png is not None and png.exists():
            self.doc.add_picture(str(png), width=Cm(width_cm))
            self.doc.paragraphs[-1].alignment = CENTER

    def landscape_section(self) -> None:
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21)
        sec.left_margin = sec.right_margin = Cm(1.5)

    def save(self, path) -> None:
        self.doc.save(path)


def _repeat_header(tbl) -> None:
    tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):  # header row repeats on every page, never split
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _fit_columns(tbl, df: pd.DataFrame, section) -> None:
    """Short columns (numbers, yes/no) get just the width they need; long text columns
    share the rest by how much they hold. python-docx needs widths on the grid and cells."""
    usable = section.page_width - section.left_margin - section.right_margin
    per_char, padding = Cm(0.21), Cm(0.45)
    needs, flexible = [], []
    for col in df.columns:
        word = max((len(w) for w in str(col).split()), default=0) + 1  # bold headers are wider
        value = max((len(cell_text(v)) for v in df[col].head(200)), default=0)
        if value <= 12:
            needs.append(int(max(word, value, 3) * per_char + padding))
            flexible.append(0)
        else:
            needs.append(int(max(word, 8) * per_char + padding))
            flexible.append(min(value, 40))
    spare = max(usable - sum(needs), 0)
    share = sum(flexible) or 1
    widths = [n + int(spare * f / share) if sum(flexible) else int(n * usable / sum(needs))
              for n, f in zip(needs, flexible)]
    tbl.autofit = False
    for column, width in zip(tbl.columns, widths):
        column.width = width  # the grid, which LibreOffice reads
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # each cell, which Word reads
