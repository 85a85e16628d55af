"""Essay contest platform: the application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints. Does no I/O beyond reading
    configuration (and writing the instance secret key on the very first start)."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES),
                instance_path=os.environ.get("CONTEST_INSTANCE_PATH") or None)
    from contest.config import load_config

    load_config(app, test_config)
    _init_extensions(app)
    _register_blueprints(app)
    from contest import cli, errorpages, security

    _init_sqlite_begin_mode(app)
    errorpages.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_babel import format_datetime

    from contest import i18n, layout, models  # noqa: F401  (models: every table known to metadata)
    from contest.accounts.loader import init_login
    from contest.extensions import babel, csrf, db, migrate
    from contest.jobs import services as jobs

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_templates(app)
    layout.init_app(app)
    init_login(app)
    jobs.init_app(app)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["get_locale"] = i18n.page_locale
    app.jinja_env.globals["localized"] = _localized_text
    app.jinja_env.globals["LANGUAGE_NAMES"] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _register_blueprints(app: Flask) -> None:
    from contest.accounts.views import bp as accounts
    from contest.admin.views import bp as admin
    from contest.awards import document_views  # noqa: F401  (adds routes to awards.bp)
    from contest.awards.views import bp as awards
    from contest.blind.views import bp as blind
    from contest.contests.import_views import bp as juror_import
    from contest.contests.item_views import bp as contest_items
    from contest.contests.jury_views import bp as contest_jurors
    from contest.contests.views import bp as contests
    from contest.coordinators.views import bp as coordinators
    from contest.desk.views import bp as desk
    from contest.judging import organizer_views, views  # noqa: F401  (both add routes to judging.bp)
    from contest.judging.blueprint import bp as judging
    from contest.messages.views import bp as messages
    from contest.paper.views import bp as paper
    from contest.public.views import bp as public
    from contest.ranking.views import bp as ranking
    from contest.rounds.views import bp as rounds
    from contest.schools.views import bp as schools
    from contest.submissions.extension_views import bp as extensions
    from contest.submissions.views import bp as submissions
    from contest.transcription.views import bp as transcription

    for blueprint in (public, accounts, admin, contests, contest_items, contest_jurors, submissions, judging,
                      ranking, awards, desk, messages, extensions, juror_import, schools,
                      blind, transcription, paper, coordinators, rounds):
        app.register_blueprint(blueprint)


def _init_sqlite_begin_mode(app: Flask) -> None:
    from flask import g, request

    from contest.db import sqlite_begin_mode

    @app.before_request
    def _choose_begin_mode():
        deferred = (request.method in ("GET", "HEAD", "OPTIONS")
                    or getattr(app.view_functions.get(request.endpoint), "reads_first", False))
        g.sqlite_mode_token = sqlite_begin_mode.set("DEFERRED" if deferred else "IMMEDIATE")

    @app.teardown_request
    def _restore_begin_mode(_exc):
        token = g.pop("sqlite_mode_token", None)
        if token is not None:
            sqlite_begin_mode.reset(token)


def _localized_text(texts, lang=None):
    """Template helper: a multilingual JSON map in the visitor's language, with fallback."""
    from contest import i18n
    from contest.contests.models import localized

    return localized(texts, lang or str(i18n.page_locale()))
