"""WSGI entry point; `flask` finds the app here."""

from app import create_app

app = create_app()
