"""What search engines and link previews read of a case-study page, read back with extruct (a
maintained parser of embedded metadata) and lxml, and checked against the case study."""
import json

import extruct
from lxml import html

from app.archive import services

from .conftest import fill, submitted_case_study
from .factories import published


def embedded(client, slug: str) -> tuple[dict, dict, html.HtmlElement]:
    page = client.get(f"/archive/{slug}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    data = extruct.extract(text, base_url=f"http://localhost/archive/{slug}",
                           syntaxes=["json-ld", "opengraph"], uniform=True)
    assert len(data["json-ld"]) == 1 and len(data["opengraph"]) == 1
    return data["json-ld"][0], data["opengraph"][0], html.fromstring(text)


def test_json_ld_open_graph_and_canonical_describe_the_case_study(app, client):
    slug = published(title="Audioguida per famiglie", language="it", country="IT",
                     summary="Un'audioguida per bambini e genitori.", year=2023,
                     areas=["audience-experience", "ar-vr"], technologies=["podcast", "nfc"],
                     license="CC-BY-SA-4.0", published_at="2024-05-06T07:08:09",
                     partners=[{"name": "Suono Srl", "kind": "creative", "country": "IT",
                                "role": "Recording"}])
    json_ld, open_graph, tree = embedded(client, slug)
    url = f"http://localhost/archive/{slug}"
    assert json_ld["@context"].rstrip("/") in ("https://schema.org", "http://schema.org")
    assert json_ld["@type"] == "Article" and json_ld["url"] == url
    assert json_ld["headline"] == json_ld["name"] == "Audioguida per famiglie"
    assert json_ld["description"] == "Un'audioguida per bambini e genitori."
    assert json_ld["inLanguage"] == "it"
    assert json_ld["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert [a["name"] for a in json_ld["about"]] == ["Audience experience", "AR / VR"]
    assert [(a["@type"], a["name"]) for a in json_ld["author"]] == [
        ("Organization", "Museo Civico Test " + slug.split("-")[1]),
        ("Organization", "Suono Srl")]
    assert json_ld["author"][0]["address"]["addressCountry"] == "IT"
    assert json_ld["spatialCoverage"] == {"@type": "Country", "name": "Italy",
                                          "identifier": "IT"}
    assert json_ld["datePublished"] == json_ld["dateModified"] == "2024-05-06T07:08:09Z"
    assert json_ld["keywords"] == "podcast, nfc" and json_ld["temporalCoverage"] == "2023"
    assert open_graph["@type"] == "article"
    assert open_graph["og:title"] == "Audioguida per famiglie" and open_graph["og:url"] == url
    assert open_graph["og:description"] == "Un'audioguida per bambini e genitori."
    assert tree.xpath("//link[@rel='canonical']/@href") == [url]
    assert tree.xpath("//meta[@name='twitter:card']/@content") == ["summary"]
    assert tree.xpath("//meta[@name='twitter:title']/@content") == ["Audioguida per famiglie"]
    assert tree.xpath("//meta[@property='article:tag']/@content") == ["podcast", "nfc"]


def test_a_title_that_closes_the_script_stays_data(app, client):
    title = "</script><script>alert(1)</script> & 'quotes'"
    slug = published(title=title)
    page = client.get(f"/archive/{slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    block = html.fromstring(page).xpath("//script[@type='application/ld+json']/text()")[0]
    assert json.loads(block)["headline"] == title
    scripts = html.fromstring(page).xpath("//script[not(@src)]")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]  # the only inline one


def test_the_metadata_stays_on_the_published_version(app, client, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    services.publish_case_study(people["admin"], case_study)
    fill(case_study, people["lead"], title="A private second edition", language="it")
    json_ld, open_graph, tree = embedded(client, case_study.slug)
    assert json_ld["headline"] == "Icon workshop in 3D" and json_ld["inLanguage"] == "en"
    assert json_ld["spatialCoverage"]["identifier"] == "PL"
    assert "second edition" not in client.get(f"/archive/{case_study.slug}").get_data(
        as_text=True)


def test_translations_get_their_own_canonical_language_and_harvest_entry(app, client, team):
    from app.archive import translations
    from app.archive.models import CaseStudy
    from app.extensions import db

    from .oai_schema import NS, valid_oai

    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    services.publish_case_study(people["admin"], case_study)
    translations.save_translation(people["admin"], db.session.get(CaseStudy, case_study.id),
                                  "it", {"title": "Laboratorio di icone in 3D",
                                         "summary": "Abbiamo scansionato quaranta icone."})
    original = f"http://localhost/archive/{case_study.slug}"
    json_ld, _og, tree = embedded(client, case_study.slug)
    assert json_ld["workTranslation"] == [{"@id": f"{original}/in/it", "inLanguage": "it"}]
    json_ld, open_graph, tree = embedded(client, f"{case_study.slug}/in/it")
    assert json_ld["inLanguage"] == "it" and json_ld["headline"] == "Laboratorio di icone in 3D"
    assert json_ld["translationOfWork"] == {"@id": original, "inLanguage": "en"}
    assert tree.xpath("//link[@rel='canonical']/@href") == [f"{original}/in/it"]
    assert set(tree.xpath("//link[@rel='alternate']/@hreflang")) == {"en", "it"}
    rich = valid_oai(client.get("/oai?verb=ListRecords&metadataPrefix=emc_case_study").data)
    assert [(t.get("language"), t.get("url")) for t in rich.iterfind(".//cs:translation", NS)] \
        == [("it", f"{original}/in/it")]
