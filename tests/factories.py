"""Factories for test data: real rows through real services where it matters."""
from __future__ import annotations

import itertools

from flask import current_app

from contest.accounts.models import User
from contest.accounts.services import hash_password
from contest.enums import Role
from contest.extensions import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
_HASHES: dict[str, str] = {}


def _password_hash() -> str:
    """The shared test password hashed once per argon2 setting (deliberately slow at its default)."""
    params = repr(current_app.config.get("ARGON2_PARAMS"))
    if params not in _HASHES:
        _HASHES[params] = hash_password(PASSWORD)
    return _HASHES[params]


def make_user(role: Role | str = Role.STUDENT, *, email: str | None = None, commit: bool = True,
              **fields) -> User:
    """A user. An organizer is a site administrator (sees every contest) unless the test passes
    is_admin=False and gives them roles with `make_member`."""
    n = next(_counter)
    if Role(role) == Role.ORGANIZER:
        fields.setdefault("is_admin", True)
    user = User(
        email=email or f"user{n}@example.kz", full_name=fields.pop("full_name", f"User {n}"),
        role=Role(role), password_hash=_password_hash(), language=fields.pop("language", "en"),
        school=fields.pop("school", f"School {n}"), region=fields.pop("region", "Almaty"),
        active=fields.pop("active", True), **fields,
    )
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def make_contest(*, phase: str = "open", k: int = 3, blind: bool = True, commit: bool = True,
                 n_topics: int = 2, n_categories: int = 2, criteria: tuple = ((0, 10, 1, 2), (0, 5, 0.5, 1)),
                 **fields):
    """An open contest with topics, categories and a rubric of (min, max, step, weight) criteria."""
    from datetime import timedelta

    from contest.contests.models import Category, Contest, Criterion, Phase, Topic
    from contest.db import utcnow

    now = utcnow()
    contest = Contest(
        code_prefix=fields.pop("code_prefix", "ZT"), year=fields.pop("year", 2026),
        title=fields.pop("title", {"kk": "Құқық бұзушылыққа төзбеушілік", "ru": "Нулевая терпимость",
                                   "en": "Zero tolerance"}),
        phase=Phase(phase), opens_at=fields.pop("opens_at", now - timedelta(days=10)),
        closes_at=fields.pop("closes_at", now + timedelta(days=10)), reviews_per_entry=k, blind=blind,
        **fields,
    )
    contest.topics = [Topic(title={"en": f"Topic {i + 1}", "ru": f"Тема {i + 1}"}, position=i)
                      for i in range(n_topics)]
    contest.categories = [Category(name={"en": f"Category {i + 1}", "ru": f"Категория {i + 1}"}, position=i)
                          for i in range(n_categories)]
    contest.criteria = [Criterion(name={"en": f"Criterion {i + 1}", "kk": f"Критерий {i + 1}"}, min_score=lo,
                                  max_score=hi, step=step, weight=w, position=i)
                        for i, (lo, hi, step, w) in enumerate(criteria)]
    db.session.add(contest)
    if commit:
        db.session.commit()
    return contest


def make_entry(contest, student=None, *, text: str = "An essay about law and order. " * 40,
               status: str = "ready", language: str = "en", topic=None, category=None, commit: bool = True):
    """An entry with one extracted text version (no file on disk: format 'text')."""
    import hashlib

    from contest.submissions.models import Entry, EntryStatus, EntryVersion

    student = student or make_user(Role.STUDENT, commit=False)
    contest.entry_counter += 1
    digest = hashlib.sha256(text.encode()).hexdigest()
    entry = Entry(contest_id=contest.id, topic_id=(topic or contest.topics[0]).id,
                  category_id=(category or contest.categories[0]).id,
                  code=f"{contest.code_prefix}-{contest.year}-{contest.entry_counter:04d}",
                  status=EntryStatus(status), language=language, word_count=len(text.split()))
    entry.student_id = student.id if student.id else None
    if entry.student_id is None:
        db.session.flush()
        entry.student_id = student.id
    version = EntryVersion(number=1, original_name="essay.txt", stored_name=f"{digest}.txt", sha256=digest,
                           size=len(text.encode()), format="text", extraction_status="ok", text=text,
                           juror_text=text, word_count=len(text.split()), language=language, page_count=1)
    entry.versions.append(version)
    db.session.add(entry)
    db.session.flush()
    entry.current_version_id = version.id
    if commit:
        db.session.commit()
    return entry


def make_scanned_entry(contest, pages: list[bytes], student=None, *,
                       text: str = "Read from the photos. " * 30):
    """An entry whose current version is page photos (stored as the upload service stores them)
    read by OCR: format "image", an "ocr" flag, the given text (as if OCR had read it)."""
    from contest.extraction.filetype import image_kind
    from contest.extraction.ocr import bundle_images
    from contest.submissions import storage

    entry = make_entry(contest, student, text=text)
    data = bundle_images(pages) if len(pages) > 1 else pages[0]
    stored_name, digest = storage.store_bytes(data, image_kind(data) or "zip")
    version = entry.current_version
    version.format, version.stored_name, version.sha256 = "image", stored_name, digest
    version.size = len(data)
    version.original_name, version.page_count = "photo.jpg", len(pages)
    version.flags = [{"code": "ocr", "level": "warning", "confidence": 88.0}]
    db.session.commit()
    return entry


def make_juror(*, languages=("kk", "ru", "en"), contest=None, category_ids=None, capacity=None, **fields):
    """A juror with a profile, attached to `contest` (all its categories unless given)."""
    from contest.contests.models import ContestJuror, JurorProfile

    juror = make_user(Role.JUROR, commit=False, **fields)
    db.session.flush()
    db.session.add(JurorProfile(user_id=juror.id, languages=list(languages), capacity=capacity))
    if contest is not None:
        ids = category_ids if category_ids is not None else [c.id for c in contest.categories]
        db.session.add(ContestJuror(contest_id=contest.id, user_id=juror.id, category_ids=ids,
                                    capacity=capacity))
    db.session.commit()
    return juror


def make_setup_contest(phase="draft", *, complete: bool = True, commit: bool = True, **fields):
    """A contest; `complete` adds a topic, a category, a criterion and a window (open now,
    closing in 30 days) so it can be opened."""
    from datetime import timedelta

    from contest.contests.models import Category, Contest, Criterion, Phase, Topic
    from contest.db import utcnow

    now = utcnow()
    contest = Contest(
        code_prefix=fields.pop("code_prefix", "ZT"), year=fields.pop("year", 2026),
        title=fields.pop("title", {"kk": "Құқықтық мәдениет", "ru": "Правовая культура"}),
        phase=Phase(phase), **fields)
    if complete:
        contest.opens_at = fields.get("opens_at") or now - timedelta(days=1)
        contest.closes_at = fields.get("closes_at") or now + timedelta(days=30)
        contest.topics = [Topic(title={"kk": "Заң және мен", "en": "The law and me"}, position=0)]
        contest.categories = [Category(name={"ru": "9–11 классы", "en": "Grades 9–11"}, position=0)]
        contest.criteria = [Criterion(name={"en": "Argument"}, min_score=0, max_score=10, step=1,
                                      weight=2, position=0)]
    db.session.add(contest)
    if commit:
        db.session.commit()
    return contest


def make_review(contest, entry, juror, scores, *, status: str = "submitted", commit: bool = True, **fields):
    """An assignment of `entry` to `juror` with its review: `scores` in criterion order."""
    from contest.db import utcnow
    from contest.judging.models import Assignment, ReviewStatus

    assignment = Assignment(
        contest_id=contest.id, entry_id=entry.id, juror_id=juror.id, status=ReviewStatus(status),
        scores={str(c.id): float(v) for c, v in zip(contest.criteria, scores)},
        submitted_at=utcnow() if status == "submitted" else None, **fields)
    db.session.add(assignment)
    if commit:
        db.session.commit()
    return assignment


def make_assignment(entry, juror, *, status: str = "new", scores: dict | None = None, version: int = 0,
                    commit: bool = True):
    """An assignment (with its review state) of `entry` to `juror`."""
    from contest.judging.models import Assignment, ReviewStatus

    assignment = Assignment(contest_id=entry.contest_id, entry_id=entry.id, juror_id=juror.id,
                            status=ReviewStatus(status), version=version,
                            scores={str(k): v for k, v in (scores or {}).items()})
    db.session.add(assignment)
    if commit:
        db.session.commit()
    return assignment


DEGREE_NAMES = (
    {"kk": "I дәрежелі диплом", "ru": "Диплом I степени", "en": "First degree"},
    {"kk": "II дәрежелі диплом", "ru": "Диплом II степени", "en": "Second degree"},
    {"kk": "III дәрежелі диплом", "ru": "Диплом III степени", "en": "Third degree"},
)


def add_tiers(contest, counts=(1, 1, 1), *, threshold: float | None = None, category=None,
              commit: bool = True):
    """Count tiers named First/Second/Third degree, then an optional "Honorary" threshold tier."""
    from contest.contests.models import AwardTier

    tiers = [AwardTier(contest_id=contest.id, rule="count", count=n, name=DEGREE_NAMES[i], position=i,
                       category_id=category.id if category else None) for i, n in enumerate(counts)]
    if threshold is not None:
        tiers.append(AwardTier(contest_id=contest.id, rule="threshold", min_score=threshold, position=9,
                               name={"en": "Honorary diploma", "ru": "Почётная грамота"}))
    db.session.add_all(tiers)
    if commit:
        db.session.commit()
    return tiers



def make_member(contest, user=None, role: str = "owner", *, commit: bool = True):
    """An organizer (not an administrator unless given) holding `role` in `contest`."""
    from contest.contests.models import ContestMember, ContestRole

    user = user or make_user(Role.ORGANIZER, is_admin=False)
    db.session.add(ContestMember(contest_id=contest.id, user_id=user.id, role=ContestRole(role)))
    if commit:
        db.session.commit()
    return user
