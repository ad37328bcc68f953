"""The cache of costly results (digin/cache.py): made once per inputs, never stale, never
in the way."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from digin import cache
from digin.cache import remembered


@pytest.fixture
def made(tmp_path, monkeypatch) -> list:
    """An empty cache folder; each call of `make` is counted in the list."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return []


def make(made: list, value="<em>A</em>"):
    def making():
        made.append(value)
        return {"entries": [["a", value]]}
    return making


def test_a_result_is_made_once_per_inputs(made, tmp_path):
    first = remembered("kind", ("x", b"y"), ("jinja2",), make(made))
    again = remembered("kind", ("x", b"y"), ("jinja2",), make(made))
    assert first == again == {"entries": [["a", "<em>A</em>"]]} and len(made) == 1
    remembered("kind", ("x", b"z"), ("jinja2",), make(made))         # other inputs
    remembered("kind", ("x", b"y"), ("babel",), make(made))          # other libraries
    assert len(made) == 3 and len(list((tmp_path / "digin" / "kind").glob("*.json"))) == 3


def test_a_damaged_entry_is_made_again_and_replaced(made, tmp_path):
    remembered("kind", ("x",), (), make(made))
    [entry] = (tmp_path / "digin" / "kind").glob("*.json")
    entry.write_text('{"entries": [["a", "<em>A', encoding="utf-8")   # cut short
    assert remembered("kind", ("x",), (), make(made)) == {"entries": [["a", "<em>A</em>"]]} and len(made) == 2
    assert json.loads(entry.read_text(encoding="utf-8")) == {"entries": [["a", "<em>A</em>"]]}


def test_without_a_folder_to_write_the_result_is_still_made(made, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert remembered("kind", ("x",), (), make(made)) == remembered("kind", ("x",), (), make(made))
    assert len(made) == 2


def test_the_oldest_entries_go_first(made, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    for text in ("one", "two", "three"):
        remembered("kind", (text,), (), make(made, text))
    kept = sorted(json.loads(p.read_text(encoding="utf-8"))["entries"][0][1]
                  for p in (tmp_path / "digin" / "kind").glob("*.json"))
    assert kept == ["three", "two"]


def test_a_relative_folder_is_ignored(made, tmp_path, monkeypatch):
    """XDG's rule: a relative XDG_CACHE_HOME is ignored and the home's .cache is used; the
    cache never lands in the folder the program runs in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    remembered("kind", ("x",), (), make(made))
    assert len(list((tmp_path / "home/.cache/digin/kind").glob("*.json"))) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_templates_are_generated_once_and_compiled_with_each_checkouts_paths(fixture_project, fixture_copy,
                                                                               tmp_path, monkeypatch):
    """Jinja's code for a template is kept (digin/render.py): another run, or another copy
    of the project, compiles it without Jinja's parser, with its own template paths (its
    tracebacks point into its own templates/)."""
    import jinja2

    from digin import render
    from digin.plan import edition_html

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(render._BYTECODE, "store", {})            # a new process: nothing compiled yet
    html = edition_html(fixture_project, "en")
    assert len(list((tmp_path / "cache/digin/templates").glob("*.json"))) >= 2   # the edition's, the macros'
    monkeypatch.setattr(render._BYTECODE, "store", {})
    monkeypatch.setattr(jinja2.Environment, "_parse", None)       # parsing a template again would fail
    assert edition_html(fixture_copy, "en") == html
    codes = {code.co_filename for code in _code_objects(render._BYTECODE.store)}
    assert codes and all(Path(name).is_relative_to(fixture_copy.root.resolve()) for name in codes), codes


def _code_objects(store: dict):
    """The code objects of the compiled templates kept in memory (Jinja's bytecode format:
    a magic header, the source's checksum, the marshalled code)."""
    import io
    import marshal
    import pickle

    from jinja2.bccache import bc_magic

    for data in store.values():
        stream = io.BytesIO(data)
        assert stream.read(len(bc_magic)) == bc_magic
        pickle.load(stream)
        yield marshal.load(stream)
