"""Behind a trusted reverse proxy (TRUSTED_PROXIES=1) the client address comes from the
proxy's X-Forwarded-For entry, and only from that one."""
import pytest

pytestmark = pytest.mark.postgres

PROXY = {"REMOTE_ADDR": "10.0.0.1"}
WRONG = "not the password"


@pytest.fixture
def app_config():
    return {"TRUSTED_PROXIES": 1}


def _login(client, email, forwarded_for):
    return client.post("/account/login", data={"email": email, "password": WRONG}, environ_base=PROXY,
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_two_schools_behind_the_proxy_have_their_own_limits(app):
    school_a = [_login(app.test_client(), f"a{i}@example.kz", "198.51.100.1") for i in range(21)]
    assert school_a[-1] == 429
    assert _login(app.test_client(), "b0@example.kz", "198.51.100.2") == 200


def test_client_cannot_choose_its_address_through_the_header(app):
    """The proxy appends the real address; whatever the client put before it is ignored."""
    codes = [_login(app.test_client(), f"a{i}@example.kz", f"10.9.{i}.1, 203.0.113.66") for i in range(21)]
    assert codes[-1] == 429
