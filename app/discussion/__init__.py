"""The discussion feature (being built)."""
from flask import Blueprint

bp = Blueprint("discussion", __name__)
