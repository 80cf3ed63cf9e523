"""The public results of a call: the funded pilots, as a page, JSON and CSV (grants to third
parties are published). Anyone may read them once the call is public."""
from flask import Response, jsonify, render_template, request
from flask_login import current_user

from ..calls import queries as call_queries
from ..core.spreadsheets import csv_text
from ..projects.areas import area_label
from . import bp, queries

COLUMNS = ("ref", "title", "lead_organisation", "country", "areas", "grant_eur",
           "case_study_url")


@bp.route("/calls/<slug>/results")
def results(slug: str):
    call = call_queries.get_call(slug, current_user)
    return render_template("evaluation/results.html", call=call,
                           pilots=queries.public_results(call), area_label=area_label)


@bp.route("/calls/<slug>/results.json")
def results_json(slug: str):
    call = call_queries.get_call(slug, current_user)
    pilots = queries.public_results(call, request.url_root.rstrip("/"))
    return jsonify(call=call.slug, count=len(pilots),
                   total_eur=sum(p["grant_eur"] for p in pilots), pilots=pilots)


@bp.route("/calls/<slug>/results.csv")
def results_csv(slug: str):
    call = call_queries.get_call(slug, current_user)
    rows = ([" ".join(pilot["areas"]) if key == "areas" else pilot[key] for key in COLUMNS]
            for pilot in queries.public_results(call, request.url_root.rstrip("/")))
    return Response(csv_text(COLUMNS, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{call.slug}-results.csv"'})
