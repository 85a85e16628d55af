"""The site header is rendered once per language, role and script root (contest/layout.py):
what varies per request (the CSRF token, the page to come back to) is filled in, and one
person's header never reaches another (a student gets no organizer links, a visitor no
sign-out form, each session its own token)."""
import re

import pytest
from flask import Flask

from contest.enums import Role
from tests.factories import make_user


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _header(page: bytes) -> str:
    html = page.decode()
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def _tokens(header: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', header))


def _login(app: Flask, user):
    client = app.test_client()
    page = client.get("/account/login").data.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/account/login", data={"email": user.email, "password": "correct horse battery",
                                                   "csrf_token": token})
    assert response.status_code == 302
    return client


def test_each_reader_gets_their_own_header(app):
    organizer = _login(app, make_user(Role.ORGANIZER))
    student = _login(app, make_user(Role.STUDENT, language="kk"))
    visitor = app.test_client()
    for _round in range(2):  # the second round is served from the rendered headers
        org = _header(organizer.get("/contests?x=1").data)
        stu = _header(student.get("/contests").data)
        anon = _header(visitor.get("/contests", headers={"Accept-Language": "ru"}).data)
        assert "Manage contests" in org and 'value="/contests?x=1"' in org
        assert "Manage contests" not in stu and "Байқауларды басқару" not in stu and "Менің эсселерім" in stu
        assert 'value="/contests"' in stu
        assert "/account/logout" not in anon and "Войти" in anon
        assert len(_tokens(org)) == 1 and len(_tokens(stu)) == 1 and _tokens(org) != _tokens(stu)
