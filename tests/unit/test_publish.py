"""The publish transaction, on small files: a failure at any step leaves out/ either as it
was or as the new build made it (after the next run's recovery) — never a mix; paths stay
inside out/; one build at a time holds out/'s lock."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from digin import publish as transaction
from digin.publish import (JOURNAL, MANIFEST, STAGING, PublishError, damaged, locked, manifest_json, publish,
                           read_manifest, recover)


def _entry(path: str, data: bytes) -> dict:
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _generation(tag: str) -> dict[str, bytes]:
    """A whole out/: three artifacts, a page listing their checksums, and the manifest."""
    files = {f"en/file-{n}.pdf": f"{tag} {n}".encode() for n in range(3)}
    entries = [_entry(path, data) for path, data in files.items()]
    files["index.html"] = " ".join(e["sha256"] for e in entries).encode()
    files[MANIFEST] = manifest_json(entries)
    return files


def _contents(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _consistent(out) -> None:
    entries = read_manifest(out)
    assert entries and not damaged(out, entries)
    assert (out / "index.html").read_text() == " ".join(e["sha256"] for e in entries)
    assert not (out / STAGING).exists() and not list(out.rglob("*.part"))


class _Fail(Exception):
    pass


def _steps(monkeypatch, out, new) -> int:
    """How many writes and renames a publish of `new` makes (each a point to fail at)."""
    count = {"n": 0}
    for name in ("_write", "_sync"):
        original = getattr(transaction, name)
        monkeypatch.setattr(transaction, name, lambda *a, _o=original: (count.__setitem__("n", count["n"] + 1),
                                                                          _o(*a))[1])
    original_replace = os.replace
    monkeypatch.setattr(transaction.os, "replace", lambda *a: (count.__setitem__("n", count["n"] + 1),
                                                                original_replace(*a))[1])
    publish(out, new)
    monkeypatch.undo()
    return count["n"]


def test_a_failure_at_every_step_of_the_publish_is_rolled_back_or_completed(tmp_path, monkeypatch):
    old, new = _generation("old"), _generation("new")
    steps = _steps(monkeypatch, tmp_path / "probe", new)
    assert steps >= 2 * len(new)        # each file is written, then moved
    outcomes = set()
    for failing in range(1, steps + 1):
        out = tmp_path / f"out-{failing}"
        publish(out, old)
        calls = {"n": 0}

        def fail_at(function):
            def step(*args):
                calls["n"] += 1
                if calls["n"] == failing:
                    raise _Fail(f"step {failing}")   # as a kill at this instant would
                return function(*args)
            return step

        with monkeypatch.context() as patch:
            for name in ("_write", "_sync"):
                patch.setattr(transaction, name, fail_at(getattr(transaction, name)))
            patch.setattr(transaction.os, "replace", fail_at(os.replace))
            with pytest.raises((_Fail, PublishError)):
                publish(out, new)
        recover(out)                     # what the next build does first
        _consistent(out)
        contents = _contents(out)
        assert contents in (old, new), f"a mix after a failure at step {failing}"
        outcomes.add("new" if contents == new else "old")
    assert outcomes == {"old", "new"}    # before the journal: rolled back; after it: completed


def test_a_committed_publish_is_completed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    publish(out, _generation("old"))
    staging = out / STAGING
    new = _generation("new")
    for path, data in new.items():
        (staging / path).parent.mkdir(parents=True, exist_ok=True)
        (staging / path).write_bytes(data)
    (staging / JOURNAL).write_text(json.dumps({"files": sorted(new, key=lambda p: p == MANIFEST)}))
    # Half of the files were moved when the process was killed.
    os.replace(staging / "en/file-0.pdf", out / "en/file-0.pdf")
    assert recover(out).startswith("completed")
    assert _contents(out) == new


def test_paths_outside_out_and_links_are_refused(tmp_path):
    out = tmp_path / "out"
    publish(out, _generation("old"))
    before = _contents(out)
    for path in ("../outside.pdf", "/etc/passwd", "en/../../x.pdf", "en\\x.pdf"):
        with pytest.raises(PublishError, match="not a plain path"):
            publish(out, {path: b"x"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "nl").symlink_to(elsewhere)
    with pytest.raises(PublishError, match="symbolic link"):
        publish(out, {"nl/file.pdf": b"x"})
    (out / "en/folder.pdf").mkdir()
    with pytest.raises(PublishError, match="is a folder"):
        publish(out, {"en/folder.pdf": b"x"})
    assert not list(elsewhere.iterdir())
    (out / "nl").unlink()
    (out / "en/folder.pdf").rmdir()
    assert _contents(out) == before


def test_one_build_at_a_time_holds_the_lock(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from digin.publish import locked
        with locked(Path({str(out)!r})):
            print("held", flush=True)
            time.sleep(1.5)
        """)], stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    assert holder.stdout.readline().strip() == "held"
    waits = []
    started = time.monotonic()
    with locked(out, on_wait=waits.append):
        waited = time.monotonic() - started
    holder.wait(10)
    assert waits and f"pid {holder.pid}" in waits[0]    # the message names the holder
    assert waited > 0.5
    assert (out / ".lock").read_text() == ""             # released: nothing stale is left
    with locked(out, on_wait=waits.append):              # a dead holder's lock is free at once
        pass
    assert len(waits) == 1
