"""The documents feature (being built)."""
from flask import Blueprint

bp = Blueprint("documents", __name__)
