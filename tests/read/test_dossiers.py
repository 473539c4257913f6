"""The hồ sơ units send beside their returns, and the office's decisions file: found, told apart from returns, never
opened beyond their first bytes (issue 29)."""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest

from pipeline.config import load_plan
from pipeline.read.discover import discover
from pipeline.read.dossiers import dossier_files, is_dossier, kind_of, unit_of
from schemas.codes import FileStatus

PLAN = load_plan()
PDF = b"%PDF-1.4\n% a scanned dossier\n"


@pytest.mark.parametrize("rel, unit", [
    ("received/pho_an/ho_so/20230610T020304Z_0123abcd.pdf", "pho_an"),    # the web's layout
    ("ho_so/pho_van/to_trinh.pdf", "pho_van"),                            # copied by hand, folder by code
    ("Hồ sơ/UBND xã Phổ Châu/Báo cáo thành tích.docx", "pho_chau"),        # folder by name
    ("HO_SO/Bao cao thanh tich.pdf", ""),                                  # no unit anywhere
    ("ho_so/Pho An va Pho Van/to trinh.pdf", ""),                          # two units: neither
    ("Ho so khen thuong Pho Cuong.pdf", "pho_cuong"),                      # loose, named
])
def test_a_dossier_is_found_by_where_it_is_and_its_name(rel, unit):
    assert is_dossier(rel, PLAN)
    assert unit_of(rel, PLAN) == unit


@pytest.mark.parametrize("rel", ["pho_an_bao_cao_so_ket.xlsx", "Ho so khen thuong Pho An.xlsx", "scan.pdf",
                                 "received/pho_an/20230610T020304Z_0123abcd.xlsx", "Ho so Pho An.zip"])
def test_returns_and_other_files_are_no_dossier(rel):
    """A workbook outside a hồ sơ folder is a return whatever its name; a file that does not say it is one is not."""
    assert not is_dossier(rel, PLAN)


@pytest.mark.parametrize("head, ext, kind", [
    (PDF, ".pdf", "pdf"), (b"MZ\x90\x00", ".pdf", "exe"), (b"PK\x03\x04rest", ".docx", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".doc", "doc"), (b"\xff\xd8\xff\xe0", ".jpg", "jpg"),
    (b"<html><body>", ".pdf", "html"), (b"plain words", ".pdf", ""),
])
def test_a_dossier_is_what_its_first_bytes_say(head, ext, kind):
    assert kind_of(head, ext) == kind


def test_discovery_lists_dossiers_and_the_decisions_file_never_as_returns(tmp_path):
    web = tmp_path / "received" / "pho_an" / "ho_so"
    web.mkdir(parents=True)
    (web / "20230610T020304Z_0123abcd.pdf").write_bytes(PDF)                   # 09:03 on 10/6 in Đức Phổ
    hand = tmp_path / "ho_so" / "kinh_te"
    hand.mkdir(parents=True)
    (hand / "to_trinh.pdf").write_bytes(PDF)
    late = dt.datetime(2023, 6, 20, 8, 0).timestamp()
    os.utime(hand / "to_trinh.pdf", (late, late))
    (tmp_path / "Ho so khen thuong Pho Cuong.pdf").write_bytes(b"MZ\x90\x00 not a pdf")   # never counted
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ho so/bao cao thanh tich.pdf", PDF)
    (tmp_path / "tu_phap gui ho so.zip").write_bytes(buf.getvalue())
    (tmp_path / "quyet_dinh_khen_thuong.xlsx").write_bytes(b"not even a workbook")

    found = {s.file: s for s in discover(tmp_path, PLAN)}
    assert all(s.status == FileStatus.IGNORED for s in found.values()), {f: s.status for f, s in found.items()}
    assert found["Ho so khen thuong Pho Cuong.pdf"].issues[0].rule == "dossier.not_counted"
    assert found["tu_phap gui ho so.zip/ho so/bao cao thanh tich.pdf"].unit_code == "tu_phap"
    assert "quyết định" in found["quyet_dinh_khen_thuong.xlsx"].reason

    files = dossier_files(list(found.values()), PLAN).set_index("file")
    assert set(files.index) == {"ho_so/kinh_te/to_trinh.pdf", "received/pho_an/ho_so/20230610T020304Z_0123abcd.pdf",
                                "tu_phap gui ho so.zip/ho so/bao cao thanh tich.pdf"}
    web_row = files.loc["received/pho_an/ho_so/20230610T020304Z_0123abcd.pdf"]
    assert web_row["received_by"] == "web" and web_row["received"] == dt.datetime(2023, 6, 10, 9, 3, 4)
    assert files.loc["ho_so/kinh_te/to_trinh.pdf", "received_by"] == "file_time"
