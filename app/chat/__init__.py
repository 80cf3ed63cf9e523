"""The chat feature (being built)."""
from flask import Blueprint

bp = Blueprint("chat", __name__)
