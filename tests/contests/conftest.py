import pytest


@pytest.fixture
def request_ctx(app):
    """A request context, so lazy translated messages can be turned into text (English)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
