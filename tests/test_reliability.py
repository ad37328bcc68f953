"""A publish that never lies, as an unlucky operator meets it: signals at random points,
a full or read-only disk, killed processes, concurrent builds, CI fan-out, damaged files."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import edit, manifest, run_cli, snapshot

PDF_EN = ("--locale", "en", "--format", "pdf")


def assert_consistent(out: Path) -> None:
    """Every file the manifest lists is there with its checksum; the download page shows
    exactly the manifest's checksums; nothing half-done is left."""
    entries = manifest(out)
    for entry in entries:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    page = set(re.findall(r"\b[0-9a-f]{64}\b", (out / "index.html").read_text()))
    assert page == {entry["sha256"] for entry in entries}
    assert not list(out.rglob("*.part")) and not (out / ".staging").exists()


def _processes_with(variable: str, value: str) -> list[int]:
    """The pids of the processes whose environment holds variable=value (workers, tracker)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        with contextlib.suppress(OSError):
            if f"{variable}={value}".encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
    return found


def _start(root: Path, *args: str, temporary: Path) -> subprocess.Popen:
    temporary.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "build.py", "build", *args], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(temporary)})


def _wait_for_workers(temporary: Path, count: int, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        folders = list(temporary.glob("digin-worker-*"))
        if len(folders) >= count:
            return [int(folder.name.split("-")[2]) for folder in folders]
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


@pytest.mark.long
def test_signals_at_random_points_of_20_builds_leave_out_consistent(built_copy, tmp_path):
    project_copy = built_copy
    practice = project_copy / "content/practices/rotterdam-inclusiveness-panel.yaml"
    one = ("--target", "en/practices/rotterdam-inclusiveness-panel-en.pdf")    # quick: 20 builds
    started = time.monotonic()
    edit(practice, "Growth often comes", "Growth often comes (0)")
    assert run_cli(project_copy, "build", *one).returncode == 0
    duration = time.monotonic() - started
    chance = random.Random(17)
    outcomes = []
    for attempt in range(1, 21):
        edit(practice, f"({attempt - 1})", f"({attempt})")     # a changed input: something to publish
        process = _start(project_copy, *one, temporary=tmp_path / f"tmp-{attempt}")
        # Late points are the interesting ones: the publish comes at the end.
        time.sleep(chance.uniform(0.2, 1.15) * duration)
        process.send_signal(chance.choice([signal.SIGINT, signal.SIGTERM]))
        _out, err = process.communicate(timeout=60)
        assert "Traceback" not in err
        outcomes.append(process.returncode)
        assert_consistent(project_copy / "out")
        assert not _processes_with("TMPDIR", str(tmp_path / f"tmp-{attempt}"))
    assert set(outcomes) - {0}, "no build was interrupted"


def test_ctrl_c_in_the_first_second_prints_one_line(project_copy, tmp_path):
    process = subprocess.Popen([sys.executable, "build.py", "build"], cwd=project_copy, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(0.7)
    os.killpg(process.pid, signal.SIGINT)      # as a terminal sends it: to every process of the group
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines() == ["Interrupted (Ctrl-C): out/ keeps its last complete publish."]


def test_sigterm_stops_a_build_as_ctrl_c_does_and_says_so(project_copy, tmp_path):
    """A service manager's or CI's SIGTERM: the same clean stop, named as what it was, with
    the shell's status for it (128 + 15)."""
    process = _start(project_copy, "--locale", "en", temporary=tmp_path / "tmp")
    _wait_for_workers(tmp_path / "tmp", 1)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "Interrupted (SIGTERM): out/ keeps its last complete publish."


def test_a_killed_build_leaves_no_process_or_temporary_folder(project_copy, tmp_path):
    temporary = tmp_path / "tmp"
    process = _start(project_copy, "--locale", "en", "--jobs", "2", temporary=temporary)
    _wait_for_workers(temporary, 2)
    time.sleep(1)                               # they are rendering
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (_processes_with("TMPDIR", str(temporary)) or list(temporary.iterdir())):
        time.sleep(0.1)
    assert not _processes_with("TMPDIR", str(temporary))
    assert not list(temporary.iterdir())


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")    # utime + stime


def _busiest(pids: list[int], seconds: float = 0.3) -> int:
    """The process that works hardest over the next moment (the one rendering)."""
    before = {pid: _cpu_seconds(pid) for pid in pids}
    time.sleep(seconds)
    return max(pids, key=lambda pid: _cpu_seconds(pid) - before[pid])


@pytest.mark.long
def test_a_dead_worker_costs_only_its_own_target(project_copy, tmp_path):
    temporary = tmp_path / "tmp"
    process = _start(project_copy, *PDF_EN, "--jobs", "2", temporary=temporary)
    workers = _wait_for_workers(temporary, 2)
    # The practices and handouts go first (their HTML is quick), the toolkit when its HTML
    # is made: once the 8 are done, the toolkit is still rendering (2-3 s).
    for _ in range(8):
        line = process.stderr.readline()
        assert line.startswith("built ") and "toolkit" not in line, line
    os.kill(_busiest(workers), signal.SIGKILL)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    failed = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert failed == ["failed: en/digin-d2.2-toolkit-en.pdf: the worker rendering it ended (signal SIGKILL)"]
    out = project_copy / "out"
    assert len(manifest(out)) == 8               # the 9 English PDFs, all but the one that died
    assert_consistent(out)
    rebuilt = run_cli(project_copy, "build", *PDF_EN)
    assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("1 built, 8 skipped")


@pytest.mark.long
def test_concurrent_builds_into_one_out_wait_and_lose_nothing(project_copy):
    jobs = json.loads(run_cli(project_copy, "plan", "--json", "--locale", "en").stdout)["jobs"]
    paths = [job["path"] for job in jobs if job["format"] == "pdf" and job["kind"] != "toolkit"][:4]   # quick ones
    processes = [subprocess.Popen([sys.executable, "build.py", "build", "--target", path, "--jobs", "1"],
                                  cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for path in paths]
    results = [process.communicate(timeout=300) + (process.returncode,) for process in processes]
    assert all(code == 0 for _out, _err, code in results), results
    assert any("waiting: another build" in err for _out, err, _code in results)
    out = project_copy / "out"
    assert sorted(entry["path"] for entry in manifest(out)) == sorted(paths)
    assert_consistent(out)


@pytest.mark.long
def test_a_merged_fan_out_equals_a_full_build(project_copy, built, tmp_path):
    """Three CI jobs, one language each, build their targets from clean; their merge is the
    session's full build (`built`, made in another process and folder), byte for byte: the
    builds are reproducible, and the merge adds nothing of its own."""
    jobs = json.loads(run_cli(project_copy, "plan", "--json").stdout)["jobs"]
    assert len(jobs) == 45
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    folders = []
    for lang in ("en", "nl", "it"):
        folder = project_copy / f"job-{lang}"
        targets = [arg for job in jobs if job["locale"] == lang for arg in ("--target", job["path"])]
        result = run_cli(project_copy, "build", "--out", str(folder), "--jobs", "2", *targets,
                         env={"TMPDIR": str(temporary)})
        assert result.returncode == 0, result.stderr
        # The workers skip the interpreter's teardown on exit, but not their clean-up.
        assert not list(temporary.iterdir())
        files = {path: digest for path, digest in snapshot(folder).items() if path.startswith(f"{lang}/")}
        assert files == {path: digest for path, digest in snapshot(built).items() if path.startswith(f"{lang}/")}
        assert {path.rsplit(".", 1)[-1] for path in files} == {"pdf", "epub", "docx"}
        assert sorted(entry["sha256"] for entry in manifest(folder)) == sorted(files.values())
        folders.append(str(folder))
    merged = run_cli(project_copy, "merge", "--out", "merged", *folders)
    assert merged.returncode == 0, merged.stderr
    assert snapshot(project_copy / "merged") == snapshot(built)
    again = run_cli(project_copy, "build", "--out", "merged")
    assert "0 built, 45 skipped (no input changed)" in again.stdout


def test_the_no_op_notices_damage_and_the_date(built_copy):
    out = built_copy / "out"
    practice = out / "en/practices/rotterdam-inclusiveness-panel-en.pdf"
    practice.write_bytes(practice.read_bytes()[:1000])     # truncated by an accident
    (out / "nl/practices/ghent-diversity-framework-nl.pdf").unlink()
    result = run_cli(built_copy, "build")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 built, 43 skipped")
    assert_consistent(out)
    dated = run_cli(built_copy, "build", "--dry-run", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert "no input changed" not in dated.stdout and "changed" in dated.stdout


@contextlib.contextmanager
def small_disk(folder: Path, room_for: Path, spare: float):
    """A tmpfs that holds `room_for` (a folder) and `spare` times its size more."""
    size = sum(p.stat().st_size for p in room_for.rglob("*") if p.is_file())
    folder.mkdir(parents=True, exist_ok=True)
    kib = int(size * (1 + spare) / 1024) + 256   # + room for the file system's own blocks
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root (CI is root)")


@needs_root
def test_a_full_disk_publishes_nothing(built_copy, tmp_path):
    with small_disk(tmp_path / "disk", built_copy / "out", 0.3) as disk:
        shutil.copytree(built_copy / "out", disk / "out")
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(bytes(max(0, free - 100_000)))   # 100 kB left: less than the English PDFs
        before = snapshot(disk / "out")
        result = run_cli(built_copy, "build", "--force", *PDF_EN, "--out", str(disk / "out"))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and "bug" not in result.stderr
        assert "No space left on device" in result.stderr and str(disk / "out") in result.stderr
        assert "nothing was published" in result.stderr
        assert snapshot(disk / "out") == before


@needs_root
def test_a_read_only_out_is_refused_before_rendering(built_copy, tmp_path):
    with small_disk(tmp_path / "disk", built_copy / "out", 0.5) as disk:
        shutil.copytree(built_copy / "out", disk / "out")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        started = time.monotonic()
        result = run_cli(built_copy, "build", "--force", "--out", str(disk / "out"))
        assert result.returncode == 1
        assert "Read-only file system" in result.stderr and str(disk / "out") in result.stderr
        assert "bug" not in result.stderr and "Traceback" not in result.stderr
        assert time.monotonic() - started < 8         # refused before 45 renders


def test_a_folder_or_a_link_in_the_way_is_named(built_copy, tmp_path):
    out = built_copy / "out"
    before = snapshot(out)
    target = out / "en/practices/ghent-diversity-framework-en.pdf"
    target.unlink()
    target.mkdir()
    result = run_cli(built_copy, "build", "--force", "--target", "en/practices/ghent-diversity-framework-en.pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{target}: is a folder" in result.stderr
    target.rmdir()
    elsewhere = tmp_path / "elsewhere"
    shutil.move(out / "it", elsewhere)
    (out / "it").symlink_to(elsewhere)
    result = run_cli(built_copy, "build", "--force", "--target", "it/practices/ghent-diversity-framework-it.pdf")
    assert result.returncode == 1 and "symbolic link" in result.stderr and str(out / "it") in result.stderr
    assert snapshot(elsewhere) == {p.removeprefix("it/"): h for p, h in before.items() if p.startswith("it/")}
