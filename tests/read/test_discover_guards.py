"""What `make report` finds in inputs/ before anything is parsed: the files an office leaves there that are not
returns, files too large, zip archives that are traps, a Word 97 file named .xls. Nothing is skipped silently;
each refusal says why in words the unit can act on."""
from __future__ import annotations

import copy
import io
import random
import shutil
import zipfile

import pytest

from pipeline.check import read_and_check
from pipeline.config import Plan
from pipeline.read.discover import discover
from pipeline.read.sources import OLE_MAGIC
from tests.ooxml import zipped

RETURN = "pho_an_bao_cao_so_ket.xlsx"
CORRUPT = "Tệp bị hỏng hoặc không phải tệp Excel hợp lệ"
BOMB = "Tệp có dung lượng giải nén bất thường (nghi là tệp độc hại)"


def _limited(plan: Plan, **limits) -> Plan:
    other = copy.deepcopy(plan)
    other.raw["limits"].update(limits)
    return other


def _found(inputs, plan) -> dict[str, tuple[str, str]]:
    return {s.file: (s.status, s.reason) for s in discover(inputs, plan)}


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


def test_the_folder_s_own_readme_and_placeholder_are_not_inputs(inputs, plan, demo_dir):
    (inputs / "README.md").write_text("Đặt các báo cáo vào đây.", encoding="utf-8")
    (inputs / ".gitkeep").write_bytes(b"")
    shutil.copy(demo_dir / "returns" / RETURN, inputs / RETURN)
    assert list(_found(inputs, plan)) == [RETURN]


def test_a_return_over_the_size_limit_is_refused_before_it_is_read(inputs, plan, demo_dir):
    shutil.copy(demo_dir / "returns" / RETURN, inputs / RETURN)
    small = _limited(plan, max_file_bytes=10_000)
    status, reason = _found(inputs, small)[RETURN]
    assert status == "rejected" and reason.startswith("Tệp lớn hơn giới hạn 0 MB cho phép")
    assert _found(inputs, plan)[RETURN][0] == ""            # within the limit: left to be read


def test_an_archive_of_returns_is_opened_and_its_folders_passed_over(inputs, plan, demo_dir):
    data = (demo_dir / "returns" / RETURN).read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("bao_cao/", b"")                          # a folder entry, as Windows' zip writes one
        z.writestr(f"bao_cao/{RETURN}", data)
    (inputs / "gui_lai.zip").write_bytes(buf.getvalue())
    found = _found(inputs, plan)
    assert found["gui_lai.zip"] == ("ignored", "Tệp nén; đã mở và đọc từng tệp bên trong.")
    assert found[f"gui_lai.zip/bao_cao/{RETURN}"][0] == ""
    assert len(found) == 2


@pytest.mark.parametrize("trap", ["too_many_members", "too_big_unpacked", "one_member_packed_too_tight"])
def test_a_zip_that_is_a_trap_is_refused_unopened(inputs, plan, trap):
    if trap == "too_many_members":
        data, limits = zipped({f"f{i}.txt": b"x" for i in range(1001)}), {}
    elif trap == "too_big_unpacked":
        data, limits = zipped({"a.xlsx": b"\0" * 200_000}), {"max_uncompressed_bytes": 100_000,
                                                             "max_compression_ratio": 10**9}
    else:      # the whole archive within the ratio, one member far beyond it
        noise = random.Random(0).randbytes(2_100_000)         # incompressible: the archive's ratio stays under 2
        data, limits = zipped({"a.xlsx": b"\0" * 2_000_000, "b.bin": noise}), {"max_compression_ratio": 2}
    (inputs / "bao_cao.zip").write_bytes(data)
    status, reason = _found(inputs, _limited(plan, **limits))["bao_cao.zip"]
    assert status == "rejected" and reason.startswith(BOMB)


def test_a_broken_zip_and_a_word_97_file_named_xls_are_said_to_be_broken(inputs, plan):
    (inputs / "bao_cao.zip").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    word97 = OLE_MAGIC + b"\0" * 512 + "WordDocument".encode("utf-16-le") + b"\0" * 512
    (inputs / "bao_cao.xls").write_bytes(word97)
    files = read_and_check(inputs, plan).files.set_index("file")
    for name in ("bao_cao.zip", "bao_cao.xls"):
        assert files.at[name, "status"] == "rejected" and files.at[name, "reason"].startswith(CORRUPT), name
