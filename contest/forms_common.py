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
