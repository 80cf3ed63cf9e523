"""A real S3 API server for the tests: moto's server mode (`moto_server`) as a process on a free
port, spoken to over HTTP by boto3 exactly as production speaks to its object store.

`s3_settings(server)` gives the app settings that put an app's blobs in a fresh bucket of it.
"""
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

#: moto accepts any credentials; boto3 insists on having some
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "eu-central-1"}


@dataclass
class S3Server:
    url: str
    process: subprocess.Popen

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.url, region_name="eu-central-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def new_bucket(self) -> str:
        name = f"museum-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        return name

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_s3_server(port: int) -> S3Server:
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/moto-api/", timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.1)
    return S3Server(url, process)


def s3_settings(server: S3Server, prefix: str = "blobs") -> dict:
    """App settings for blobs in a new, empty bucket of `server` (credentials come from the
    environment, as in production: `use_s3_credentials` puts them there)."""
    return {"STORAGE_URL": f"s3://{server.new_bucket()}/{prefix}",
            "S3_ENDPOINT_URL": server.url}


def use_s3_credentials() -> None:
    for name, value in CREDENTIALS.items():
        os.environ.setdefault(name, value)
