"""Sign-in, registration, confirmation, password change and reset, invitations, setup."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from contest.accounts import devices, forms, services
from contest.accounts.models import TokenPurpose
from contest.accounts.permissions import PUBLIC, SIGNED_IN, access
from contest.accounts.throttle import TooManyAttempts
from contest.errors import DomainError
from contest.extensions import db
from contest.security import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login():
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(email=form.email.data, password=form.password.data,
                                         client=request.remote_addr, devices=devices.known_devices())
        except TooManyAttempts as exc:
            flash(str(exc.message), "error")
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(exc.seconds)}
        db.session.commit()
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("public.dashboard")))
        flash(_("The e-mail or password is not right."), "error")
    return render_template("accounts/login.html", form=form)


def _too_many_mails(exc, template: str, form):
    """The same refusal for known and unknown addresses: nothing stored, nothing queued."""
    db.session.rollback()
    flash(str(exc.message), "error")
    return render_template(template, form=form), 429


@bp.route("/logout", methods=["POST"])
@access(SIGNED_IN)
def logout():
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/register", methods=["GET", "POST"])
@access(PUBLIC)
def register():
    form = forms.RegistrationForm(data={"language": str(get_locale())})
    if form.validate_on_submit():
        try:
            services.register_student(**{k: v for k, v in form.data.items() if k != "csrf_token"},
                                      client=request.remote_addr)
        except services.TooManyMails as exc:
            return _too_many_mails(exc, "accounts/register.html", form)
        except DomainError as exc:
            getattr(form, exc.field or "email").errors.append(str(exc.message))
            return render_template("accounts/register.html", form=form)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def confirm(token):
    if request.method == "GET":  # a mail scanner's GET must not use the link up
        return render_template("accounts/confirm.html")
    try:
        user = services.confirm_registration(raw_token=token)
    except DomainError as exc:
        return render_template("accounts/token_error.html", message=exc.message), 400
    db.session.commit()
    login_user(user)
    flash(_("Your account is ready."), "success")
    return redirect(url_for("public.dashboard"))


@bp.route("/password", methods=["GET", "POST"])
@access(SIGNED_IN)
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user=current_user, current=form.current.data, new=form.password.data)
        except DomainError as exc:
            form.current.errors.append(str(exc.message))
            return render_template("accounts/password.html", form=form)
        db.session.commit()
        login_user(current_user._get_current_object())  # this session goes on; others end
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("public.dashboard"))
    return render_template("accounts/password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@access(PUBLIC)
def reset_request():
    form = forms.EmailForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(email=form.email.data, client=request.remote_addr)
        except services.TooManyMails as exc:
            return _too_many_mails(exc, "accounts/reset_request.html", form)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def reset(token):
    form = forms.NewPasswordForm()
    try:
        services.peek_token(token, TokenPurpose.RESET)
        if form.validate_on_submit():
            user = services.reset_password(raw_token=token, new=form.password.data)
            db.session.commit()
            devices.trust_this_device(user)  # the mailbox is proven: this browser is theirs
            flash(_("Your password has been changed. Sign in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    except DomainError as exc:
        return render_template("accounts/token_error.html", message=exc.message), 400
    return render_template("accounts/reset.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def accept_invite(token):
    form = forms.AcceptInviteForm()
    try:
        invitation = services.peek_token(token, TokenPurpose.INVITE)
        if form.validate_on_submit():
            user = services.accept_invite(raw_token=token, full_name=form.full_name.data,
                                          password=form.password.data, language=form.language.data)
            db.session.commit()
            login_user(user)
            return redirect(url_for("public.dashboard"))
    except DomainError as exc:
        return render_template("accounts/token_error.html", message=exc.message), 400
    return render_template("accounts/accept_invite.html", form=form, invitation=invitation)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def setup(token):
    form = forms.SetupForm()
    try:
        services.peek_token(token, TokenPurpose.SETUP)
        if form.validate_on_submit():
            user = services.complete_setup(raw_token=token, email=form.email.data,
                                           full_name=form.full_name.data,
                                           password=form.password.data, language=form.language.data)
            db.session.commit()
            login_user(user)
            return redirect(url_for("public.dashboard"))
    except DomainError as exc:
        return render_template("accounts/token_error.html", message=exc.message), 400
    return render_template("accounts/setup.html", form=form)
