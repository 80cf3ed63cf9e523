"""Projects, their members and the members' session cookies, made for a benchmark.

The people and projects are written straight into a live server's database (`tests.live`), and
each person's session cookie is minted with the server's secret key, naming a server-side sign-in
session made for them (`app.auth.sessions.start_sessions`): signing thousands of people in
through argon2 would only measure argon2.
"""
import uuid


def session_cookies(secret_key: str, sign_in_ids: list[str]) -> list[str]:
    """The `session=` cookie Flask-Login would have set for each sign-in (`User.sign_in_id`)."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask("bench-cookies")
    signer.secret_key = secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    return [f"session={serializer.dumps({'_user_id': i, '_fresh': True})}" for i in sign_in_ids]


def prepare_teams(server, teams: int, people: int) -> list[tuple[str, list[str]]]:
    """`teams` projects of `people` members each (nobody in two); (slug, cookies) per project."""
    from app.auth.models import User
    from app.auth.sessions import start_sessions
    from app.extensions import db
    from app.projects.models import Project, ProjectMember

    app = server.app()
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        projects = [Project(slug=f"bench-{tag}-{t}", title=f"Bench team {t}", summary="",
                            status="active") for t in range(teams)]
        users = [User(name=f"Bench {t}-{n}", email=f"bench{n}-{tag}-{t}@example.org",
                      password_hash="!", is_admin=False) for t in range(teams) for n in range(people)]
        db.session.add_all(projects + users)
        db.session.flush()
        db.session.add_all(ProjectMember(project_id=projects[i // people].id, user_id=user.id,
                                         role="member") for i, user in enumerate(users))
        db.session.commit()
        slugs, ids = [p.slug for p in projects], start_sessions(users, "bench")
        db.session.remove()
    cookies = session_cookies(server.env()["SECRET_KEY"], ids)
    return [(slug, cookies[t * people:(t + 1) * people]) for t, slug in enumerate(slugs)]


def prepare_team(server, people: int) -> tuple[str, list[str]]:
    """One project with `people` members; its slug and one session cookie per person."""
    return prepare_teams(server, 1, people)[0]
