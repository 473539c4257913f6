"""Command line: `python -m pipeline report|template|demo|check FILE|bench`."""
from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from pipeline.config import ROOT


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dvk", description="Sơ kết phong trào thi đua “Dân vận khéo” – xử lý báo cáo.")
    p.add_argument("--inputs", type=Path, default=Path(os.environ.get("DVK_INPUTS", ROOT / "inputs")))
    p.add_argument("--outputs", type=Path, default=Path(os.environ.get("DVK_OUTPUTS", ROOT / "outputs")))
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("report", help="Chạy toàn bộ quy trình trên thư mục inputs/.")
    sub.add_parser("template", help="Tạo mẫu báo cáo trống.")
    demo = sub.add_parser("demo", help="Tạo báo cáo mẫu của các đơn vị.")
    demo.add_argument("--seed", type=int, default=None)
    check = sub.add_parser("check", help="Kiểm tra một tệp báo cáo.")
    check.add_argument("file", type=Path)
    bench = sub.add_parser("bench", help="Đo tốc độ đọc và kiểm tra.")
    bench.add_argument("--returns", type=int, default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu của người dùng.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an unusable environment: one sentence, no traceback
        if os.environ.get("DVK_DEBUG"):
            raise
        print(fatal_sentence(exc), file=sys.stderr)
        return 1


def fatal_sentence(exc: Exception) -> str:
    """One Vietnamese sentence saying why no output could be produced."""
    where = getattr(exc, "filename", None) or ""
    if isinstance(exc, PermissionError):
        return f"Không thể tạo kết quả vì không có quyền ghi vào “{where}”."
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return f"Không thể tạo kết quả vì “{where}” là một tệp, không phải thư mục."
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "Không thể tạo kết quả vì ổ đĩa đã hết dung lượng."
    if isinstance(exc, ImportError):
        name = getattr(exc, "name", None) or str(exc)
        return (f"Không thể tạo kết quả vì không nạp được thư viện “{name}” (môi trường cài đặt bị hỏng hoặc thiếu); "
                "hãy xóa thư mục .venv rồi chạy lại lệnh make. Kết quả của lần chạy trước vẫn được giữ nguyên.")
    if isinstance(exc, MemoryError):
        return "Không thể tạo kết quả vì máy không đủ bộ nhớ; hãy chia nhỏ thư mục inputs/."
    return (f"Không thể tạo kết quả do lỗi chương trình ({type(exc).__name__}); "
            "chạy lại với DVK_DEBUG=1 để xem chi tiết và báo cho nhóm phát triển.")


def _dispatch(args) -> int:
    if args.command == "template":
        from pipeline.template import write_template

        path = write_template(args.outputs / "template")
        print(f"Đã tạo mẫu báo cáo: {path}")
        return 0
    if args.command == "demo":
        from pipeline.demo import DEFAULT_SEED, write_demo

        folder = write_demo(args.outputs / "demo", seed=args.seed or DEFAULT_SEED)
        print(f"Đã tạo báo cáo mẫu của các đơn vị trong: {folder}")
        return 0
    if args.command == "report":
        from pipeline.run import run_report

        return run_report(args.inputs, args.outputs)
    if args.command == "check":
        from pipeline.run import check_file

        return check_file(args.file)
    if args.command == "bench":
        from pipeline.bench import run_bench

        return run_bench(args.outputs, args.returns)
    raise AssertionError(args.command)
