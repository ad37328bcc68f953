"""Bad input: one clear located message per problem, exit code 1, no traceback, out/ intact."""
from __future__ import annotations

from pathlib import Path

from conftest import assert_refused, edit, run_cli


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_yaml_syntax_error_is_located(built_copy):
    path = built_copy / "content/practices/genoa-equal-opportunities-table.yaml"
    edit(path, "country: Italy", "country: [Italy")
    assert_refused(built_copy, ["content/practices/genoa-equal-opportunities-table.yaml:", "invalid YAML"])


def test_wrong_type_names_file_line_and_field(built_copy):
    path = built_copy / "content/practices/genoa-equal-opportunities-table.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    dos = lines.index("dos:")
    second = [n for n in range(dos, len(lines)) if lines[n].startswith("  - title:")][1]
    lines[second] = "  - title: [a, list]"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(built_copy, [f"content/practices/genoa-equal-opportunities-table.yaml:{second + 1}: "
                                "dos[2].title: expected text, got a list"])


def test_unknown_field_suggests_the_right_name(built_copy):
    path = built_copy / "content/modules/allyship.yaml"
    edit(path, "title:", "titel:")
    assert_refused(built_copy, [f"content/modules/allyship.yaml:{line_of(path, 'titel:')}: titel: unknown field "
                                "(did you mean 'title'?)", "content/modules/allyship.yaml:1: title: required field is missing"])


def test_duplicate_key_is_an_error(built_copy):
    path = built_copy / "content/modules/allyship.yaml"
    edit(path, "number: 2", "number: 2\nnumber: 3")
    assert_refused(built_copy, ["content/modules/allyship.yaml:3: number: duplicate key (first given on line 2)"])


def test_non_utf8_and_empty_files(built_copy):
    with (built_copy / "content/glossary.yaml").open("ab") as handle:
        handle.write(b"\n# caf\xe9\n")
    (built_copy / "content/references.yaml").write_text("")
    assert_refused(built_copy, ["content/glossary.yaml:", "not valid UTF-8",
                                "content/references.yaml:1: the file is empty", "2 problems found"])


def test_all_problems_are_reported_together(built_copy):
    edit(built_copy / "content/modules/allyship.yaml", "number: 2", "number: two")
    edit(built_copy / "content/deliverable.yaml", "status: final", "status: finished")
    assert_refused(built_copy, ["allyship.yaml:2: number: expected a whole number, got text",
                                "deliverable.yaml:", "status: expected one of final, draft, got 'finished'",
                                "2 problems found"])


def test_malformed_po_file_is_located(built_copy):
    path = built_copy / "locales/nl.po"
    edit(path, 'msgctxt "deliverable.title"\nmsgid', 'msgctxt "deliverable.title"\nmsgid_typo')
    assert_refused(built_copy, [f"locales/nl.po:{line_of(path, 'msgid_typo')}: malformed PO file"])


def test_unknown_locale(built_copy):
    assert_refused(built_copy, ["no locale 'xx' (available: en, it, nl)"], "--locale", "xx")


def test_missing_font_is_an_error(built_copy):
    (built_copy / "styles/fonts/Lato-Bold.ttf").unlink()
    assert_refused(built_copy, ["styles/fonts.yaml:21: scripts[0].files: fonts/Lato-Bold.ttf is not a file in styles/",
                                "3 problems found"])   # once per script set in Lato, and nothing else


def test_missing_template_is_an_error(built_copy):
    (built_copy / "templates/macros.html.j2").unlink()
    assert_refused(built_copy, ["templates/macros.html.j2: template is missing"])


def test_placeholder_and_unsafe_links_are_refused(built_copy):
    path = built_copy / "content/modules/allyship.yaml"
    edit(path, "[Download here]()", "[Download here](#)")
    edit(built_copy / "content/modules/strategic-framing.yaml", "[Download here]()", "[Download here](javascript:alert(1))")
    assert_refused(built_copy, ["allyship.yaml:", "materials: link target '#' is a placeholder",
                                "strategic-framing.yaml:", "link scheme 'javascript:' not allowed"])


def test_a_good_build_replaces_files_atomically(built_copy):
    pdf = built_copy / "out/en/digin-d2.2-toolkit-en.pdf"
    old = pdf.stat().st_ino
    result = run_cli(built_copy, "build", "--force", "--target", "en/digin-d2.2-toolkit-en.pdf")
    assert result.returncode == 0, result.stderr
    assert pdf.stat().st_ino != old                  # a new file moved into place, not the old one rewritten
    assert pdf.stat().st_mode & 0o644 == 0o644
    assert not list((built_copy / "out").rglob("*.part"))


def test_an_unknown_target_is_refused_before_anything_is_rendered(built_copy):
    assert_refused(built_copy, ["--target: no such target: en/handouts/no-such-module-en.pdf"], "--force",
                   "--target", "en/handouts/allyship-en.pdf", "--target", "en/handouts/no-such-module-en.pdf")


def test_internal_link_to_an_unknown_id(built_copy):
    path = built_copy / "content/modules/allyship.yaml"
    edit(path, "(#term-ally)", "(#term-alli)")
    assert_refused(built_copy, [f"content/modules/allyship.yaml:{line_of(path, '#term-alli')}: "
                                "module.allyship.description.this-interactive-session: internal link '#term-alli' points to no id"])


def test_debug_shows_the_traceback(project_copy):
    edit(project_copy / "content/modules/allyship.yaml", "number: 2", "number: two")
    plain = run_cli(project_copy, "build")
    debug = run_cli(project_copy, "--debug", "build")
    assert "Traceback" not in plain.stderr and "Traceback" in debug.stderr
    assert plain.returncode == 1 and debug.returncode != 0
    assert "allyship.yaml:2: number: expected a whole number" in debug.stderr
