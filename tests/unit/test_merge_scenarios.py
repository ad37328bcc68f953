"""The merge on a corpus of edits an author makes: each scenario edits the English of a
practice (or a template), extracts the strings again, merges them into a Dutch file that
had every string translated, and checks the translation and state of every entry.

Translations are "NL " + the English, so an entry shows whose translation it got. The
same corpus is given to gettext's `msgmerge --previous` in tests/test_po_workflow.py,
which checks that our merge is at least as right in every scenario.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import polib
import pytest
import yaml

from digin import po
from digin.project import Project

PHASES = [
    {"title": "Forming the networks", "body": [
        "Once interest had been confirmed, the three groups were set up. Each received:",
        {"bullets": [
            "A modest operating budget for the activities of the year",
            "Release from work of two hours per month for core members",
            "Access to municipal spaces for regular meetings",
            "Importantly, these networks are led by employees and keep their autonomy.",
        ]},
        "The networks meet every month in informal gatherings and structured sessions, where members "
        "share their experiences and plan the activities of the year. They are not expected to steer "
        "the city's policy, but they are invited to share their views with HR.",
    ]},
    {"title": "Embedding the networks", "body": [
        "The networks are now part of the city's internal work on diversity and inclusion.",
    ]},
]
B1, B2, B3, B4 = PHASES[0]["body"][1]["bullets"]
P1, P2 = PHASES[0]["body"][0], PHASES[0]["body"][2]
Q1 = PHASES[1]["body"][0]
P2_FIRST, P2_SECOND = P2.split(". ", 1)
P2_FIRST += "."
B4_EDITED = B4.replace("keep their autonomy", "keep their full autonomy")
B2_EDITED = "Time off from work of two hours per month for core members"
B1_REWRITTEN = "Coaching by an outside expert during the first half year"
NEW_BULLET = "A mentor from the city's leadership team"
P1_EDITED = P1.replace("Each received:", "Each of them received:")
TITLE_EDITED = "Forming the staff networks"
UI_OLD, UI_NEW = "Practical details", "Practical details of the module"


def bullets(phases):
    return phases[0]["body"][1]["bullets"]


def delete(phases):
    bullets(phases).remove(B3)


def delete_and_edit(phases):      # the case: delete a bullet, lightly edit the next
    bullets(phases).remove(B3)
    bullets(phases)[2] = B4_EDITED


def insert(phases):
    bullets(phases).insert(0, NEW_BULLET)


def move(phases):
    bullets(phases).insert(0, bullets(phases).pop())


def reorder(phases):
    bullets(phases).reverse()


def move_to_other_list(phases):
    phases[1]["body"].append(phases[0]["body"].pop())


def edit_start(phases):            # the first words change, so does the derived key
    bullets(phases)[1] = B2_EDITED


def edit_end(phases):              # the first words stay, so does the key
    phases[0]["body"][0] = P1_EDITED


def edit_heavily(phases):
    bullets(phases)[0] = B1_REWRITTEN


def split(phases):
    phases[0]["body"][2:3] = [P2_FIRST, P2_SECOND]


def retitle(phases):               # the phase's key changes: every string in it moves
    phases[0]["title"] = TITLE_EDITED


def change_interface(phases):
    pass                           # the template changes: see Scenario.template


@dataclass
class Scenario:
    name: str
    edit: object
    # new English -> (English whose translation it gets, or None for empty; fuzzy)
    expect: dict = field(default_factory=dict)
    obsolete: set = field(default_factory=set)      # old English kept only as obsolete
    template: tuple | None = None                   # (old, new) text in templates/handout.html.j2


SCENARIOS = [
    Scenario("delete", delete, obsolete={B3}),
    Scenario("delete and edit lightly", delete_and_edit, {B4_EDITED: (B4, True)}, {B3}),
    Scenario("insert", insert, {NEW_BULLET: (None, False)}),
    Scenario("move", move),
    Scenario("reorder", reorder),
    Scenario("move to another list", move_to_other_list),
    Scenario("edit lightly, first words", edit_start, {B2_EDITED: (B2, True)}),
    Scenario("edit lightly, last words", edit_end, {P1_EDITED: (P1, True)}),
    Scenario("edit heavily", edit_heavily, {B1_REWRITTEN: (None, False)}, {B1}),
    Scenario("split a paragraph in two", split, {P2_FIRST: (P2, True), P2_SECOND: (P2, True)}),
    Scenario("edit a phase's title", retitle, {TITLE_EDITED: ("Forming the networks", True)}),
    Scenario("change an interface string", change_interface, {UI_NEW: (UI_OLD, True)},
             template=(f'_("{UI_OLD}")', f'_("{UI_NEW}")')),
]


def translation(english: str) -> str:
    return "NL " + english


def write_phases(project: Project, phases) -> None:
    path = project.content / "practices" / "sample-practice.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["phases"] = phases
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def translated_catalog(pot: polib.POFile) -> polib.POFile:
    """A Dutch file with every string of `pot` translated."""
    catalog = polib.POFile()
    catalog.metadata = {"Language": "nl", "Content-Type": "text/plain; charset=UTF-8"}
    for entry in pot:
        catalog.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=translation(entry.msgid),
                                     occurrences=entry.occurrences, flags=list(entry.flags)))
    return catalog


def prepare(project: Project, scenario: Scenario) -> tuple[polib.POFile, polib.POFile]:
    """(the Dutch file before the edit, the POT after it)."""
    write_phases(project, copy.deepcopy(PHASES))
    old = translated_catalog(po.build_pot(project))
    phases = copy.deepcopy(PHASES)
    scenario.edit(phases)
    write_phases(project, phases)
    if scenario.template:
        path = project.templates / "handout.html.j2"
        path.write_text(path.read_text(encoding="utf-8").replace(*scenario.template), encoding="utf-8")
    return old, po.build_pot(project)


def expected(scenario: Scenario, old: polib.POFile, entry: polib.POEntry) -> tuple[str, bool]:
    """(msgstr, fuzzy) the entry should have."""
    if entry.msgid in scenario.expect:
        source, fuzzy = scenario.expect[entry.msgid]
        return (translation(source) if source else "", fuzzy)
    if any(e.msgid == entry.msgid for e in old):
        return translation(entry.msgid), False
    return "", False


def verdicts(scenario: Scenario, old: polib.POFile, merged: polib.POFile) -> dict[str, str]:
    """For each current entry: right, missing (empty, or fuzzy where it needs no review)
    or wrong (another string's translation)."""
    result = {}
    for entry in (e for e in merged if not e.obsolete):
        want_text, want_fuzzy = expected(scenario, old, entry)
        got_fuzzy = entry.fuzzy and bool(entry.msgstr)
        if (entry.msgstr, got_fuzzy) == (want_text, want_fuzzy):
            result[f"{entry.msgctxt}|{entry.msgid}"] = "right"
        elif entry.msgstr and entry.msgstr != want_text:
            result[f"{entry.msgctxt}|{entry.msgid}"] = "wrong"
        else:
            result[f"{entry.msgctxt}|{entry.msgid}"] = "missing"
    return result


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_every_entry_gets_the_right_translation_and_state(fixture_copy, scenario):
    old, pot = prepare(fixture_copy, scenario)
    merged = po.merge(pot, old)
    assert {k: v for k, v in verdicts(scenario, old, merged).items() if v != "right"} == {}
    for entry in merged:
        if entry.fuzzy and not entry.obsolete:     # the translator sees what changed
            source = scenario.expect[entry.msgid][0]
            assert entry.previous_msgid == source, entry.msgid
    obsolete = {e.msgid for e in merged if e.obsolete}
    assert obsolete == scenario.obsolete
    # nothing a translator wrote is lost: every old translation is in the file still
    kept = {e.msgstr for e in merged if e.msgstr}
    assert {e.msgstr for e in old} <= kept


def test_keys_do_not_change_when_a_sibling_is_inserted_deleted_or_moved(fixture_copy):
    write_phases(fixture_copy, PHASES)
    before = {e.msgid: e.msgctxt for e in po.build_pot(fixture_copy) if e.msgctxt}
    for edit in (delete, insert, move, reorder):
        phases = copy.deepcopy(PHASES)
        edit(phases)
        write_phases(fixture_copy, phases)
        after = {e.msgid: e.msgctxt for e in po.build_pot(fixture_copy) if e.msgctxt}
        assert {m: k for m, k in after.items() if m in before and before[m] != k} == {}, edit.__name__
    assert before[B3] == "practice.sample-practice.phases.forming-the-networks.body.list.bullets.access-to-municipal"


def test_an_author_may_name_an_item_and_its_key_stays_through_any_edit(fixture_copy):
    phases = copy.deepcopy(PHASES)
    phases[0]["id"] = "forming"
    write_phases(fixture_copy, phases)
    keys = {e.msgctxt for e in po.build_pot(fixture_copy) if e.msgctxt}
    phases[0]["title"] = "Something else entirely"
    write_phases(fixture_copy, phases)
    assert keys == {e.msgctxt for e in po.build_pot(fixture_copy) if e.msgctxt}
    assert "practice.sample-practice.phases.forming.title" in keys
