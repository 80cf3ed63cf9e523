"""The crawlers' door: /robots.txt, /sitemap.xml and its pages (plain text and XML out)."""
from flask import Response

from . import bp, crawlers


@bp.route("/robots.txt")
def robots():
    return Response(crawlers.robots_txt(), mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap_index():
    return Response(crawlers.sitemap_index_xml(), mimetype="application/xml")


@bp.route("/sitemap/<name>/<id:number>.xml")
def sitemap_page(name: str, number: int):
    return Response(crawlers.sitemap_page_xml(name, number), mimetype="application/xml")
