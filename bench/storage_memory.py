"""Memory of a 200 MB upload to S3 and its download, against the file's size.

Starts moto's S3 server (tests/s3.py), makes an app on a throwaway SQLite database with
STORAGE_URL=s3://…, uploads a 200 MB file through the files service (spool to disk, sniff,
boto3's managed multipart transfer), then downloads it through the app's download response
(streamed from S3), and prints this process's peak resident memory (VmHWM) before and after
each step. Run: .venv/bin/python bench/storage_memory.py [MB]
"""
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "testing")
os.environ.setdefault("SECRET_KEY", "bench")


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def main(size_mb: int = 200) -> None:
    from tests.conftest import free_port
    from tests.s3 import s3_settings, start_s3_server, use_s3_credentials

    use_s3_credentials()
    server = start_s3_server(free_port())
    folder = Path(tempfile.mkdtemp(prefix="storage-bench-"))
    os.environ["DATA_DIR"] = str(folder)
    try:
        from app import create_app
        from app.core.downloads import send_download
        from app.extensions import db
        from app.files import services
        from tests.factories import make_team

        app = create_app("testing", overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MAX_UPLOAD_MB": size_mb + 10, **s3_settings(server)})
        source = folder / "big.txt"
        line = b"A line of a long museum inventory, repeated to make a big text file.\n"
        with open(source, "wb") as handle:
            for _ in range(size_mb * 1024 * 1024 // len(line)):
                handle.write(line)
        size = source.stat().st_size
        with app.app_context():
            db.create_all()
            project, people = make_team()
            from io import BytesIO
            services.upload_file(project, people["member"], BytesIO(b"warm-up"), "w.txt")
            reset_peak()
            before = peak_mb()
            started = time.monotonic()
            with open(source, "rb") as stream:
                item = services.upload_file(project, people["member"], stream, "big.txt")
            upload_seconds = time.monotonic() - started
            upload_peak = peak_mb()
            download = services.download_for(project, people["member"], item.id)
            reset_peak()
            download_before = peak_mb()
            with app.test_request_context():
                response = send_download(download)
                received = sum(len(chunk) for chunk in response.response)
                response.close()
            download_peak = peak_mb()
        assert received == size
        print(f"file: {size / 2**20:.0f} MB")
        print(f"upload to S3: peak RSS {before:.0f} MB -> {upload_peak:.0f} MB "
              f"(+{upload_peak - before:.0f} MB) in {upload_seconds:.1f} s")
        print(f"download from S3: peak RSS {download_before:.0f} MB -> {download_peak:.0f} MB "
              f"(+{download_peak - download_before:.0f} MB)")
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
