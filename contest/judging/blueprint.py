"""The judging blueprint; its routes live in views.py (jurors) and organizer_views.py."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")

