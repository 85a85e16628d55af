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
