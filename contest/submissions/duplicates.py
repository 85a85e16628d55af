"""Near-duplicates are for people to decide.

Rule: when a newly read version is at least NEAR_DUPLICATE_THRESHOLD similar to another live
entry's current version, only the LATER upload of the two is flagged (attention: an organizer
looks at the pair side by side before it is judged). The earlier entry is never taken out of
judging by someone else's upload, and the later student is told only that the entry is being
reviewed, never a figure about another's work.
"""
from __future__ import annotations

from flask import current_app

from contest.contests.models import Contest
from contest.extensions import db
from contest.extraction import similarity
from contest.submissions import lifecycle, queries
from contest.submissions.flags import ATTENTION, make_flag
from contest.submissions.models import Entry, EntryStatus, EntryVersion


def _flag(other_id: int, other_code: str, score: float) -> dict:
    return make_flag("near_duplicate", ATTENTION, other_entry_id=other_id, other_code=other_code,
                     similarity=score)


def flag_later_copy(entry: Entry, version: EntryVersion, contest: Contest) -> list[tuple[int, float]]:
    """Flag `version` for each earlier similar entry; return (entry id, similarity) of the
    similar entries uploaded after it (they are flagged once this version is current)."""
    threshold = current_app.config["NEAR_DUPLICATE_THRESHOLD"]
    later = []
    others = queries.other_signatures(contest.id, entry.id)
    scores = similarity.similarities(version.minhash, [sig for _i, _c, sig, _u in others])
    for (other_id, other_code, _sig, other_uploaded), score in zip(others, scores, strict=True):
        score = round(score, 3)
        if score < threshold:
            continue
        if other_uploaded <= version.uploaded_at:
            version.flags = [*version.flags, _flag(other_id, other_code, score)]
        else:
            later.append((other_id, score))
    return later


def flag_later_entries(entry: Entry, version: EntryVersion, later: list[tuple[int, float]]) -> None:
    """The entries uploaded after `version` that copy it go to the organizer."""
    for other_id, score in later:
        other = db.session.get(Entry, other_id)
        current = db.session.get(EntryVersion, other.current_version_id)
        kept = [f for f in current.flags if f.get("other_entry_id") != entry.id]
        current.flags = [*kept, _flag(entry.id, entry.code, score)]
        db.session.flush()
        lifecycle.apply(other, lambda e, cid=current.id: lifecycle.Change(
            "flagged_as_later_copy", EntryStatus.NEEDS_ATTENTION, {"organizer_decision": ""})
            if e.status == EntryStatus.READY and e.current_version_id == cid else None)
