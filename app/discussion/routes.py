"""Discussion pages under /projects/<slug>/discussion/: thread list, new thread, thread page,
reply, edit with history, delete, pin, lock, resolve, subscribe/mute. Thin: services decide.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import ValidationError
from ..core.forms import apply_error
from ..core.pagination import clamp_int
from ..core.urls import MAX_ID
from ..policy import authorize, permissions
from ..projects.services import load_project
from . import bp, services
from .forms import EditPostForm, ReplyForm, ThreadForm
from .models import CATEGORIES

BASE = "/projects/<slug>/discussion"


def _thread_url(project, thread, **kwargs):
    return url_for("discussion.show_thread", slug=project.slug, thread_id=thread.id, **kwargs)


def _load(slug, thread_id, action="project.view"):
    project = load_project(slug, current_user, action)
    return project, services.get_thread(project, thread_id)


@bp.route(BASE + "/")
@login_required
def index(slug):
    project = load_project(slug, current_user)
    category = request.args.get("category") if request.args.get("category") in CATEGORIES else None
    listing = services.list_threads(project, current_user, request.args.get("page"), category)
    return render_template("discussion/index.html", project=project, listing=listing,
                           category=category, categories=CATEGORIES, active_tab="discussion",
                           perms=permissions(current_user, project))


@bp.route(BASE + "/new", methods=["GET", "POST"])
@login_required
def new_thread(slug):
    project = load_project(slug, current_user, "project.converse")
    form = ThreadForm()
    if form.validate_on_submit():
        try:
            thread = services.create_thread(current_user, project, form.title.data,
                                            form.body.data, form.category.data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            return redirect(_thread_url(project, thread))
    return render_template("discussion/new.html", project=project, form=form,
                           active_tab="discussion"), 400 if form.errors else 200


def _render_thread(project, thread, reply_form=None, status=200):
    view = services.load_thread_view(thread, current_user, request.args.get("page"))
    form = reply_form or ReplyForm()
    reply_to = None
    if reply_form is None and request.args.get("reply_to"):
        form.parent_id.data = str(clamp_int(request.args.get("reply_to"), 0, 0, MAX_ID))
    if form.parent_id.data and form.parent_id.data != "0":
        reply_to = next((n.post for n in view.nodes if str(n.post.id) == form.parent_id.data), None)
    return render_template(
        "discussion/thread.html", project=project, view=view, thread=thread, form=form,
        reply_to=reply_to, active_tab="discussion",
        perms=permissions(current_user, project),
    ), status


@bp.route(BASE + "/<id:thread_id>")
@login_required
def show_thread(slug, thread_id):
    project, thread = _load(slug, thread_id)
    return _render_thread(project, thread)


@bp.route(BASE + "/<id:thread_id>/reply", methods=["POST"])
@login_required
def reply(slug, thread_id):
    project, thread = _load(slug, thread_id)
    form = ReplyForm()
    try:
        post = services.reply(current_user, thread, form.parent_id.data, form.body.data)
    except ValidationError as error:
        apply_error(form, error)
        return _render_thread(project, thread, form, 400)
    return redirect(url_for("discussion.show_post", slug=slug, thread_id=thread.id,
                            post_id=post.id))


@bp.route(BASE + "/<id:thread_id>/posts/<id:post_id>")
@login_required
def show_post(slug, thread_id, post_id):
    """A stable link to one post: the thread page it is on, scrolled to it."""
    project, thread = _load(slug, thread_id)
    post = services.get_post(thread, post_id)
    page = services.page_of_post(thread, post)
    url = _thread_url(project, thread, page=page) if page > 1 else _thread_url(project, thread)
    return redirect(f"{url}#post-{post.id}")


@bp.route(BASE + "/<id:thread_id>/posts/<id:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(slug, thread_id, post_id):
    project, thread = _load(slug, thread_id)
    post = services.get_post(thread, post_id)
    form = EditPostForm(data={"body": post.body, "title": thread.title})
    if request.method == "POST":
        form = EditPostForm()
        if form.validate_on_submit():
            title = form.title.data if post.parent_id is None else None
            try:
                services.edit_post(current_user, post, form.body.data, title)
            except ValidationError as error:
                apply_error(form, error)
            else:
                flash(_("Your post is updated."), "success")
                return redirect(url_for("discussion.show_post", slug=slug, thread_id=thread.id,
                                        post_id=post.id))
    else:
        authorize(current_user, "authored.edit", post)
    return render_template("discussion/edit.html", project=project, thread=thread, post=post,
                           form=form, active_tab="discussion"), 400 if form.errors else 200


@bp.route(BASE + "/<id:thread_id>/posts/<id:post_id>/history")
@login_required
def post_history(slug, thread_id, post_id):
    project, thread = _load(slug, thread_id)
    post = services.get_post(thread, post_id)
    edits = services.post_history(current_user, post)
    bodies = [edit.previous_body for edit in edits] + [post.body]
    rendered = services.render_for_project(project, bodies)
    return render_template("discussion/history.html", project=project, thread=thread, post=post,
                           edits=list(zip(edits, rendered[:-1], strict=True)),
                           current_html=rendered[-1], active_tab="discussion")


@bp.route(BASE + "/<id:thread_id>/posts/<id:post_id>/delete", methods=["POST"])
@login_required
def delete_post(slug, thread_id, post_id):
    project, thread = _load(slug, thread_id)
    services.delete_post(current_user, services.get_post(thread, post_id))
    flash(_("The post is deleted; replies to it stay in place."), "success")
    return redirect(_thread_url(project, thread))


@bp.route(BASE + "/<id:thread_id>/pin", methods=["POST"])
@login_required
def pin(slug, thread_id):
    project, thread = _load(slug, thread_id)
    services.set_pinned(current_user, thread, request.form.get("pinned") == "1")
    flash(_("Thread pinned.") if thread.pinned else _("Thread unpinned."), "success")
    return redirect(_thread_url(project, thread))


@bp.route(BASE + "/<id:thread_id>/lock", methods=["POST"])
@login_required
def lock(slug, thread_id):
    project, thread = _load(slug, thread_id)
    services.set_locked(current_user, thread, request.form.get("locked") == "1")
    flash(_("Thread locked.") if thread.locked else _("Thread unlocked."), "success")
    return redirect(_thread_url(project, thread))


@bp.route(BASE + "/<id:thread_id>/resolve", methods=["POST"])
@login_required
def resolve(slug, thread_id):
    project, thread = _load(slug, thread_id)
    services.resolve(current_user, thread, request.form.get("post_id") or None)
    flash(_("Thread marked resolved.") if thread.resolved_post_id else _("Thread reopened."),
          "success")
    return redirect(_thread_url(project, thread))


@bp.route(BASE + "/<id:thread_id>/subscription", methods=["POST"])
@login_required
def subscription(slug, thread_id):
    project, thread = _load(slug, thread_id)
    state = request.form.get("state") or None
    services.set_subscription(current_user, thread, state)
    messages = {"subscribed": _("You follow this thread."), "muted": _("Thread muted."),
                None: _("Back to the default: you hear about replies to your own posts.")}
    flash(messages.get(state, ""), "success")
    return redirect(_thread_url(project, thread))
