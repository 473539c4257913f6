"""`python -m pipeline.web serve|links` (what `make serve` and `make links` run)."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from pipeline.web import checking
from pipeline.web.settings import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline.web",
                                description="Trang nộp và kiểm tra báo cáo của các đơn vị; bảng theo dõi của cơ quan.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="Chạy máy chủ web.")
    serve.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    links = sub.add_parser("links", help="Tạo đường dẫn nộp báo cáo cho các đơn vị (tệp CSV).")
    links.add_argument("--base-url", default=os.environ.get("BASE_URL") or "",
                       help="Địa chỉ mà các đơn vị mở, ví dụ https://baocao.example.gov.vn")
    links.add_argument("--rotate", default=os.environ.get("ROTATE") or "",
                       help="Cấp lại đường dẫn: all (tất cả), office (bảng theo dõi) hoặc mã đơn vị, cách nhau bởi dấu phẩy.")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    if args.command == "links":
        return links(settings, args.base_url, args.rotate)
    return serve(settings, args.host, args.port)


def links(settings: Settings, base_url: str, rotate: str) -> int:
    from pipeline.web.tokens import issue_links

    base_url = base_url or f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"
    units = checking.units()
    wanted = {r.strip() for r in rotate.split(",") if r.strip()}
    unknown = wanted - {u.code for u in units} - {"all", "office"}
    if unknown:
        print(f"Không có đơn vị mã: {', '.join(sorted(unknown))} (xem config/units.csv).", file=sys.stderr)
        return 2
    created, path = issue_links(settings.state, units, base_url, wanted)
    if path is None:
        print("Mọi đơn vị đã có đường dẫn; các đường dẫn đã gửi vẫn dùng được.\n"
              "Để cấp lại: make links ROTATE=<mã đơn vị> (hoặc ROTATE=all, ROTATE=office).")
        return 0
    print(f"Đã tạo {len(created)} đường dẫn mới: {path}")
    print("Gửi mỗi đơn vị đúng đường dẫn của mình, rồi xóa tệp này; máy chủ chỉ lưu mã băm của đường dẫn, "
          "không lưu lại được đường dẫn gốc.")
    print("Các đường dẫn đã cấp trước đó (nếu có) vẫn giữ nguyên, trừ những đường dẫn vừa cấp lại.")
    return 0


def serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from pipeline.web.app import create_app
    from pipeline.web.server import hide_tokens_in_logs, uvicorn_kwargs

    if not settings.tokens_file.exists():
        print("Chưa có đường dẫn nào: chạy `make links` để tạo đường dẫn cho các đơn vị và cho cơ quan.",
              file=sys.stderr)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    hide_tokens_in_logs()
    print(f"Trang web chạy tại http://{host}:{port}/ (dừng bằng Ctrl+C). Thư mục nhận báo cáo: {settings.received}")
    uvicorn.run(create_app(settings), host=host, port=port, workers=1, proxy_headers=True,
                forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"), log_config=None,
                **uvicorn_kwargs(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
