"""A judged contest: five entries with submitted reviews, three degree tiers."""
from types import SimpleNamespace

import pytest

from contest.enums import Role
from tests.factories import add_tiers, make_contest, make_entry, make_juror, make_review, make_user

KAZAKH_NAME = "Әлия Қуанышқызы Нұрғалиева"
MARKUP_NAME = "<script>alert(1)</script> <b>Bold</b> & ../../etc"


@pytest.fixture
def judged(app):
    """Category 1: a (100), b (86.67), c (73.33), d (26.67); category 2: e (66.67).
    Tiers: first/second/third degree, top 1 each. a's student writes in kk and did not
    consent to publishing; b consented; c's name is full of markup."""
    contest = make_contest(phase="judging", ranking_method="mean", k=1,
                           issuer={"kk": "Құқық институты", "ru": "Институт права", "en": "Law Institute"})
    cat1, cat2 = contest.categories
    students = {
        "a": make_user(Role.STUDENT, full_name=KAZAKH_NAME, language="kk",
                       school="Назарбаев зияткерлік мектебі", region="Алматы облысы",
                       publish_name_consent=False),
        "b": make_user(Role.STUDENT, full_name="Ivan Petrov", language="ru", school="Lyceum 7",
                       region="Astana", publish_name_consent=True),
        "c": make_user(Role.STUDENT, full_name=MARKUP_NAME, language="en", school="<i>School</i>",
                       publish_name_consent=True),
        "d": make_user(Role.STUDENT, full_name="Dana Lowscore", language="en"),
        "e": make_user(Role.STUDENT, full_name="Erlan Other", language="en", publish_name_consent=True,
                       school="College 3"),
    }
    entries = {key: make_entry(contest, students[key], category=cat2 if key == "e" else cat1)
               for key in students}
    juror = make_juror(contest=contest)
    scores = {"a": (10, 5), "b": (8, 5), "c": (6, 5), "d": (4, 0), "e": (5, 5)}
    reviews = {key: make_review(contest, entries[key], juror, scores[key],
                               feedback=f"Feedback for {key}: well argued.") for key in entries}
    tiers = add_tiers(contest, (1, 1, 1))
    organizer = make_user(Role.ORGANIZER, full_name="Olga Organizer")
    return SimpleNamespace(contest=contest, students=students, entries=entries, juror=juror,
                           reviews=reviews, tiers=tiers, organizer=organizer, categories=(cat1, cat2))
