"""Home page, language switcher and the role-aware dashboard."""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from contest.accounts.permissions import PUBLIC, SIGNED_IN, access
from contest.extensions import db
from contest.security import safe_next

bp = Blueprint("public", __name__)


@bp.route("/")
@access(PUBLIC)
def home():
    return render_template("public/home.html")


@bp.route("/language", methods=["POST"])
@access(PUBLIC)
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("public.home")))


@bp.route("/dashboard")
@access(SIGNED_IN)
def dashboard():
    return render_template("public/dashboard.html")


@bp.route("/healthz")
@access(PUBLIC)
def healthz():
    """Liveness probe, and the hello-world baseline of bench/pages.py: no work of its own."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
