"""The README's production shape, run for real: people reach two gunicorn processes through
nginx and the whole thing behaves as one site, also when one process dies mid-chat."""
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.archive import services as archive
from app.chat.models import ChatMessage
from app.extensions import db

from ..factories import DEFAULT_PASSWORD, make_org, make_project, make_user
from ..files import samples

pytestmark = pytest.mark.prod

TITLE = "Mosaici di Bevagna in 3D, dal cantiere al museo"
ROUTE_COOKIE = "museum_route"  # nginx's sticky-session cookie (README, Production)


def logged_by(cluster, request_id: str, timeout: float = 10):
    """The process whose JSON log has the request `request_id` (nginx's $request_id)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in cluster.processes():
            if any(r.get("request_id") == request_id for r in process.log_records()):
                return process
        time.sleep(0.1)
    raise AssertionError(f"no process logged request {request_id}")


@pytest.fixture(scope="module")
def routes(cluster) -> dict[str, str]:
    """A value of the sticky-session cookie that nginx sends to each process, found by asking."""
    found = {}
    for n in range(64):
        value = f"route-{n}"
        response = cluster.nginx.get("/healthz/live", cookies={ROUTE_COOKIE: value})
        assert response.status_code == 200
        found.setdefault(logged_by(cluster, response.headers["X-Request-ID"]).name, value)
        if len(found) == 2:
            return found
    raise AssertionError(f"nginx sent every route to one process: {found}")


@pytest.fixture(scope="module")
def team(cluster):
    with cluster.app().app_context():
        anna = make_user("Anna Bianchi", "anna@prod-check.eu")
        tomas = make_user("Tomas Novak", "tomas@prod-check.eu")
        curator = make_user("Sofie Curator", "sofie@prod-check.eu", admin=True)
        org = make_org("Museo Civico di Bevagna", country="IT", city="Bevagna")
        chat = make_project(lead=anna, members={"member": [tomas]}, title="Mosaic scans")
        finished = make_project(lead=anna, title="Bevagna mosaics", status="completed",
                                organisation=org)
        case_study = archive.start_case_study(anna, finished)
        case_study.title, case_study.summary = TITLE, "Photogrammetry of the Roman mosaics."
        case_study.sections = {key: f"What we learnt about {key}." for key in archive.REQUIRED_SECTIONS}
        db.session.commit()
        archive.submit_case_study(anna, case_study)
        team = {"anna": anna.email, "tomas": tomas.email, "curator": curator.email,
                "slug": chat.slug, "project_id": chat.id}
        db.session.remove()
    return team


@pytest.fixture(scope="module")
def person(browser, cluster, routes, team):
    """person(name, process) → a page signed in as `name` (or anonymous) whose requests nginx
    sends to `process` ("app-a" or "app-b"); each person signs in once per module."""
    contexts, pages = [], {}

    def open_page(name: str | None, process: str):
        key = (name, process)
        if key not in pages:
            context = browser.new_context(base_url=cluster.url, ignore_https_errors=True,
                                          locale="en-GB")
            context.set_default_timeout(20_000)
            context.add_cookies([{"name": ROUTE_COOKIE, "value": routes[process],
                                  "url": cluster.url}])
            contexts.append(context)
            page = context.new_page()
            if name:
                page.goto("/auth/login")
                page.get_by_label("Email").fill(team[name])
                page.get_by_label("Password").fill(DEFAULT_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(lambda url: "/auth/login" not in url)
            pages[key] = page
        return pages[key]

    yield open_page
    for context in contexts:
        context.close()


def open_chat(page, slug):
    page.goto(f"/projects/{slug}/chat")
    expect(page.locator("[data-chat]")).to_have_attribute("data-state", "connected")


def send(page, text):
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_label("Message", exact=True).press("Enter")


def bodies(page) -> list[str]:
    return page.locator(".chat-message .chat-body").all_inner_texts()


def test_two_people_on_different_processes_chat_and_nothing_is_lost_or_reordered(
        cluster, person, team):
    anna, tomas = person("anna", "app-a"), person("tomas", "app-b")
    open_chat(anna, team["slug"])
    open_chat(tomas, team["slug"])
    # each process holds a socket: the two people really are on different processes
    assert cluster.a.health()["connections"]["open"] >= 1
    assert cluster.b.health()["connections"]["open"] >= 1
    expect(anna.locator("[data-chat-presence] li")).to_have_count(2)

    for n in range(1, 4):  # both type at once, without waiting for each other
        send(anna, f"Anna {n}")
        send(tomas, f"Tomas {n}")
    for page in (anna, tomas):
        expect(page.locator(".chat-message .chat-body")).to_have_count(6)
    seen_by_anna, seen_by_tomas = bodies(anna), bodies(tomas)
    assert seen_by_anna == seen_by_tomas  # one order for everyone: the commit order
    assert [b for b in seen_by_anna if b.startswith("Anna")] == ["Anna 1", "Anna 2", "Anna 3"]
    assert [b for b in seen_by_anna if b.startswith("Tomas")] == ["Tomas 1", "Tomas 2", "Tomas 3"]


def test_a_file_uploaded_through_one_process_shows_its_thumbnail_on_the_other(
        cluster, person, team):
    anna, tomas = person("anna", "app-a"), person("tomas", "app-b")
    anna.goto(f"/projects/{team['slug']}/files/")
    anna.get_by_label("File", exact=True).set_input_files(
        {"name": "mosaic floor.png", "mimeType": "image/png", "buffer": samples.png(640, 400)})
    with anna.expect_response(lambda r: r.request.method == "POST" and "/api/v1/" in r.url) as sent:
        anna.get_by_role("button", name="Upload", exact=True).click()
    assert sent.value.status == 201
    expect(anna.get_by_role("heading", level=1)).to_contain_text("mosaic floor.png")

    tomas.goto(f"/projects/{team['slug']}/files/")
    thumbnail = tomas.locator(".files-thumb img").first
    expect(thumbnail).to_be_visible()
    tomas.wait_for_function("img => img.complete && img.naturalWidth > 0",
                            arg=thumbnail.element_handle())
    bucket, prefix = cluster.storage_url.removeprefix("s3://").split("/", 1)
    stored = cluster.s3.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    assert stored["KeyCount"] >= 2  # the image and its thumbnail, in the object store
    for process in cluster.processes():  # and on no machine's disk
        uploads = Path(process.env["DATA_DIR"]) / "uploads"
        assert not [p for p in uploads.rglob("*") if p.is_file() and "tmp" not in p.parts]


def test_a_case_study_published_through_one_process_is_found_through_the_other(person):
    curator = person("curator", "app-a")
    curator.goto("/archive/review")
    curator.get_by_role("link", name=TITLE).click()
    curator.get_by_role("button", name="Publish").click()
    expect(curator.get_by_role("heading", level=1)).to_have_text(TITLE)

    visitor = person(None, "app-b")
    results = visitor.locator(".case-item h3")
    deadline = time.monotonic() + 20
    while True:  # the other process's index follows within seconds
        visitor.goto("/archive/?q=mosaici+bevagna")
        if results.count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(results).to_have_text([TITLE])
    results.get_by_role("link").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_each_process_is_scraped_on_its_own_address_and_logs_json(cluster):
    through_nginx = cluster.nginx.get("/metrics")
    assert through_nginx.status_code == 404  # nginx keeps it in: scrape each process directly
    chat_messages = 0
    for process in cluster.processes():
        scrape = requests.get(process.url + "/metrics", timeout=10)  # METRICS_ALLOW_FROM
        assert scrape.status_code == 200
        text = scrape.text
        assert 'museum_http_request_duration_seconds_count{endpoint="main.liveness"' in text
        chat_messages += sum(float(line.split()[-1]) for line in text.splitlines()
                             if line.startswith("museum_chat_messages_total "))
        records = process.log_records()
        # each machine built its index at start, in a process of its own (app/search/follower.py)
        assert any(r["logger"] == "app.search.follower" and "process of its own" in r["message"]
                   for r in records)
        access = [r for r in records if r["logger"] == "museum.access"]
        assert access and {"time", "level", "message", "request_id", "path", "status",
                           "duration_ms"} <= set(access[-1])
    assert chat_messages == 6
    ready = cluster.nginx.get("/healthz/ready")
    assert ready.status_code == 200 and ready.json()["index_lag"] == 0


def test_when_a_process_dies_mid_chat_its_people_reconnect_to_the_other_and_catch_up(
        cluster, person, team):
    anna, tomas = person("anna", "app-a"), person("tomas", "app-b")
    open_chat(anna, team["slug"])
    open_chat(tomas, team["slug"])
    before = bodies(anna)
    send(anna, "Before the crash")
    expect(tomas.locator(".chat-message .chat-body").last).to_have_text("Before the crash")

    cluster.a.kill()  # Anna's process, with her socket on it
    send(anna, "Written as it died 1")
    send(tomas, "Tomas, meanwhile")
    send(anna, "Written as it died 2")
    expect(anna.locator("[data-chat]")).to_have_attribute("data-state", "connected",
                                                          timeout=30_000)
    expected = 4 + len(before)
    for page in (anna, tomas):
        expect(page.locator(".chat-message .chat-body")).to_have_count(expected, timeout=30_000)
    seen_by_anna, seen_by_tomas = bodies(anna), bodies(tomas)
    assert seen_by_anna == seen_by_tomas
    anna_after = [b for b in seen_by_anna[len(before):] if not b.startswith("Tomas")]
    assert anna_after == ["Before the crash", "Written as it died 1", "Written as it died 2"]
    assert cluster.b.health()["connections"]["open"] >= 2  # both on the surviving process
    with cluster.app().app_context():
        stored = db.session.execute(
            select(func.count(), func.min(ChatMessage.seq), func.max(ChatMessage.seq))
            .where(ChatMessage.project_id == team["project_id"])).one()
        db.session.remove()
    assert tuple(stored) == (expected, 1, expected)  # stored once each, seq without gaps
    anna.reload()  # pages too are served by the survivor
    expect(anna.locator("[data-chat]")).to_have_attribute("data-state", "connected")
