"""Student pages (submit, receipt, status, replace, withdraw, download) and the organizer's
"needs attention" queue. Another student's entry answers 404, like a missing one."""
from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError

from contest.accounts.permissions import access
from contest.contests.permissions import Capability, can_view_contest, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.submissions import flags, permissions, queries, services, storage
from contest.submissions.forms import DecisionForm, ReplaceForm, SubmitForm
from contest.submissions.stage import can_change

bp = Blueprint("submissions", __name__)
MIME = {"pdf": "application/pdf", "txt": "text/plain", "jpg": "image/jpeg", "png": "image/png",
        "heic": "image/heic", "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def contest_time(moment, contest) -> str:
    """A UTC time shown in the contest's time zone, in the reader's language."""
    return format_datetime(moment, "medium", tzinfo=ZoneInfo(contest.timezone), locale=str(get_locale()))


def utc_time(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def formats_label(contest) -> str:
    return ", ".join(str(services.FORMAT_LABELS[f]) for f in contest.formats if f in services.FORMAT_LABELS)


# What a phone's file picker offers for each accepted format (extensions and MIME types: some
# pickers filter by one, some by the other). Image formats also get a "take a photo" input.
ACCEPT = {"pdf": ".pdf,application/pdf", "txt": ".txt,text/plain",
          "docx": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "jpg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png",
          # HEIC named too: not every picker counts it under image/*
          "image": "image/*,.jpg,.jpeg,.png,.heic,.heif,image/jpeg,image/png,image/heic,image/heif"}
PHOTO_FORMATS = ("jpg", "png", "image")


def upload_accept(contest) -> str:
    """The file input's accept attribute for the contest's formats."""
    return ",".join(ACCEPT[f] for f in contest.formats if f in ACCEPT)


def takes_photos(contest) -> bool:
    """Whether the upload form offers the phone's camera (the contest accepts images)."""
    return any(f in PHOTO_FORMATS for f in contest.formats)


def size_label(size: int) -> str:
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(round(size / 1024, 1), locale=str(get_locale())))
    return _("%(n)s MB", n=format_decimal(round(size / 1024 / 1024, 1), locale=str(get_locale())))


@bp.app_context_processor
def _helpers():
    return {"size_label": size_label, "flag_title": flags.title, "flag_text": flags.explain,
            "only_under_review": flags.only_under_review,
            "language_label": flags.language_label, "reader_label": flags.reader_label,
            "contest_time": contest_time, "utc_time": utc_time,
            "formats_label": formats_label, "my_deadline": _my_deadline, "my_contests": _my_contests,
            "upload_accept": upload_accept, "takes_photos": takes_photos}


def _my_contests():
    """The signed-in student's dashboard: open contests and their entries with their stages."""
    if not (current_user.is_authenticated and current_user.role == Role.STUDENT):
        return []
    return queries.student_dashboard(current_user)


def _my_deadline(contest):
    """The signed-in student's own deadline for a contest (extensions included)."""
    from contest.submissions.deadlines import effective_deadline

    return effective_deadline(contest, current_user)


def _entry_or_404(entry_id: int, check=permissions.can_view_entry):
    entry = queries.get_entry(entry_id)
    if entry is None or not check(current_user, entry):
        abort(404)
    return entry


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _finish(version):
    """Commit (a double-submitted form finds the first result) and go to the receipt."""
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same one-time key committed by a concurrent click
        version = _first_result(exc)
    url = url_for(".receipt", entry_id=version.entry_id, number=version.number)
    return jsonify(redirect=url) if _wants_json() else redirect(url)


def _first_result(exc: IntegrityError):
    """The version stored by the first click of a double-submitted form (its one-time key
    collided at the flush or the commit); any other integrity error is raised again."""
    db.session.rollback()
    version = queries.find_version_by_submit_key(current_user.id, request.form.get("submit_key", ""))
    if version is None:
        raise exc
    return version


def _refuse(form, exc: DomainError | None, template: str, **context):
    """Show the form again with the reason; nothing was stored."""
    db.session.rollback()
    if exc is not None:
        target = getattr(form, exc.field or "", None)
        (target.errors.append(str(exc.message)) if target is not None else flash(str(exc.message), "error"))
    if _wants_json():
        messages = [m for errors in form.errors.values() for m in errors] or [str(exc.message)]
        return jsonify(errors=messages), 400
    return render_template(template, form=form, **context), 400


@bp.route("/submit")
@access(Role.STUDENT)
def choose_contest():
    return render_template("submissions/choose.html", contests=queries.list_open_contests(current_user),
                           entries=queries.list_student_entries(current_user.id))


@bp.route("/contests/<int:contest_id>/submit", methods=["GET", "POST"])
@access(Role.STUDENT)
def submit(contest_id: int):
    contest = queries.get_contest(contest_id)
    if not can_view_contest(current_user, contest):  # a draft is 404, as on its contest page
        abort(404)
    form = SubmitForm()
    form.fill_choices(contest, str(get_locale()))
    if not form.is_submitted():
        return render_template("submissions/submit.html", form=form, contest=contest)
    if not form.validate():
        return _refuse(form, None, "submissions/submit.html", contest=contest)
    try:
        version = services.submit_entry(
            student=current_user, contest=contest, topic_id=form.topic.data, category_id=form.category.data,
            upload=form.upload(contest.max_file_mb * services.MB), submit_key=form.submit_key.data,
            supervisor=form.supervisor.data or "")
    except DomainError as exc:
        return _refuse(form, exc, "submissions/submit.html", contest=contest)
    except IntegrityError as exc:
        version = _first_result(exc)
    return _finish(version)


@bp.route("/entries/<int:entry_id>/replace", methods=["GET", "POST"])
@access(Role.STUDENT)
def replace(entry_id: int):
    entry = _entry_or_404(entry_id, permissions.can_change_entry)
    contest = queries.get_contest(entry.contest_id)
    form = ReplaceForm()
    if not form.is_submitted():
        return render_template("submissions/replace.html", form=form, entry=entry, contest=contest)
    if not form.validate():
        return _refuse(form, None, "submissions/replace.html", entry=entry, contest=contest)
    try:
        version = services.replace_entry(student=current_user, entry=entry, submit_key=form.submit_key.data,
                                         upload=form.upload(contest.max_file_mb * services.MB))
    except DomainError as exc:
        return _refuse(form, exc, "submissions/replace.html", entry=entry, contest=contest)
    except IntegrityError as exc:
        version = _first_result(exc)
    return _finish(version)


@bp.route("/entries/<int:entry_id>/withdraw", methods=["POST"])
@access(Role.STUDENT)
def withdraw(entry_id: int):
    entry = _entry_or_404(entry_id, permissions.can_change_entry)
    try:
        services.withdraw_entry(student=current_user, entry=entry)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Your entry %(code)s was withdrawn.", code=entry.code), "success")
    return redirect(url_for(".status", entry_id=entry_id))


@bp.route("/entries/<int:entry_id>")
@access(Role.STUDENT, Role.ORGANIZER, Role.COORDINATOR)
def status(entry_id: int):
    entry = _entry_or_404(entry_id)
    contest = queries.get_contest(entry.contest_id)
    stage = queries.stage_of(entry, contest)
    allowed = permissions.can_change_entry(current_user, entry) and can_change(stage)
    return render_template("submissions/status.html", entry=entry, contest=contest, stage=stage,
                           can_change=allowed)


@bp.route("/entries/<int:entry_id>/receipt/<int:number>")
@access(Role.STUDENT, Role.ORGANIZER, Role.COORDINATOR)
def receipt(entry_id: int, number: int):
    entry = _entry_or_404(entry_id)
    version = queries.get_version(entry, number) or abort(404)
    return render_template("submissions/receipt.html", entry=entry, version=version,
                           contest=queries.get_contest(entry.contest_id))


@bp.route("/entries/<int:entry_id>/versions/<int:number>/file")
@access(Role.STUDENT, Role.ORGANIZER, Role.COORDINATOR)
def download(entry_id: int, number: int):
    """The exact bytes, always as an attachment under a generated name (never rendered)."""
    entry = _entry_or_404(entry_id)
    version = queries.get_version(entry, number) or abort(404)
    ext = version.stored_name.rsplit(".", 1)[1]
    response = send_file(storage.path_of(version.stored_name), mimetype=MIME[ext], as_attachment=True,
                         download_name=f"{entry.code}-v{version.number}.{ext}", max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/organizer/attention")
@access(Role.ORGANIZER)
def attention_overview():
    return render_template("submissions/attention_overview.html",
                           rows=queries.list_contests_with_attention(current_user))


@bp.route("/organizer/contests/<int:contest_id>/attention")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES)
def attention_queue(contest_id: int):
    contest = queries.get_contest(contest_id) or abort(404)
    return render_template("submissions/attention_queue.html", contest=contest,
                           entries=queries.list_attention_queue(contest_id))


@bp.route("/organizer/entries/<int:entry_id>", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, permissions.entry_contest, post=Capability.MANAGE)
def review(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_entry(organizer=current_user, entry=entry, action=request.form.get("action", ""),
                                  text=form.message.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Decision saved for %(code)s.", code=entry.code), "success")
            return redirect(url_for(".attention_queue", contest_id=entry.contest_id))
    return render_template("submissions/review.html", entry=entry, form=form,
                           contest=queries.get_contest(entry.contest_id),
                           pairs=queries.near_duplicate_pairs(entry), highlight=highlight)


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """The text, escaped, with the given character spans in <mark>."""
    out, pos = [], 0
    for start, end in spans:
        out += [escape(text[pos:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)

