"""Project pages. (Placeholder dashboard until the workspaces issue lands.)"""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.route("/projects/")
@login_required
def dashboard():
    return render_template("projects/dashboard.html", projects=[])
