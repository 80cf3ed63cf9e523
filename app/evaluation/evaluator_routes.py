"""The evaluator's pages: the applications assigned to them (and conflicts to declare), and
the scoring form of one application with its submitted version. Nobody but the evaluator an
assignment belongs to learns it exists (404)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..calls import queries as call_queries
from ..core.errors import DomainError, ValidationError
from ..policy import authorize
from . import bp, queries, scoring, services


def _evaluator(slug: str):
    call = call_queries.get_call(slug, current_user)
    services.claim_invitation(call, current_user)
    evaluator = queries.my_evaluator(call, current_user)
    authorize(current_user, "evaluator.act", evaluator)
    return call, evaluator


@bp.route("/calls/<slug>/evaluate")
@login_required
def mine(slug: str):
    call, evaluator = _evaluator(slug)
    return render_template("evaluation/mine.html", call=call, evaluator=evaluator,
                           assignments=queries.my_assignments(evaluator),
                           applications=queries.assessed_applications(call),
                           settings=queries.settings_for(call), errors={})


@bp.route("/calls/<slug>/evaluate/conflict", methods=["POST"])
@login_required
def conflict(slug: str):
    call, evaluator = _evaluator(slug)
    ref = request.form.get("ref", "")
    services.declare_conflict(evaluator, queries.application_in(call, ref),
                              request.form.get("reason", ""), by=current_user)
    flash(_("Your conflict of interest with %(ref)s is recorded; the application is no "
            "longer yours to evaluate.", ref=ref), "success")
    return redirect(url_for("evaluation.mine", slug=slug))


def _scoring_page(call, assignment, ref, status=200, errors=None):
    application = queries.application_in(call, ref)
    return render_template(
        "evaluation/score.html", call=call, assignment=assignment, application=application,
        record=queries.submitted_record(application), errors=errors or {},
        given={s.criterion_id: s for s in assignment.scores}, form=request.form,
        locked=queries.settings_for(call).locked_at is not None,
        consensus=queries.consensus_of(application) if assignment.rapporteur else None,
        colleagues=queries.colleagues_of(assignment) if assignment.rapporteur else []), status


@bp.route("/calls/<slug>/evaluate/<ref>", methods=["GET", "POST"])
@login_required
def score(slug: str, ref: str):
    call, evaluator = _evaluator(slug)
    assignment = queries.my_assignment(evaluator, ref)
    scoring.check_access(assignment, current_user)
    if request.method == "GET":
        return _scoring_page(call, assignment, ref)
    data = {c.id: {"score": request.form.get(f"score_{c.id}", ""),
                   "comment": request.form.get(f"comment_{c.id}", "")} for c in call.criteria}
    submit = request.form.get("action") == "submit"
    try:
        scoring.save_evaluation(assignment, data, by=current_user, submit=submit)
    except ValidationError as error:
        return _scoring_page(call, assignment, ref, error.status,
                             {error.field or "form": error.message})
    flash(_("Your evaluation is submitted.") if submit else _("Your draft is saved."),
          "success")
    return redirect(url_for("evaluation.score", slug=slug, ref=ref))


@bp.route("/calls/<slug>/evaluate/<ref>/consensus", methods=["POST"])
@login_required
def rapporteur_consensus(slug: str, ref: str):
    call, evaluator = _evaluator(slug)
    assignment = queries.my_assignment(evaluator, ref)
    try:
        scoring.set_consensus(call, queries.application_in(call, ref),
                              request.form.get("consensus_score", ""),
                              request.form.get("consensus_comment", ""), by=current_user,
                              rapporteur=assignment)
    except ValidationError as error:
        return _scoring_page(call, assignment, ref, error.status,
                             {"consensus_" + (error.field or "form"): error.message})
    flash(_("The consensus for %(ref)s has been saved.", ref=ref), "success")
    return redirect(url_for("evaluation.score", slug=slug, ref=ref, _anchor="consensus"))


@bp.route("/calls/<slug>/evaluate/<ref>/reopen", methods=["POST"])
@login_required
def reopen(slug: str, ref: str):
    call, evaluator = _evaluator(slug)
    assignment = queries.my_assignment(evaluator, ref)
    try:
        scoring.reopen_evaluation(assignment, by=current_user)
    except DomainError as error:
        flash(error.message, "error")
        return _scoring_page(call, assignment, ref, error.status)
    flash(_("Your evaluation is a draft again."), "success")
    return redirect(url_for("evaluation.score", slug=slug, ref=ref))
