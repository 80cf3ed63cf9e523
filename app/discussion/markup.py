"""Discussion syntax on top of Markdown: `@mentions` and `[[Document]]` / `[[file:Name]]` links.

Mention syntax (documented in the editor hint):
    @[Anna Bianchi]   a member's full name, as inserted by the autocomplete
    @anna             an unambiguous first name or email local part of a member
Only members of the workspace resolve; anything else stays plain text, so a post never reveals
whether some outsider exists. Links resolve to non-deleted documents and files of the same
workspace by exact title/name (case-insensitive); unknown ones stay plain text.

The source is rewritten into plain Markdown links and then rendered by the app's one renderer
(`app.core.markdown.render_markdown`), so the sanitizer always has the last word. Everything one
page needs is resolved up front in a fixed number of queries (`PostRenderer`).
"""
import re
from functools import lru_cache

from markupsafe import Markup
from sqlalchemy import func, select

from ..core.markdown import render_markdown
from ..extensions import db

_CODE = re.compile(r"(```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`)", re.DOTALL)
_WIKI = re.compile(r"\[\[(file:)?([^\[\]\n]{1,200})\]\]")
_MENTION = re.compile(r"(?<![\w.@/\\])@(?:\[([^\[\]\n]{1,120})\]|([\w][\w.\-]{0,63}))")
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (CommonMark allows all of them)."""
    return _PUNCT.sub(r"\\\1", text)


def _prose_segments(source: str):
    """Yield (is_code, text) pieces so that syntax inside code spans is left alone."""
    position = 0
    for match in _CODE.finditer(source):
        if match.start() > position:
            yield False, source[position:match.start()]
        yield True, match.group(0)
        position = match.end()
    if position < len(source):
        yield False, source[position:]


def _short_name(name: str) -> str:
    return name.rstrip(".-")


def scan(source: str) -> tuple[set[str], set[str], list[str]]:
    """Document titles, file names and mention names written in `source`."""
    titles, files, mentions = set(), set(), []
    for is_code, text in _prose_segments(source or ""):
        if is_code:
            continue
        for match in _WIKI.finditer(text):
            (files if match.group(1) else titles).add(match.group(2).strip().lower())
        for match in _MENTION.finditer(text):
            mentions.append((match.group(1) or _short_name(match.group(2))).strip())
    return titles, files, mentions


class MentionDirectory:
    """Resolves mention names against a workspace's members (given as User objects)."""

    def __init__(self, members):
        self.by_full_name: dict[str, object] = {}
        short: dict[str, set] = {}
        for user in members:
            self.by_full_name.setdefault(user.name.strip().lower(), user)
            first = (user.name.split() or [""])[0].lower()
            local = user.email.split("@", 1)[0].lower()
            for key in {first, local} - {""}:
                short.setdefault(key, set()).add(user.id)
        self._users = {user.id: user for user in members}
        self.by_short = {k: self._users[next(iter(v))] for k, v in short.items() if len(v) == 1}

    def resolve(self, name: str):
        key = name.strip().lower()
        return self.by_full_name.get(key) or self.by_short.get(key)

    def mentioned_users(self, source: str) -> list:
        found = {}
        for name in scan(source)[2]:
            user = self.resolve(name)
            if user is not None:
                found[user.id] = user
        return list(found.values())


def project_member_users(project) -> list:
    from ..auth.models import User
    from ..projects.models import ProjectMember

    return list(db.session.execute(
        select(User).join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project.id, User.active.is_(True))
    ).scalars())


def _like_anywhere(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def link_targets(project, query: str, limit: int) -> list[dict]:
    """Documents, then files, whose title/name contains `query`, with the `[[…]]` text that
    links to them in a post and the plain Markdown link for text without that syntax (chat,
    documents). Names the `[[…]]` syntax cannot carry (brackets, newlines) are left out.
    Two bounded statements; `limit` caps the combined list."""
    from ..documents.models import Document
    from ..files.models import ProjectFile

    pattern = _like_anywhere(query.lower())
    documents = db.session.execute(
        select(Document.id, Document.title).where(
            Document.project_id == project.id, Document.deleted_at.is_(None),
            Document.is_folder.is_(False),
            func.lower(Document.title).like(pattern, escape="\\"))
        .order_by(func.lower(Document.title)).limit(limit)).all()
    files = db.session.execute(
        select(ProjectFile.id, ProjectFile.name).where(
            ProjectFile.project_id == project.id, ProjectFile.deleted_at.is_(None),
            func.lower(ProjectFile.name).like(pattern, escape="\\"))
        .order_by(func.lower(ProjectFile.name)).limit(limit)).all()
    found = [_target("document", title, f"[[{title.strip()}]]",
                     f"/projects/{project.slug}/documents/{doc_id}") for doc_id, title in documents]
    found += [_target("file", name, f"[[file:{name.strip()}]]",
                      f"/projects/{project.slug}/files/{file_id}") for file_id, name in files]
    return [target for target in found if _WIKI.fullmatch(target["insert"])][:limit]


def _target(kind: str, title: str, insert: str, url: str) -> dict:
    return {"kind": kind, "title": title, "insert": insert, "url": url,
            "markdown": f"[{escape_markdown(title.strip())}]({url})"}


def _documents_by_title(project, titles: set[str]) -> dict[str, str]:
    if not titles:
        return {}
    try:
        from ..documents.models import Document
    except ImportError:  # the documents feature is optional for discussion
        return {}
    rows = db.session.execute(
        select(Document.id, Document.title).where(
            Document.project_id == project.id, Document.deleted_at.is_(None),
            func.lower(Document.title).in_(titles))
        .order_by(Document.id)
    ).all()
    found: dict[str, str] = {}
    for doc_id, title in rows:
        found.setdefault(title.lower(), f"/projects/{project.slug}/documents/{doc_id}")
    return found


def _files_by_name(project, names: set[str]) -> dict[str, str]:
    if not names:
        return {}
    try:
        from ..files.models import ProjectFile
    except ImportError:
        return {}
    rows = db.session.execute(
        select(ProjectFile.id, ProjectFile.name).where(
            ProjectFile.project_id == project.id, ProjectFile.deleted_at.is_(None),
            func.lower(ProjectFile.name).in_(names))
        .order_by(ProjectFile.id)
    ).all()
    found: dict[str, str] = {}
    for file_id, name in rows:
        found.setdefault(name.lower(), f"/projects/{project.slug}/files/{file_id}")
    return found


class PostRenderer:
    """Renders many posts of one workspace with a fixed number of queries (at most three)."""

    def __init__(self, project, sources, members=None):
        titles, files = set(), set()
        wants_members = False
        for source in sources:
            t, f, m = scan(source or "")
            titles |= t
            files |= f
            wants_members = wants_members or bool(m)
        if members is None:
            members = project_member_users(project) if wants_members else []
        self.directory = MentionDirectory(members)
        self.documents = _documents_by_title(project, titles)
        self.files = _files_by_name(project, files)

    def to_markdown(self, source: str) -> str:
        out = []
        for is_code, text in _prose_segments(source or ""):
            if is_code:
                out.append(text)
                continue
            text = _WIKI.sub(self._wiki_link, text)
            out.append(_MENTION.sub(self._mention_link, text))
        return "".join(out)

    def _wiki_link(self, match) -> str:
        label = match.group(2).strip()
        table = self.files if match.group(1) else self.documents
        url = table.get(label.lower())
        if url is None:
            return escape_markdown(match.group(0))
        return f"[{escape_markdown(label)}]({url})"

    def _mention_link(self, match) -> str:
        name = match.group(1) or _short_name(match.group(2))
        user = self.directory.resolve(name)
        if user is None:
            return escape_markdown(match.group(0))
        rest = "" if match.group(1) else match.group(2)[len(name):]
        return f"[@{escape_markdown(user.name)}](/users/{user.id}){escape_markdown(rest)}"

    def render(self, source: str) -> Markup:
        return _render_resolved(self.to_markdown(source))


@lru_cache(maxsize=4096)
def _render_resolved(markdown_source: str) -> Markup:
    """Rendering is a pure function of the resolved Markdown (mentions and links already turned
    into plain links), so re-reading a long thread reuses it instead of re-sanitizing."""
    return render_markdown(markdown_source)
