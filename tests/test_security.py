"""Headers, CSRF, error pages, cookies, request limits."""
import pytest
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.extensions import db


def test_security_headers_on_public_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in response.headers or "no-store" not in response.headers["Cache-Control"]


def test_signed_in_pages_are_not_cached(client, auth, make_user):
    auth.login(make_user())
    response = client.get("/dashboard")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.headers["Vary"]


def test_session_cookie_flags(client, auth, make_user):
    response = auth.login(make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_inline_scripts_in_pages(client):
    body = client.get("/account/register").data.decode()
    assert "<script>" not in body and "onclick=" not in body and 'style="' not in body


@pytest.mark.parametrize("lang,title", [
    ("ru", "Страница не найдена"), ("kk", "Табылмады"), ("en", "Not found")])
def test_error_pages_are_translated(client, lang, title):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.data.decode()
    assert f"<h1>{title}</h1>" in response.data.decode()


def test_language_switch_remembered(client):
    client.post("/language", data={"lang": "ru", "next": "/"})
    assert client.get("/").headers.get("Content-Language", "ru") == "ru"
    assert b'<html lang="ru">' in client.get("/").data


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_form_post_without_token_is_refused_and_writes_nothing(self, client):
        response = client.post("/account/register", data={
            "full_name": "X", "email": "x@example.kz", "password": "a long password",
            "school": "S", "grade": "9-11", "region": "R", "language": "en"})
        assert response.status_code == 400
        assert db.session.scalar(select(func.count(User.id))) == 0

    def test_foreign_token_is_refused(self, client):
        response = client.post("/account/reset", data={"email": "x@example.kz", "csrf_token": "forged"})
        assert response.status_code == 400
        assert b"your text is still" in response.data


def test_oversized_request_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/account/reset", data={"email": "x" * 5000})
    assert response.status_code == 413


def test_a_thousand_form_parts_get_413_and_change_nothing(client):
    fields = {f"f{i}": "x" for i in range(1000)}
    response = client.post("/account/register", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413
    assert db.session.scalar(select(func.count(User.id))) == 0
