"""The files feature (being built)."""
from flask import Blueprint

bp = Blueprint("files", __name__)
