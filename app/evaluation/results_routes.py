"""The public results of a call: the funded pilots, as a page, JSON and CSV (grants to third
parties are published). Anyone may read them once the call is public."""
import csv
import io

from flask import Response, jsonify, render_template, request
from flask_login import current_user

from ..calls import queries as call_queries
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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for pilot in queries.public_results(call, request.url_root.rstrip("/")):
        writer.writerow([" ".join(pilot["areas"]) if key == "areas" else pilot[key] or ""
                         for key in COLUMNS])
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{call.slug}-results.csv"'})
