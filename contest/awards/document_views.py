"""Documents pages (routes on the awards blueprint): the organizer's settings with a preview
of every kind of document, the protocol's Word file, and archives per category and kind."""

from __future__ import annotations

import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import SIGNED_IN, access
from contest.awards import delivery, issuing, previews, published, services
from contest.awards.documents import KINDS, PROTOCOL, DocumentSettings, kind_name
from contest.awards.forms import DocumentSettingsForm
from contest.awards.models import Diploma
from contest.awards.permissions import can_download_diploma, can_see_protocol
from contest.awards.views import _apply, _contest, bp
from contest.contests.permissions import Capability, contest_access
from contest.enums import Role
from contest.extensions import db


@bp.route("/contests/<int:contest_id>/documents", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS, post=Capability.MANAGE)
def documents(contest_id: int):
    contest, form = _contest(contest_id), DocumentSettingsForm()
    settings = DocumentSettings.of(contest)
    if request.method == "POST":
        if _apply(
            lambda: services.update_document_settings(
                contest=contest,
                language=form.language.data,
                participation=form.participation.data,
                thank_jurors=form.thank_jurors.data,
                thank_teachers=form.thank_teachers.data,
                place=form.texts("place"),
                chair=form.texts("chair"),
                secretary=form.texts("secretary"),
                actor=current_user,
            ),
            _("Saved."),
            form,
        ):
            return redirect(url_for("awards.documents", contest_id=contest.id))
    else:
        form.process(
            data={
                "language": settings.language,
                "participation": settings.participation,
                "thank_jurors": settings.thank_jurors,
                "thank_teachers": settings.thank_teachers,
            }
        )
        for prefix in ("place", "chair", "secretary"):
            form.fill_texts(prefix, getattr(settings, prefix))
    kinds = [k for k in previews.PREVIEW_KINDS if k != PROTOCOL or can_see_protocol(current_user, contest)]
    return render_template(
        "awards/documents.html",
        contest=contest,
        form=form,
        kinds=kinds,
        kind_name=kind_name,
        languages=previews.preview_languages(contest),
    )


@bp.route("/contests/<int:contest_id>/documents/preview/<kind>/<language>.png")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def preview(contest_id: int, kind: str, language: str):
    contest = _contest(contest_id)
    if kind not in previews.PREVIEW_KINDS or language not in ("kk", "ru", "en", "kk+ru"):
        abort(404)
    if kind == PROTOCOL and not can_see_protocol(current_user, contest):
        abort(404)
    png = previews.preview_png(contest, kind, language)
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=0)


@bp.route("/diplomas/<int:diploma_id>/download.docx")
@access(SIGNED_IN)
def download_docx(diploma_id: int):
    diploma = db.session.get(Diploma, diploma_id)
    if diploma is None or diploma.kind != PROTOCOL or not can_download_diploma(current_user, diploma):
        abort(404)
    path = issuing.docx_path(diploma.stored_name)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        as_attachment=True,
        max_age=0,
        download_name=delivery.archive_name(diploma, None, "docx"),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@bp.route("/contests/<int:contest_id>/documents.zip")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def documents_zip(contest_id: int):
    """One ZIP of a kind of document (default: the students' diplomas and certificates), of
    one category when asked."""
    contest = _contest(contest_id)
    kind = request.args.get("kind", "")
    category = request.args.get("category", type=int)
    if (kind and kind not in KINDS) or (kind == PROTOCOL and not can_see_protocol(current_user, contest)):
        abort(404)
    if category is not None and category not in {c.id for c in contest.categories}:
        abort(404)
    archive = delivery.build_archive(published.contest_diplomas(contest.id), kind=kind, category_id=category)
    suffix = f"-{category}" if category is not None else ""
    return send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{kind or 'diplomas'}-{contest.id}{suffix}.zip",
    )
