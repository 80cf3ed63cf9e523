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
        assert step["cpu_ms_per_msg"] > 0  # the servers' CPU time was read from /proc
    assert report["summary"]["ratio"] > 0
