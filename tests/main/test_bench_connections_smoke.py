"""The connections benchmark still runs end to end (tiny: 30 connections in 3 rooms, our server
only), and its small pieces say what they promise."""
from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.mark.multiprocess
def test_connections_benchmark_runs(tmp_path, capsys):
    from bench.connections_bench import main

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the
    # main thread for the rest of the session, and asyncio.run() refuses to start beside it.
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(main, [
            "--connections", "30", "--room-size", "10", "--messages", "5", "--rate", "20",
            "--hold", "0.5", "--no-node", "--json", str(tmp_path / "bench.json")]).result()
    ours = report["ours"]
    assert (ours["joined"], ours["failed"]) == (30, 0)
    assert ours["gate"]["open"] == 30  # every connection was held while measured
    assert ours["fds"] >= 30
    assert ours["rss_after_kib"] > 0 and ours["accept_s"] > 0
    fanout = ours["fanout"]
    assert fanout["lost"] == 0 and fanout["deliveries"] == 5 * 10
    health = ours["healthz"]["all"]
    assert health["samples"] > 0 and health["failed"] == 0
    assert "node" not in report
    assert "| **RSS per joined connection (KiB)** |" in capsys.readouterr().out


def test_connections_fill_rooms_of_the_given_size():
    from bench.connections_bench import layout

    assert layout(10_000, 50) == [50] * 200
    assert layout(30, 50) == [30]
    assert layout(125, 50) == [50, 50, 25]


def test_health_latency_counts_failures_and_keeps_to_its_phase():
    from bench.connections_bench import latency_stats

    samples = [(0.0, 5.0, True), (1.0, 7.0, True), (2.0, 5000.0, False), (9.0, 1.0, True)]
    stats = latency_stats(samples, 0.5, 5.0)
    assert (stats["samples"], stats["failed"]) == (2, 1)
    assert stats["p50_ms"] == 5000.0 and stats["max_ms"] == 5000.0
