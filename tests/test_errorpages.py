"""The 500 page needs neither the database nor Redis and does not claim that nothing was lost."""
from contest import create_app
from tests.conftest import free_port


def test_500_page_renders_translated_with_the_database_unreachable(instance_path):
    dead = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "SQLALCHEMY_DATABASE_URI": dead,
                      "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("a bug")

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"  # a signed-in visitor: loading them would need the database
    response = client.get("/boom", headers={"Accept-Language": "ru"})
    page = response.data.decode()
    assert response.status_code == 500
    assert "Мы не смогли выполнить этот запрос" in page and 'lang="ru"' in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "Nothing was lost" not in page
