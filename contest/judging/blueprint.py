"""The judging blueprint; its routes live in views.py (jurors) and organizer_views.py."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")


@bp.app_template_global("localized")
def _localized(texts, lang=None):
    """A multilingual JSON map in the visitor's language (same helper as the contests pages)."""
    from flask_babel import get_locale

    from contest.contests.models import localized

    return localized(texts, lang or str(get_locale()))
