"""Unwritable output (issue 12): a read-only or full output folder gives one line and
exit code 2, nothing half-written, no temporary leftovers, and the previous file or
site intact. Read-only and full folders are small tmpfs mounts where the platform
allows them (root with mount rights); the tests are skipped otherwise."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from influence_kit.cli.main import main
from influence_kit.errors import ParameterError
from influence_kit.population import generator
from influence_kit.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden ones too) with its digest."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Tmpfs:
    """A small tmpfs mounted at ``path``; ``fill()`` leaves it with no free space,
    ``read_only()`` remounts it read-only."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")

    def fill(self) -> None:
        with open(self.path / "filler", "wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError:
                pass
        # small files may still fit in a partly used block: take those too
        i = 0
        while True:
            try:
                (self.path / f"filler-{i}").write_bytes(b"\0" * 512)
            except OSError:
                break
            i += 1
        assert os.statvfs(self.path).f_bavail == 0

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Tmpfs]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    fs = Tmpfs(tmp_path / "mnt", "1m")
    yield fs
    fs.unmount()


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = int(stop.code or 0)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1, err
    return err[0]


def fake_site(folder: Path) -> None:
    (folder / "forrester-us-2009").mkdir(parents=True)
    (folder / "index.html").write_text("<html>old index</html>\n")
    (folder / "forrester-us-2009" / "summary.json").write_text('{"old": true}\n')
    (folder / "forrester-us-2009" / "01-headline-impressions.html").write_text("old report\n")


# --- read-only ------------------------------------------------------------------------


def test_simulate_into_a_read_only_folder(tmpfs, capsys):
    target = tmpfs.path / "people.parquet"
    target.write_bytes(b"previous content")
    tmpfs.read_only()
    before = snapshot(tmpfs.path)
    line = one_line(capsys, ["simulate", "--n", "1000", "--out", str(target)])
    assert line == (
        f"influence-kit simulate: error: {tmpfs.path}: cannot create the population file "
        "in this folder (read-only file system)"
    )
    assert snapshot(tmpfs.path) == before
    line = one_line(capsys, ["simulate", "--n", "1000", "--out", str(tmpfs.path / "a" / "b.csv")])
    assert "read-only file system" in line
    assert snapshot(tmpfs.path) == before


def test_render_into_a_read_only_site(tmpfs, capsys):
    site = tmpfs.path / "site"
    fake_site(site)
    tmpfs.read_only()
    before = snapshot(tmpfs.path)
    line = one_line(capsys, ["render", "--notebook", "01", "--output-dir", str(site)])
    assert line == (
        f"influence-kit render: error: {site}: cannot write into the output folder "
        "(read-only file system)"
    )
    line = one_line(capsys, ["render", "--notebook", "01", "--output-dir", str(site / "new")])
    assert "cannot create the output folder in this folder (read-only file system)" in line
    assert snapshot(tmpfs.path) == before


# --- full -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_simulate_into_a_full_folder(tmpfs, capsys, suffix):
    target = tmpfs.path / f"people.{suffix}"
    target.write_bytes(b"previous content")
    tmpfs.fill()
    before = snapshot(tmpfs.path)
    line = one_line(capsys, ["simulate", "--n", "20000", "--out", str(target)])
    assert "would need about" in line and "free" in line  # refused up front
    assert snapshot(tmpfs.path) == before
    # the estimate can be wrong, or another program fill the disk meanwhile
    with (
        mock.patch.object(generator, "check_disk_space"),
        pytest.raises(ParameterError) as err,
    ):
        generator.write_population(target, load_scenario("forrester-us-2009"), 20000, 1)
    assert str(err.value) == (
        f"{target}: cannot write the population file: No space left on device"
    )
    assert snapshot(tmpfs.path) == before  # the old file kept, no temporary leftovers


def test_simulate_to_dev_full_is_refused(capsys):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    for extra in ([], ["--format", "csv"]):
        line = one_line(capsys, ["simulate", "--n", "10", "--out", "/dev/full", *extra])
        assert line == (
            "influence-kit simulate: error: /dev/full: is a character device, not a regular "
            "file (expected a population file)"
        )


def test_render_to_dev_full_is_refused(capsys):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    line = one_line(capsys, ["render", "--notebook", "01", "--output-dir", "/dev/full"])
    assert "/dev/full: is a character device, expected an output folder" in line


@pytest.mark.slow
def test_render_into_a_full_site(tmp_path):
    """A real site, then a forced render on a full disk: one line, the site unchanged."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    fs = Tmpfs(tmp_path / "mnt", "2m")
    try:
        site = fs.path / "site"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        argv = [sys.executable, "-m", "influence_kit", "render", "--notebook", "01"]
        argv += ["--output-dir", str(site)]
        first = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
        assert first.returncode == 0, first.stderr
        fs.fill()
        before = snapshot(site)
        again = subprocess.run(
            [*argv, "--force"], capture_output=True, text=True, env=env, timeout=300
        )
        assert again.returncode == 2, again.stderr
        assert again.stderr.strip().splitlines() == [
            f"influence-kit render: error: {site}: cannot write the reports: "
            "No space left on device"
        ]
        assert snapshot(site) == before
    finally:
        fs.unmount()


def test_a_render_refused_up_front_creates_no_output_folder(tmp_path, capsys):
    """A missing kernel is found before the new output folder (and its lock) is made."""
    out = tmp_path / "new" / "site"
    assert main(["render", "--kernel", "no-such-kernel", "--output-dir", str(out)]) == 2
    assert "no Jupyter kernel named 'no-such-kernel'" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
