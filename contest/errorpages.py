"""Translated error pages."""
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("There is nothing here. The link may be wrong or out of date.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    413: (_l("Too large"), _l("The file or form is too large. Check the size limit and try again.")),
    429: (_l("Too many requests"), _l("Wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("We could not finish this. Nothing was lost; try again later.")),
}


def _render(code: int, detail=None):
    title, message = MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: _render(code))

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return _render(400, _l("This form has expired or was not sent from this site. "
                               "Go back, reload the page, and send it again; your text is still "
                               "in the form."))
