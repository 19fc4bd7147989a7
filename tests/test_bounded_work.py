"""Writers are atomic and private; work that cannot fit is refused up front (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from cli_runner import run_cli

from influence_kit import load_scenario
from influence_kit.errors import ParameterError
from influence_kit.population import write_population
from influence_kit.validation import (
    DEFAULT_MEMORY_BUDGET,
    MEMORY_BUDGET_ENV,
    check_budget,
    check_disk_space,
    memory_budget,
)

ROOT = Path(__file__).resolve().parents[1]


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``influence-kit ARGV`` with ``env`` added (in this process: see :mod:`cli_runner`)."""
    return run_cli(*argv, env=env)


# --- atomic, private writers -------------------------------------------------------


def test_concurrent_writers_into_one_target_leave_a_readable_file(tmp_path):
    target = tmp_path / "same.parquet"
    scenario = load_scenario("forrester-us-2009")
    outcomes: dict[int, object] = {}

    def write(seed: int) -> None:
        try:
            outcomes[seed] = write_population(target, scenario, 30_000, seed, chunk_size=5_000)
        except Exception as err:  # a clean failure is allowed
            outcomes[seed] = err

    threads = [threading.Thread(target=write, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert any(not isinstance(v, Exception) for v in outcomes.values()), outcomes
    final = pd.read_parquet(target)
    candidates = {}
    for seed in (1, 2):
        alone = tmp_path / f"alone{seed}.parquet"
        write_population(alone, scenario, 30_000, seed, chunk_size=5_000)
        candidates[seed] = pd.read_parquet(alone)
    assert any(final.equals(c) for c in candidates.values())
    assert not candidates[1].equals(candidates[2])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alone1.parquet",
        "alone2.parquet",
        "same.parquet",
    ]


def test_concurrent_cli_runs_into_one_target(tmp_path):
    target = tmp_path / "same.parquet"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "influence_kit",
                "simulate",
                "--n",
                "20000",
                "--seed",
                str(seed),
                "--out",
                str(target),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for seed in (3, 4)
    ]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    for _out, err, code in results:
        assert code in (0, 2), err
        assert "Traceback" not in err
    assert any(code == 0 for _, _, code in results)
    final = pd.read_parquet(target)
    assert len(final) == 20_000
    assert [p.name for p in tmp_path.iterdir()] == ["same.parquet"]


def test_failed_write_removes_its_temporary_file(tmp_path, monkeypatch):
    import influence_kit.population.generator as generator

    def broken(*args, **kwargs):
        yield from ()
        raise RuntimeError("boom")

    monkeypatch.setattr(generator, "iter_population", broken)
    with pytest.raises(RuntimeError):
        write_population(tmp_path / "x.csv", load_scenario("forrester-us-2009"), 10)
    assert list(tmp_path.iterdir()) == []


def test_written_file_has_ordinary_permissions(tmp_path):
    out = tmp_path / "p.csv"
    write_population(out, load_scenario("forrester-us-2009"), 100)
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


# --- the budget helper -------------------------------------------------------------


def test_check_budget_accepts_what_fits_and_refuses_what_does_not():
    check_budget("draws", 1000, 8, limit_bytes=8000)
    with pytest.raises(ParameterError, match=r"1,000 draws would need 7.81 KiB .* lower --draws"):
        check_budget("draws", 1000, 8, limit_bytes=7000, option="--draws")
    with pytest.raises(ParameterError, match="more than the 1,000,000,000"):
        check_budget("replicates", 10**9 + 1, 0)


def test_memory_budget_reads_the_environment(monkeypatch):
    monkeypatch.delenv(MEMORY_BUDGET_ENV, raising=False)
    assert memory_budget() == DEFAULT_MEMORY_BUDGET == 4 * 2**30
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "16G")
    assert memory_budget() == 16 * 2**30
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "512MiB")
    assert memory_budget() == 512 * 2**20
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "12345")
    assert memory_budget() == 12345
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "lots")
    with pytest.raises(ParameterError, match=MEMORY_BUDGET_ENV):
        memory_budget()


def test_check_disk_space(tmp_path):
    check_disk_space(tmp_path, 1)
    with pytest.raises(ParameterError, match="on disk"):
        check_disk_space(tmp_path, 2**70)


# --- each unbounded request is refused quickly with one line ------------------------

WORDS = str(ROOT / "data" / "clauset2009" / "words.txt")
PANEL = str(ROOT / "data" / "population" / "forrester-us-2009-panel.parquet")

REFUSED = [
    (["sensitivity", "--draws", "1e12"], "Monte Carlo draws would need"),
    (["sensitivity", "--sobol-n", str(2**40)], "Sobol' base samples would need"),
    (["fit", WORDS, "--gof-reps", "1e9"], "goodness-of-fit replicates would need"),
    (["fit", WORDS, "--bootstrap-reps", "1e9"], "bootstrap replicates would need"),
    (["concentration", WORDS, "--bootstrap-reps", "1e9"], "replicates would need"),
    (["segment", PANEL, "--bootstrap", "1e9"], "segment bootstrap replicates would need"),
    (["simulate", "--n", "1e12", "--out", "{tmp}/big.parquet"], "on disk"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=[" ".join(a[:3]) for a, _ in REFUSED])
def test_unbounded_work_is_refused_with_one_line(argv, message, tmp_path):
    start = time.perf_counter()
    proc = cli(*(a.format(tmp=tmp_path) for a in argv))
    elapsed = time.perf_counter() - start
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "error:" in lines[0] and message in lines[0]
    assert "Traceback" not in proc.stderr
    assert elapsed < 30  # interpreter start-up plus imports; no allocation
    assert list(tmp_path.iterdir()) == []


def test_the_budget_variable_lowers_the_limit(tmp_path):
    proc = cli("sensitivity", "--draws", "100000", env={MEMORY_BUDGET_ENV: "64K"})
    assert proc.returncode == 2
    assert "budget of 64 KiB" in proc.stderr and MEMORY_BUDGET_ENV in proc.stderr


def test_library_functions_refuse_before_allocating():
    from influence_kit.concentration import bootstrap as concentration_bootstrap
    from influence_kit.sensitivity import monte_carlo, sobol
    from influence_kit.tables import ValueTable

    scenario = load_scenario("forrester-us-2009")
    with pytest.raises(ParameterError, match="draws would need"):
        monte_carlo(scenario, draws=10**12)
    with pytest.raises(ParameterError, match="Sobol' base samples"):
        sobol(scenario, n=2**40)
    table = ValueTable.from_values([1.0, 2.0, 3.0, 10.0])
    with pytest.raises(ParameterError, match="replicates would need"):
        concentration_bootstrap(table, reps=10**9)


def test_fit_report_refuses_replicates_before_fitting(monkeypatch):
    import influence_kit.fitting.estimator as estimator

    def never(*args, **kwargs):
        raise AssertionError("fitted before refusing")

    monkeypatch.setattr(estimator.PowerLawFitter, "fit", never)
    with pytest.raises(ParameterError, match="goodness-of-fit replicates would need"):
        estimator.fit_all([1.0, 2.0, 3.0], gof_replicates=10**9)
    with pytest.raises(ParameterError, match="bootstrap replicates would need"):
        estimator.fit_all([1.0, 2.0, 3.0], bootstrap_replicates=10**9)
