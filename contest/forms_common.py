"""Field choices and validators shared by several domains' forms."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import Length


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = choices([("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")])


def password_rules():
    return [Length(min=10, max=200, message=_l("Use at least 10 characters."))]


def region_choices(empty_label=None) -> list[SelectChoice]:
    """Kazakhstan's regions in the page's language (a first empty choice saying "choose")."""
    from flask_babel import get_locale

    from contest.schools import regions

    first = [("", empty_label or _l("Choose the region or city"))]
    return choices(first + regions.choices(str(get_locale())))


def school_suggestions() -> dict:
    """Attributes of a school field that suggests the names already known in the region."""
    from flask import url_for

    return {"data-suggest": url_for("schools.suggest"), "autocomplete": "off"}
