"""The selection benchmark still runs end to end (tiny: 120 applications, 12 selected)."""


def test_selection_benchmark_runs(capsys):
    from bench.selection_bench import main

    report = main(["--applications", "120", "--countries", "10", "--select", "12",
                   "--repeat", "1"])
    assert report["feasible"] and report["selected"] == 12
    assert report["small_share"] >= 0.6 and report["budget_used"] <= report["budget"]
    assert report["relax"].startswith("No selection meets every rule.")
    assert "propose: median" in capsys.readouterr().out
