"""Case study pages: the workspace editor, the curators' queue, and the public archive.
Thin views: services decide, these translate forms in and pages out."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..core.downloads import send_download
from ..core.errors import Conflict, ValidationError
from ..core.forms import apply_error
from ..core.pagecache import public_page
from ..orgs.models import MUSEUM_SIZES
from ..policy import can, permissions
from ..projects.areas import area_drawing, area_label
from ..projects.services import load_project
from . import attachments, bp, opendata, queries, services
from .discovery import page_metadata
from .forms import CaseStudyForm, CoverForm, ReviewForm
from .stats import archive_stats
from .vocabulary import IMPACT_FIGURES, LICENSE_URLS, LICENSES, REVISION_NOTES


@bp.context_processor
def archive_labels():
    return {"area_label": area_label, "area_drawing": area_drawing, "impact_labels": IMPACT_FIGURES,
            "size_labels": MUSEUM_SIZES, "revision_notes": REVISION_NOTES}


# ---------------------------------------------------------------- workspace

def _workspace(project, case_study, form=None, status=200, cover_form=None):
    # a form passed in keeps what was typed; the others show the saved case study
    fill_form, fill_cover = form is None or not form.is_submitted(), cover_form is None
    form, cover_form = form or CaseStudyForm(), cover_form or CoverForm()
    if case_study is not None and fill_form:
        form.fill_from(case_study)
    documents, files = attachments.candidates(project) if case_study else ([], [])
    if case_study is not None:
        cover_form.fill(case_study, attachments.cover_candidates(project), saved=fill_cover)
    revisions = services.recent_revisions(case_study) if case_study else []
    return render_template(
        "archive/workspace.html", project=project, case_study=case_study, form=form,
        documents=documents, files=files, revisions=revisions, cover_form=cover_form,
        chosen={(a.kind, a.target_id) for a in case_study.attachments} if case_study else set(),
        perms=permissions(current_user, project),
        active_tab="case-study"), status


@bp.route("/projects/<slug>/case-study", methods=["GET", "POST"])
@login_required
def workspace(slug: str):
    project = load_project(slug, current_user)
    case_study = services.case_study_of(project)
    form = CaseStudyForm()
    if request.method == "POST" and case_study is not None:
        try:
            services.save_case_study(current_user, case_study, form.to_input(),
                                     form.base_revision.data)
        except (ValidationError, Conflict) as error:
            apply_error(form, error)
            return _workspace(project, case_study, form, error.status)
        flash(_("The case study has been saved."), "success")
        return redirect(url_for("archive.workspace", slug=slug))
    return _workspace(project, case_study, form)


@bp.route("/projects/<slug>/case-study/start", methods=["POST"])
@login_required
def start(slug: str):
    project = load_project(slug, current_user)
    services.start_case_study(current_user, project)
    flash(_("The case study has been started from the template."), "success")
    return redirect(url_for("archive.workspace", slug=slug))


@bp.route("/projects/<slug>/case-study/cover", methods=["POST"])
@login_required
def cover(slug: str):
    project = load_project(slug, current_user)
    case_study = services.case_study_of(project)
    if case_study is None:
        return redirect(url_for("archive.workspace", slug=slug))
    form = CoverForm()
    try:
        services.set_cover(current_user, case_study, form.cover_file.data, form.cover_alt.data)
    except (ValidationError, Conflict) as error:
        apply_error(form, error)
        return _workspace(project, case_study, status=error.status, cover_form=form)
    flash(_("The cover has been saved."), "success")
    return redirect(url_for("archive.workspace", slug=slug))


@bp.route("/projects/<slug>/case-study/preview")
@login_required
def preview(slug: str):
    project = load_project(slug, current_user)
    case_study = services.case_study_of(project)
    if case_study is None:
        return redirect(url_for("archive.workspace", slug=slug))
    return render_template("archive/preview.html", project=project, case_study=case_study,
                           item=queries.preview_of(case_study), active_tab="case-study")


@bp.route("/projects/<slug>/case-study/<action>", methods=["POST"])
@login_required
def workflow(slug: str, action: str):
    project = load_project(slug, current_user)
    case_study = services.case_study_of(project)
    if case_study is None or action not in ("attachments", "submit", "withdraw"):
        return redirect(url_for("archive.workspace", slug=slug))
    if action == "attachments":
        services.set_attachments(current_user, case_study, request.form.getlist("documents"),
                                 request.form.getlist("files"))
        flash(_("The public attachments have been saved."), "success")
    elif action == "submit":
        services.submit_case_study(current_user, case_study)
        flash(_("The case study has been sent to the curators."), "success")
    else:
        services.withdraw_case_study(current_user, case_study, request.form.get("comment", ""))
        flash(_("The case study has been withdrawn from the archive."), "info")
    return redirect(url_for("archive.workspace", slug=slug))


# ---------------------------------------------------------------- curators

@bp.route("/archive/review")
@login_required
def review_queue():
    return render_template("archive/review_queue.html",
                           queue=services.review_queue(current_user))


@bp.route("/archive/review/<id:case_study_id>", methods=["GET", "POST"])
@login_required
def review(case_study_id: int):
    services.review_queue(current_user)  # curators only (authorizes)
    case_study = services.get_case_study(case_study_id)
    form, status = ReviewForm(), 200
    if request.method == "POST":
        decision = request.form.get("decision")
        try:
            if decision == "publish":
                services.publish_case_study(current_user, case_study, form.comment.data)
                flash(_("Published: %(title)s", title=case_study.title), "success")
                return redirect(url_for("archive.case_study", slug=case_study.slug))
            if decision == "return":
                services.return_case_study(current_user, case_study, form.comment.data)
                flash(_("Returned to the authors with your comments."), "info")
            elif decision == "withdraw":
                services.withdraw_case_study(current_user, case_study, form.comment.data)
                flash(_("Withdrawn from the archive."), "info")
            return redirect(url_for("archive.review_queue"))
        except (ValidationError, Conflict) as error:
            apply_error(form, error)
            status = error.status
    return render_template("archive/review.html", case_study=case_study, form=form,
                           item=queries.preview_of(case_study),
                           changes=queries.changes_since_published(case_study)), status


# ---------------------------------------------------------------- public archive

@bp.route("/archive/")
@public_page("archive")
def index():
    try:
        results, query_error = queries.search_archive(request.args, strict=False), None
    except ValidationError as error:  # a hopeless query: show the page and say why
        results, query_error = queries.search_archive(MultiDict(), strict=False), error.message
        results.q = (request.args.get("q") or "")[:queries.QUERY_MAX]
    review_count = len(services.review_queue(current_user)) \
        if can(current_user, "archive.curate") else None
    return render_template("archive/index.html", results=results, review_count=review_count,
                           query_error=query_error,
                           facet_groups=queries.facet_groups(results))


@bp.route("/archive/stats")
@public_page("archive")
def stats():
    return render_template("archive/stats.html", stats=archive_stats())


@bp.route("/archive/export.csv")
def export_csv():
    return Response(opendata.archive_csv(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=case-studies.csv",
        "Link": f'<{LICENSE_URLS["CC-BY-4.0"]}>; rel="license"'})


@bp.route("/archive/export.json")
def export_json():
    return opendata.archive_json()


@bp.route("/archive/feed.atom")
@public_page("archive")
def feed():
    return Response(opendata.archive_atom(), mimetype="application/atom+xml")


@bp.route("/archive/<slug>")
@public_page("archive")
def case_study(slug: str):
    item = queries.get_public(slug)
    return render_template(
        "archive/case_study.html", item=item, similar=queries.similar_to(slug),
        meta=page_metadata(item),
        documents=attachments.published_documents(item.snapshot), licenses=LICENSES,
        license_urls=LICENSE_URLS, perms=permissions(current_user),
        versions=queries.version_links(item))


@bp.route("/archive/<slug>/cover")
def public_cover(slug: str):
    """The published version's cover (a thumbnail): nothing before the curators publish."""
    return send_download(attachments.public_cover(queries.get_public(slug).snapshot))


@bp.route("/archive/<slug>/files/<id:file_id>")
def public_file(slug: str, file_id: int):
    item = queries.get_public(slug)
    return send_download(attachments.public_download(item.snapshot, file_id))
