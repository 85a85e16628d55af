"""Rules of the rounds that other domains ask before they write."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from contest.errors import InvalidInput
from contest.rounds.models import RoundState
from contest.rounds.queries import get_round


def check_assignable(contest, round_no: int) -> None:
    """Jurors are assigned only in an open round: a later round waits for its confirmed
    shortlist, a closed round takes no new reviews."""
    stage = get_round(contest.id, round_no)
    if stage is None:
        return
    if stage.state == RoundState.PENDING:
        raise InvalidInput(_l("The final round starts when the shortlist is confirmed; assign its "
                              "jurors after that."))
    if stage.state == RoundState.CLOSED:
        raise InvalidInput(_l("This judging round is closed; it takes no new assignments."))


def check_entry_in_round(contest, round_no: int, entry_id: int) -> None:
    """A later round reads only its shortlist."""
    from contest.rounds.queries import shortlisted_entry_ids

    stage = get_round(contest.id, round_no)
    if round_no > 1 and stage is not None and entry_id not in shortlisted_entry_ids(stage.id):
        raise InvalidInput(_l("This entry is not on the shortlist: the final round does not read it."))
