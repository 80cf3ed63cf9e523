"""Demo discussions for `flask seed demo`: in every project with at least one contributor, a
pinned welcome thread (locked), a decision resolved by an accepted answer, a question with
nested replies and mentions, a meeting follow-up linking the demo documents, and an idea.

Written through the services (so mentions, subscriptions and notifications are real), then
backdated so the board reads like weeks of work. Idempotent: a project that already has
threads is left alone.
"""
from datetime import timedelta

from sqlalchemy import func, select, update

from ..core.time import utcnow
from ..extensions import db
from ..notifications.models import Notification
from ..projects.models import Project, ProjectMember
from . import services
from .notifying import post_url
from .models import Post, Thread

# Each thread: (category, title, [(author index, parent index or None, body)], options).
# Author index picks among the project's contributors (0 = the lead); parent index points at an
# earlier entry of the same list (None = reply to the opening post). Entry 0 opens the thread.
# {n0}, {n1}, {n2} are contributors' names; {title} is the project title.
SCRIPT = [
    ("announcement", "Welcome! How we use this board", [
        (0, None, "Welcome to the discussion board of **{title}**.\n\n"
                  "- One thread per topic; reply under the post you answer.\n"
                  "- When you need someone, type @ and pick their name from the list.\n"
                  "- To point to a document or a file, use the Link button under the text box.\n"
                  "- Decisions get the *Decision* category and an accepted answer, so we can "
                  "find them when we write the case study."),
    ], {"pinned": True, "locked": True}),
    ("decision", "Decision: which licence for the published material?", [
        (0, None, "We need to agree on a licence for everything we publish: images, 3D models, "
                  "texts. Options: **CC BY 4.0**, **CC BY-SA 4.0**, or **CC0** for metadata "
                  "only. @[{n1}], what do your other projects use?"),
        (1, None, "We publish metadata as CC0 and media as CC BY 4.0. Share-alike makes it hard "
                  "for schools to reuse material in their own slides."),
        (2, 1, "Agreed on CC0 for metadata. For the media, does the municipality need to "
               "approve CC BY?"),
        (0, 2, "Yes, but only as a formality: I will send the request this week."),
        (1, 3, "Great. I will put the licence in the file metadata from the next batch on."),
        (0, None, "**Decision:** metadata CC0, media CC BY 4.0, credit line "
                  "\"{title} / museum and partners\". Thanks all!"),
    ], {"resolve_with": 5}),
    ("question", "How do we credit partners on the public pages?", [
        (1, None, "Should every partner organisation be named on each object page, or only on "
                  "the project page? Asking before we design the templates."),
        (0, None, "Only on the project page, with a short line on each object: \"Made with our "
                  "partners\" linking to it. @[{n2}], does that work for the evaluation report?"),
        (2, 1, "It works. I would add the role of each partner, it helps other museums find "
               "the right people."),
        (1, 2, "Good point, I will add roles."),
        (0, 3, "Please keep the roles short, one line each."),
    ], {}),
    ("meeting", "Follow-up of the kick-off call", [
        (0, None, "Thanks for the call! The minutes are in [[Kick-off meeting]] and the plan in "
                  "[[Project plan]]. Open points:\n\n1. Test shoot date\n2. Storage for raw "
                  "files\n3. Who writes the first blog post"),
        (1, None, "1. I can do the test shoot in two weeks, Tuesday or Wednesday."),
        (0, 1, "Wednesday works for the museum. I will book the room."),
        (2, None, "2. The university can host raw files for the duration of the project; see "
                  "[[Technical documentation]] for the folder structure."),
        (1, None, "3. @[{n0}], would you write the first blog post? It should come from the "
                  "museum."),
    ], {}),
    ("idea", "Idea: a short making-of video", [
        (1, None, "While we work, we could film short clips and cut a two-minute making-of. "
                  "Visitors love seeing how things are done behind the scenes."),
        (0, None, "Love it. We have a volunteer who edits videos; I will ask her."),
    ], {}),
]


def _contributors(project) -> list:
    from ..auth.models import User

    rows = db.session.execute(
        select(User, ProjectMember.role).join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project.id,
               ProjectMember.role.in_(("lead", "member")))
        .order_by(ProjectMember.role != "lead", ProjectMember.joined_at, User.id)
    ).all()
    return [user for user, _role in rows]


def _write_thread(project, people, category, title, entries, options, started):
    names = {f"n{i}": people[i % len(people)].name for i in range(3)}
    names["title"] = project.title

    def author(index):
        return people[index % len(people)]

    first_author, _parent, first_body = entries[0]
    thread = services.create_thread(author(first_author), project, title,
                                    first_body.format(**names), category)
    posts = [services.opening_post(thread)]
    for author_index, parent_index, body in entries[1:]:
        parent = posts[parent_index] if parent_index is not None else posts[0]
        posts.append(services.reply(author(author_index), thread, parent.id,
                                    body.format(**names)))
    lead = people[0]
    if "resolve_with" in options:
        services.resolve(lead, thread, posts[options["resolve_with"]].id)
    if options.get("pinned"):
        services.set_pinned(lead, thread, True)
    if options.get("locked"):
        services.set_locked(lead, thread, True)
    # Backdate: replies a few hours apart, starting `started` days ago.
    moment = utcnow() - timedelta(days=started)
    for post in posts:
        post.created_at = moment
        db.session.execute(update(Notification).where(
            Notification.url == post_url(project, thread.id, post.id)).values(created_at=moment))
        moment += timedelta(hours=5)
    thread.created_at, thread.last_activity_at = posts[0].created_at, posts[-1].created_at
    db.session.commit()
    return len(posts)


def load_demo() -> str:
    projects = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
    threads = posts = skipped = 0
    for project in projects:
        has_threads = db.session.execute(
            select(func.count()).select_from(Thread).where(Thread.project_id == project.id)
        ).scalar_one()
        people = _contributors(project)
        if has_threads or not people:
            skipped += 1
            continue
        for offset, (category, title, entries, options) in enumerate(SCRIPT):
            posts += _write_thread(project, people, category, title, entries, options,
                                   started=30 - offset * 6)
            threads += 1
    if threads:  # leave the mentions unread, as if people had caught up with the rest
        db.session.execute(update(Notification).where(
            Notification.kind != "mention", Notification.read_at.is_(None),
            Notification.url.like("/projects/%/discussion/%")).values(read_at=utcnow()))
        db.session.commit()
    total = db.session.execute(select(func.count()).select_from(Post)).scalar_one()
    return (f"{threads} threads, {posts} posts in {len(projects) - skipped} projects "
            f"({skipped} skipped; {total} posts in all)")
