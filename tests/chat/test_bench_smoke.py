"""The fan-out benchmark still runs end to end (tiny: 3 clients, one short rate step)."""
import pytest

pytestmark = [pytest.mark.multiprocess]


def test_chat_fanout_benchmark_runs(tmp_path):
    from bench.chat_fanout import main

    report = main(["--clients", "3", "--rates", "5", "--duration", "0.6", "--no-redis",
                   "--json", str(tmp_path / "bench.json")])
    for key in ("ours", "bare"):
        (step,) = report[key]
        assert step["lost"] == 0 and step["deliveries"] == step["messages"] * 3
        assert step["cpu_ms_per_msg"] >= 0  # read from /proc (3 messages may stay under a tick)
    assert report["summary"]["ratio"] > 0


def test_server_cpu_time_is_read_from_proc():
    import os

    from bench.chat_fanout import cpu_seconds

    before = cpu_seconds([os.getpid()])
    sum(i * i for i in range(3_000_000))  # ~0.2 s of CPU: well over one clock tick
    assert cpu_seconds([os.getpid()]) > before > 0
