"""Words the desk shows for statuses and filters, in the organizer's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "received": _l("Received"),
    "processing": _l("Being read"),
    "ready": _l("Ready for judging"),
    "needs_attention": _l("Needs attention"),
    "rejected": _l("Not accepted"),
    "withdrawn": _l("Withdrawn"),
}

REVIEW_FILTERS = {
    "complete": _l("All reviews done"),
    "incomplete": _l("Reviews missing"),
    "none": _l("No review yet"),
}

# The audit log's action codes (record_event(action=...)) and object types, for people.
# tests/desk/test_audit_labels.py fails when an action in the code has no label here.
AUDIT_ACTIONS = {
    "assignment.add": _l("Juror assigned by hand"),
    "assignment.added_for_disagreement": _l("Juror added because the reviews disagree"),
    "assignment.override": _l("Ineligible juror assigned with a reason"),
    "assignment.plan": _l("Assignment plan saved"),
    "assignment.plan_refused": _l("Assignment plan not saved: refused when checked again"),
    "assignment.reassign": _l("Entry given another juror"),
    "assignment.remove": _l("Juror taken off an entry"),
    "award.override": _l("Award changed by hand"),
    "conflict.declare": _l("Conflict of interest declared"),
    "contest.blind": _l("Blind judging switched on or off"),
    "contest.cloned": _l("Contest copied"),
    "contest.created": _l("Contest created"),
    "contest.diploma": _l("Diploma issuer or logo changed"),
    "contest.item_added": _l("Set-up item added"),
    "contest.item_changed": _l("Set-up item changed"),
    "contest.item_moved": _l("Set-up item moved in its list"),
    "contest.item_removed": _l("Set-up item removed"),
    "contest.judging_deadline": _l("Judging deadline changed"),
    "contest.juror_attached": _l("Juror added to the jury"),
    "contest.juror_detached": _l("Juror removed from the jury"),
    "contest.juror_updated": _l("Juror's categories or capacity changed"),
    "contest.phase": _l("Contest phase changed"),
    "contest.role_granted": _l("Role in the contest given"),
    "contest.role_removed": _l("Role in the contest taken away"),
    "contest.rubric_changed": _l("Rubric changed"),
    "contest.rubric_locked": _l("Rubric locked"),
    "contest.rubric_unlocked": _l("Rubric unlocked"),
    "contest.settings": _l("Contest settings changed"),
    "contest.window": _l("Submission dates changed"),
    "deadline.extended": _l("Deadline extended"),
    "deadline.extension_removed": _l("Deadline extension removed"),
    "diploma.revoke": _l("Document revoked"),
    "documents.settings": _l("Document settings changed"),
    "entry.accepted": _l("Entry accepted"),
    "entry.rejected": _l("Entry not accepted"),
    "entry.replaced": _l("Entry replaced by its author"),
    "entry.reupload_requested": _l("New upload requested"),
    "entry.submitted": _l("Entry submitted"),
    "entry.withdrawn": _l("Entry withdrawn"),
    "juror.profile_updated": _l("Juror's profile changed"),
    "jury.import_confirmed": _l("Jurors imported from a file"),
    "message.created": _l("Message written"),
    "message.delivered": _l("Message sent"),
    "ranking.method_changed": _l("Ranking method changed"),
    "ranking.rules_changed": _l("Ranking rules changed"),
    "redaction.rerun": _l("Names removed again"),
    "redaction.restored": _l("Removed passage restored"),
    "redaction.term_added": _l("Term to remove added"),
    "redaction.term_removed": _l("Term to remove deleted"),
    "results.publish": _l("Results published"),
    "review.reopen": _l("Review sent back to the juror"),
    "review.scores": _l("Scores changed"),
    "review.submit": _l("Review submitted"),
    "school.merged": _l("Schools merged"),
    "token.revoked": _l("Link revoked"),
    "user.created": _l("Account created"),
    "user.invite_resent": _l("Invitation sent again"),
    "user.invite_revoked": _l("Invitation withdrawn"),
    "user.invited": _l("Person invited"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "coordinator.entry_submitted": _l("Entry sent by a school coordinator"),
    "coordinator.entry_replaced": _l("Entry replaced by a school coordinator"),
    "coordinator.entry_withdrawn": _l("Entry withdrawn by a school coordinator"),
    "coordinator.limits": _l("Limits for school coordinators changed"),
    "demo.scale": _l("Large demo contest built"),
    "entry.claimed": _l("Paper entry claimed by its author"),
    "entry.entered_by_organizer": _l("Entry entered by the organizer"),
    "entry.transcribed": _l("Entry text typed from the pages"),
    "pupil.added": _l("Pupil added by a coordinator"),
    "pupil.claim_link": _l("Link to take over the entries sent to a pupil"),
    "pupil.claimed": _l("Pupil took over their entries"),
    "pupil.consent": _l("Consent recorded or changed"),
    "round.setup": _l("Judging round set up"),
    "round.rubric": _l("Round's criteria changed"),
    "round.close": _l("Judging round closed"),
    "round.reopen": _l("Judging round reopened"),
    "shortlist.propose": _l("Shortlist proposed"),
    "shortlist.override": _l("Shortlist changed by hand"),
    "shortlist.confirm": _l("Shortlist confirmed"),
}

AUDIT_OBJECTS = {
    "contest": _l("Contest"),
    "entry": _l("Entry"),
    "assignment": _l("Assignment"),
    "declaredconflict": _l("Conflict of interest"),
    "award": _l("Award"),
    "diploma": _l("Document"),
    "publication": _l("Publication"),
    "message": _l("Message"),
    "school": _l("School"),
    "user": _l("Person"),
    "token": _l("Link"),
    "contestmember": _l("Contest role"),
    "contestjuror": _l("Jury member"),
    "deadlineextension": _l("Deadline extension"),
    "jurorimport": _l("Import of jurors"),
    "criterion": _l("Criterion"),
    "topic": _l("Topic"),
    "category": _l("Category"),
    "awardtier": _l("Award tier"),
    "signatory": _l("Signatory"),
    "pupil": _l("Pupil"),
    "judging_round": _l("Judging round"),
    "judginground": _l("Judging round"),
    "coordinatorlimit": _l("Coordinator limits"),
    "paperentry": _l("Paper entry"),
    "shortlistentry": _l("Shortlist place"),
}


def audit_action(code: str) -> str:
    """The action in the reader's language (an unknown code is shown as it is)."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else code


def audit_object(kind: str) -> str:
    label = AUDIT_OBJECTS.get(kind)
    return str(label) if label is not None else kind
