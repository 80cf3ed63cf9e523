"""Evaluation pages: the manager's evaluation page (evaluators, conflicts setting, automatic
and manual assignment, lock), the manager's score table with the consensus step, and the
evaluator's own pages (their applications, conflicts, scoring). Thin: queries read, services
decide, these translate."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..calls import queries as call_queries
from ..calls.application_content import SECTIONS
from ..core.countries import country_choices
from ..core.errors import ValidationError
from ..pilots.queries import grant_totals
from ..policy import authorize
from . import bp, queries, scoring, selecting, services
from .reasons import reason_text, relax_text


@bp.context_processor
def evaluation_helpers():
    return {"country_choices": country_choices, "section_labels": SECTIONS}


def _managed(slug: str):
    call = call_queries.get_call(slug, current_user)
    authorize(current_user, "call.manage", call)
    return call


def _overview(call, status=200, errors=None):
    return render_template("evaluation/manage.html", call=call, errors=errors or {},
                           form=request.form, **queries.overview(call)), status


@bp.route("/calls/<slug>/evaluation")
@login_required
def manage(slug: str):
    return _overview(_managed(slug))


@bp.route("/calls/<slug>/evaluation/settings", methods=["POST"])
@login_required
def settings(slug: str):
    call = _managed(slug)
    services.save_settings(call, same_country_conflict=request.form.get("same_country") == "1",
                           by=current_user)
    flash(_("The evaluation settings have been saved."), "success")
    return redirect(url_for("evaluation.manage", slug=slug))


@bp.route("/calls/<slug>/evaluation/evaluators", methods=["POST"])
@login_required
def invite(slug: str):
    call = _managed(slug)
    try:
        evaluator = services.invite_evaluator(call, request.form.get("email", ""),
                                              request.form.get("country", ""), by=current_user)
    except ValidationError as error:
        return _overview(call, error.status, {error.field: error.message})
    if evaluator.user_id is None:
        flash(_("%(email)s is invited: they evaluate once they sign up with this address.",
                email=evaluator.email), "success")
    else:
        flash(_("%(email)s now evaluates this call.", email=evaluator.email), "success")
    return redirect(url_for("evaluation.manage", slug=slug))


@bp.route("/calls/<slug>/evaluation/assign", methods=["POST"])
@login_required
def assign(slug: str):
    short = services.assign_automatically(_managed(slug), by=current_user)
    if short:
        flash(_("Some applications have too few evaluators without a conflict: invite more "
                "evaluators."), "error")
    else:
        flash(_("Every application has its evaluators."), "success")
    return redirect(url_for("evaluation.manage", slug=slug))


@bp.route("/calls/<slug>/evaluation/assignments/<id:assignment_id>/move", methods=["POST"])
@login_required
def move(slug: str, assignment_id: int):
    call = _managed(slug)
    services.move_assignment(call, queries.assignment_in(call, assignment_id),
                             _number(request.form.get("evaluator")), by=current_user)
    flash(_("The evaluation has moved."), "success")
    return redirect(url_for("evaluation.manage", slug=slug))


@bp.route("/calls/<slug>/evaluation/assignments/<id:assignment_id>/rapporteur",
          methods=["POST"])
@login_required
def rapporteur(slug: str, assignment_id: int):
    call = _managed(slug)
    scoring.name_rapporteur(call, queries.assignment_in(call, assignment_id), by=current_user)
    flash(_("The lead evaluator writes this application's consensus."), "success")
    return redirect(url_for("evaluation.manage", slug=slug))


@bp.route("/calls/<slug>/evaluation/lock", methods=["POST"])
@login_required
def lock(slug: str):
    services.lock_evaluation(_managed(slug), by=current_user)
    flash(_("The evaluation is locked: submitted evaluations can no longer be reopened."),
          "success")
    return redirect(url_for("evaluation.scores", slug=slug))


@bp.route("/calls/<slug>/evaluation/scores")
@login_required
def scores(slug: str):
    call = _managed(slug)
    return render_template("evaluation/scores.html", call=call, rows=queries.score_table(call),
                           settings=queries.settings_for(call), errors={}, form={},
                           form_ref=None)


@bp.route("/calls/<slug>/evaluation/consensus/<ref>", methods=["POST"])
@login_required
def consensus(slug: str, ref: str):
    call = _managed(slug)
    application = queries.application_in(call, ref)
    try:
        scoring.set_consensus(call, application, request.form.get("score", ""),
                              request.form.get("comment", ""), by=current_user)
    except ValidationError as error:
        return render_template("evaluation/scores.html", call=call,
                               rows=queries.score_table(call),
                               settings=queries.settings_for(call), form_ref=ref,
                               form=request.form, errors={error.field: error.message}
                               ), error.status
    flash(_("The consensus for %(ref)s has been saved.", ref=ref), "success")
    return redirect(url_for("evaluation.scores", slug=slug, _anchor=f"app-{ref}"))


def _number(value) -> int:
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 9:
        raise ValidationError(_("Choose one of the call's evaluators."), field="evaluator")
    return int(text)


def _selection_page(call, status=200, errors=None, form=None):
    return render_template("evaluation/selection.html", call=call,
                           view=selecting.proposal_for(call, by=current_user),
                           titles=queries.titles_of(call), reason_text=reason_text,
                           relax_text=relax_text, errors=errors or {}, form=form or {},
                           totals=grant_totals(call),
                           form_ref=(form or {}).get("ref")), status


@bp.route("/calls/<slug>/selection")
@login_required
def selection(slug: str):
    return _selection_page(_managed(slug))


@bp.route("/calls/<slug>/selection/choice", methods=["POST"])
@login_required
def choice(slug: str):
    call = _managed(slug)
    ref = request.form.get("ref", "")
    try:
        selecting.choose(call, queries.application_in(call, ref),
                         request.form.get("decision", ""), request.form.get("reason", ""),
                         by=current_user)
    except ValidationError as error:
        return _selection_page(call, error.status, {error.field: error.message}, request.form)
    flash(_("Your choice for %(ref)s is saved; the figures below include it.", ref=ref),
          "success")
    return redirect(url_for("evaluation.selection", slug=slug, _anchor="choice"))


@bp.route("/calls/<slug>/selection/publish", methods=["POST"])
@login_required
def publish(slug: str):
    selected = selecting.publish(_managed(slug), by=current_user)
    flash(ngettext("The decisions are published: %(num)d application selected.",
                   "The decisions are published: %(num)d applications selected.",
                   len(selected)), "success")
    return redirect(url_for("evaluation.selection", slug=slug))
