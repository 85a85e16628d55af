"""The assignment preview's input fingerprint and cache, in the request (a small contest):
the fingerprint moves with every input of the plan and with nothing else, a second look
is served from the cache, and saving inserts the cached pairs without planning again."""

import pytest
from sqlalchemy import func, select, update

from contest.contests.models import ContestJuror, JurorProfile
from contest.enums import Role
from contest.errors import Conflict
from contest.extensions import db
from contest.jobs.models import Job
from contest.jobs.queue import redis_connection
from contest.judging import assign_services, preview_cache, queries
from contest.judging.models import Assignment, DeclaredConflict
from contest.submissions.models import Entry
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _contest():
    contest = make_contest(phase="judging", n_categories=2)
    entries = [make_entry(contest, make_user(school=f"School {i}"), category=contest.categories[i % 2])
               for i in range(8)]
    jurors = [make_juror(contest=contest, school=f"Jury {i}") for i in range(4)]
    return contest, entries, jurors


def _key(contest):
    db.session.commit()
    db.session.expire_all()
    return queries.plan_digest(contest, 1).key


def test_the_fingerprint_moves_with_every_input_of_the_plan_and_nothing_else(app):
    contest, entries, jurors = _contest()
    seen = [_key(contest)]

    def changed(what):
        key = _key(contest)
        assert key not in seen, what
        seen.append(key)

    assert _key(contest) == seen[0]  # nothing changed
    a = make_assignment(entries[0], jurors[0], status="draft", scores={contest.criteria[0].id: 3})
    changed("a pair added")
    a.scores, a.version = {str(contest.criteria[0].id): 9}, 2
    assert _key(contest) == seen[-1]  # a review's scores are no input of the plan
    b = make_assignment(entries[1], jurors[1])
    changed("another pair added")
    a.juror_id, b.juror_id = jurors[1].id, jurors[0].id  # the same entries and jurors, swapped
    changed("two pairs swapped")
    entries[2].language = "ru"
    changed("an entry's language")
    entries[2].category_id = contest.categories[1].id
    changed("an entry's category")
    db.session.get(type(jurors[0]), entries[3].student_id).school = "Jury 0"
    changed("a student's school")
    entries[4].status = "withdrawn"
    changed("an entry withdrawn")
    make_entry(contest)
    changed("an entry ready")
    db.session.execute(update(ContestJuror).where(ContestJuror.user_id == jurors[2].id).values(capacity=5))
    changed("a juror's capacity")
    db.session.execute(update(JurorProfile).where(JurorProfile.user_id == jurors[2].id)
                       .values(languages=["kk"]))
    changed("a juror's languages")
    db.session.add(DeclaredConflict(entry_id=entries[5].id, juror_id=jurors[3].id, reason="my pupil"))
    changed("a declared conflict")
    make_juror(contest=contest)
    changed("a juror added")
    contest.reviews_per_entry = 2
    changed("k")
    contest.same_region_conflict = not contest.same_region_conflict
    changed("the region rule")
    contest.categories[0].name = {"en": "Juniors"}
    changed("a category's name (the linkage note names it)")
    make_entry(make_contest(phase="judging"))
    assert _key(contest) == seen[-1]  # another contest's entries


def test_a_second_look_is_served_from_the_cache_and_saving_inserts_the_cached_pairs(app):
    contest, entries, _jurors = _contest()
    first = assign_services.open_preview(contest=contest)
    stored = redis_connection().get(preview_cache._key(contest.id, 1, first.digest.key, "summary"))
    again = assign_services.open_preview(contest=contest)
    assert (first.job, again.job) == (None, None)  # a small contest: computed in the request
    assert again.summary == first.summary and again.summary.new == 3 * len(entries)
    # Computed once: a second computation would have stored a new summary (its time differs).
    assert redis_connection().get(preview_cache._key(contest.id, 1, first.digest.key, "summary")) == stored
    # Saving inserts what the cache holds, not a new plan: one pair taken out of the cached
    # ones is not saved.
    pairs = preview_cache.load_pairs(contest.id, 1, first.digest.key)
    preview_cache.store(contest.id, 1, first.digest.key, first.summary.to_json(), pairs[1:])
    saved = assign_services.save_plan(contest=contest, actor=make_user(Role.ORGANIZER),
                                      fingerprint=first.digest.key)
    db.session.commit()
    assert saved.new == len(pairs) - 1
    saved_pairs = [tuple(row) for row in db.session.execute(select(Assignment.entry_id, Assignment.juror_id))]
    assert sorted(saved_pairs) == sorted(pairs[1:])
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_saving_a_preview_no_longer_kept_asks_to_look_again(app):
    contest, _entries, _jurors = _contest()
    preview = assign_services.preview_plan(contest=contest)
    conn = redis_connection()
    conn.delete(*conn.scan_iter(match=f"{app.config['REDIS_PREFIX']}assign-preview:*"))
    with pytest.raises(Conflict) as refused:
        assign_services.save_plan(contest=contest, actor=make_user(Role.ORGANIZER),
                                  fingerprint=preview.fingerprint)
    db.session.rollback()
    assert "no longer kept" in str(refused.value.message)
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_a_preview_of_changed_inputs_is_refused_before_anything_is_read_from_the_cache(app):
    contest, entries, _jurors = _contest()
    preview = assign_services.preview_plan(contest=contest)
    db.session.get(Entry, entries[0].id).status = "withdrawn"
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        assign_services.save_plan(contest=contest, actor=make_user(Role.ORGANIZER),
                                  fingerprint=preview.fingerprint)
    db.session.rollback()
    assert "changed since the preview" in str(refused.value.message)
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
