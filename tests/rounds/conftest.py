"""A contest judged in two rounds: eight entries in category 1, two in category 2, a first
round of one review per entry already submitted, three jurors."""
from types import SimpleNamespace

import pytest

from contest.enums import Role
from contest.extensions import db
from tests.factories import add_tiers, make_contest, make_entry, make_juror, make_review, make_user

FIRST_SCORES = [(10, 5), (9, 5), (8, 4), (7, 4), (6, 3), (5, 3), (4, 2), (3, 1)]


@pytest.fixture
def two_rounds(app):
    from contest.rounds.services import setup_rounds

    contest = make_contest(phase="judging", ranking_method="mean", k=1,
                           title={"kk": "Заң және біз", "ru": "Закон и мы", "en": "Law and us"})
    cat1, cat2 = contest.categories
    organizer = make_user(Role.ORGANIZER, full_name="Olga Organizer")
    jurors = [make_juror(contest=contest, full_name=f"Juror {i}") for i in range(3)]
    langs = ["kk", "ru", "en", "kk", "ru", "en", "kk", "ru"]
    entries = [make_entry(contest, make_user(Role.STUDENT, language=langs[i], full_name=f"Student {i}"))
               for i in range(8)]
    entries += [make_entry(contest, category=cat2) for _ in range(2)]
    for i, entry in enumerate(entries):
        make_review(contest, entry, jurors[i % 3], FIRST_SCORES[i % 8], commit=False)
    add_tiers(contest, (1, 1, 1), commit=False)
    db.session.commit()
    final = setup_rounds(contest=contest, actor=organizer, mode="panel", reviews_per_entry=None,
                         juror_ids=[jurors[0].id, jurors[1].id])
    db.session.commit()
    return SimpleNamespace(contest=contest, organizer=organizer, jurors=jurors, entries=entries,
                           final=final, categories=(cat1, cat2))
