"""App factory, configuration layers, health check, headers, errors and language."""

import pytest
from flask import Flask

from app import create_app, load_config
from app.config import DevelopmentConfig, ProductionConfig, TestConfig
from app.extensions import db


def test_healthz_answers_without_a_database():
    app = create_app(TestConfig, {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_environment_overrides_instance_config_which_overrides_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "SECRET_KEY = 'from-instance'\nCOURSES_DIR = '/from/instance'\nREDIS_URL = 'redis://instance'\n"
    )
    monkeypatch.setenv("COURSES_DIR", "/from/env")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/vmr")
    app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(app, DevelopmentConfig, {})
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["COURSES_DIR"] == "/from/env"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://instance"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.example/vmr"


def test_default_database_is_sqlite_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "k")
    app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(app, DevelopmentConfig, {})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/vimotsresfritt.db"


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(app, ProductionConfig, {})


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_are_swedish_with_skip_link_and_one_h1(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert html.count("<h1") == 1


def test_no_inline_scripts_or_styles(client):
    for url in ("/", "/login", "/accessibility"):
        html = client.get(url).get_data(as_text=True)
        assert "<script" not in html and "style=" not in html and " onclick=" not in html


def test_accessibility_statement(client):
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Tillgänglighetsredogörelse" in html and "WCAG 2.1" in html


@pytest.mark.own_app
def test_unexpected_error_gives_friendly_500_and_rolls_back(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaputt")

    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Ett fel uppstod" in html and "kaputt" not in html


def test_language_switch_to_english_and_back(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.status_code == 302 and response.location == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html
    client.post("/language", data={"language": "sv", "next": "/login"})
    assert '<html lang="sv">' in client.get("/login").get_data(as_text=True)


def test_language_switch_ignores_unknown_language_and_foreign_next(client):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.example"})
    assert response.location == "/"
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)


def test_language_choice_is_saved_for_logged_in_user(client, auth, create_user):
    user = create_user()
    auth.login_as(user)
    client.post("/language", data={"language": "en"})
    db.session.refresh(user)
    assert user.locale == "en"
