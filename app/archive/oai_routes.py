"""The OAI-PMH door at /oai (GET and POST): arguments in, XML out. Protocol errors are XML
answers with status 200, as the specification wants, including refused text."""
from flask import Blueprint, Response, request, url_for

from ..core.errors import DomainError
from ..extensions import csrf
from . import oai, oai_xml

oai_bp = Blueprint("oai", __name__)


def _xml(answer: oai.Answer) -> Response:
    return Response(oai_xml.render(answer, url_for("oai.endpoint", _external=True)),
                    mimetype="text/xml", headers={"Cache-Control": "no-store"})


@oai_bp.route("/oai", methods=["GET", "POST"])
@csrf.exempt  # read-only: harvesters POST their arguments without a session or token
def endpoint():
    return _xml(oai.answer(request.form if request.method == "POST" else request.args))


@oai_bp.errorhandler(DomainError)
def refused(error: DomainError):
    """The shared text check refused the query string: that is a bad argument here."""
    return _xml(oai.Answer(verb=None, errors=[oai.OaiError("badArgument", error.message)]))
