"""The final round's results: awards, the frozen protocol (both rounds) and the public page."""
import pdfplumber
from sqlalchemy import select

from contest.awards import services as awards
from contest.awards.issuing import diploma_path
from contest.awards.models import Diploma
from contest.awards.published import public_identity
from contest.awards.tasks import issue_results
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist
from tests.factories import make_review

FINAL = {0: (2, 1), 1: (10, 5), 8: (5, 5), 9: (9, 5)}


def _final_round_judged(t):
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=2, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    for index, pair in FINAL.items():
        for juror in t.jurors[:2]:
            make_review(t.contest, t.entries[index], juror, pair, round_no=2, commit=False)
    db.session.commit()


def _text(diploma) -> str:
    with pdfplumber.open(diploma_path(diploma.stored_name)) as pdf:
        return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def test_awards_and_protocol_come_from_the_final_round(two_rounds, client):
    t = two_rounds
    _final_round_judged(t)
    publication = awards.publish_results(contest=t.contest, actor=t.organizer)
    db.session.commit()
    ranked = {row["entry_id"]: (row["place"], row["kind"]) for row in publication.ranking}
    assert set(ranked) == {t.entries[i].id for i in (0, 1, 8, 9)}
    assert ranked[t.entries[1].id][0] == 1 and ranked[t.entries[0].id][0] == 2  # first round: 0 was first
    issue_results(contest_id=t.contest.id, revision=1)
    db.session.commit()
    docs = {d.slot: d for d in db.session.scalars(select(Diploma))}
    text = _text(docs["protocol:1:en"])
    assert "judged in two rounds" in text
    assert "4 of 10 ranked entries were shortlisted by the rule: the top 2 of each category" in text
    assert "every one of the 2 members of the final jury" in text
    assert f"{t.entries[2].code}" in text and "not shortlisted (first round: place 3, 80.00)" in text
    ru = _text(docs["protocol:1:ru"])
    assert "в два тура" in ru and "не вошла в шорт-лист" in ru
    from contest.accounts.models import User
    from contest.awards.published import winners

    groups = winners(t.contest, publication.ranking)
    shown = [(tier.winners[0].name if tier.winners else None) for group in groups for tier in group.tiers]
    first = public_identity(db.session.get(User, t.entries[1].student_id), "en")[0]
    assert shown[0] == first  # the final round's winner, not the first round's
    page = client.get(f"/contests/{t.contest.id}/results")
    assert page.status_code == 200 and first in page.get_data(as_text=True)


def test_score_export_lists_both_rounds_with_their_rubrics(two_rounds, app):
    from flask_babel import force_locale

    from contest.ranking.exports import scores_table
    from contest.rounds.services import set_round_rubric

    t = two_rounds
    made = set_round_rubric(contest=t.contest, round_no=2, actor=t.organizer, criteria=[
        {"name": {"en": "Depth"}, "min_score": 0, "max_score": 20, "step": 1, "weight": 1}])
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.add(Assignment(contest_id=t.contest.id, entry_id=t.entries[0].id, juror_id=t.jurors[1].id,
                              round_no=2, status=ReviewStatus.SUBMITTED, scores={str(made[0].id): 15}))
    db.session.commit()
    with app.test_request_context(), force_locale("ru"):
        header, rows = scores_table(t.contest, lang="ru")
    assert (header[0], len(header)) == ("Тур", 9)
    assert sum(1 for r in rows if r[0] == 1) == 20  # ten first-round reviews x two criteria
    assert [r for r in rows if r[0] == 2] == [[2, t.entries[0].code, "Категория 1", "Juror 1", "Depth", 15.0,
                                                75.0, "", ""]]
