"""The organizer's plain-words note on how much severity correction the default applied."""
import math

import pytest
from flask_babel import force_locale

from contest.ranking import core, notes, shrink

JURORS = tuple(core.JurorStat(jid, 0.0, 1.0, 1.0, 5, 0) for jid in (1, 2, 3, 4, 5, 6))
ENTRY = core.EntryScore("e", 50.0, 50.0, 3, 0.0, False, 0, (50.0,))
NAMES = {1: "Aigul", 2: "Bolat", 3: "Dana", 4: "Erlan", 5: "Gulnar", 6: "Ilyas"}


def note_for(link, lang="en"):
    ranking = core.Ranking("severity", "jurors", (ENTRY,), JURORS, (), 1.0, link)
    with force_locale(lang):
        return notes.linkage_note(ranking, NAMES)


@pytest.mark.parametrize("shared, expected", [
    (2, "The weakest link: Aigul, Bolat, Dana, Erlan and 1 more and Ilyas share only 2 essays."),
    (0, "The weakest link: Aigul, Bolat, Dana, Erlan and 1 more and Ilyas share no essay; "
        "they are compared only through other jurors."),
])
def test_partial_correction_names_the_weakest_link_and_the_fix(app, shared, expected):
    link = shrink.Linkage(0.42, 5.0, 4.0, 2.5, (0, 1, 2, 3, 4), (5,), shared, 7)
    got = note_for(link)
    assert got.level == "warn"
    assert got.text.startswith("Partial severity correction (42% of the full one)")
    assert got.text.endswith(expected)
    assert got.advice == ("To fix it before judging starts, re-run the assignment so that about 7 "
                          "essays are read by jurors of both groups (mixed panels rather than fixed ones).")


def test_notes_for_full_none_and_nothing_to_correct(app):
    full = note_for(shrink.Linkage(0.97, 5.0, 4.0, 11.04))
    assert (full.level, full.advice) == ("ok", "")
    assert "Full severity correction (97%)" in full.text and "11.0 other jurors" in full.text
    assert note_for(shrink.Linkage(0.0, 0.0, 4.0, 2.0)).text.startswith("No severity correction")
    assert note_for(shrink.Linkage(math.nan, 5.0, 4.0, 2.0)).text.startswith(
        "The severity correction changes no score here")


def test_note_is_translated(app):
    link = shrink.Linkage(0.42, 5.0, 4.0, 2.5, (0,), (5,), 1, 3)
    assert note_for(link, "ru").text.startswith("Частичная поправка на строгость (42% от полной)")
    assert note_for(link, "kk").advice.startswith("Мұны бағалау басталғанға дейін түзету үшін")
