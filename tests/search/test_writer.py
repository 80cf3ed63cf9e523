"""`BulkSegmentWriter` (a rebuild's writer) keeps the text fields' postings aside and writes
them a block at a time: the index must be exactly the one Whoosh's own writer makes (every
term, posting, weight, value, block statistic, field length and stored field)."""
import random

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from app.search.schema import build_schema, document_for
from app.search.writer import BulkSegmentWriter

from .factories import make_record

WORDS = ("museum musée musées muzeum muzea Sammlung Sammlungen collection visitors digital "
         "archive mostra musei Straße Łódź μουσείο výstavy 3.5 e.g. foo*bar").split()


def records(n: int) -> list[dict]:
    rng = random.Random(18)
    out = []
    for i in range(n):
        def text(k):
            return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, k)))
        translations = [{"language": "it", "title": text(4), "summary": text(10),
                         "body": text(60)}] if i % 7 == 0 else []
        out.append(make_record(title=text(6), summary=text(20), body="museum " + text(200),
                               attachments=text(50) if i % 3 == 0 else "",
                               language=("en", "fr", "pl", "de", "sk", "el")[i % 6],
                               translations=translations))
    return out


def build(directory, writer_class, docs):
    directory.mkdir()
    ix = whoosh_index.create_in(str(directory), build_schema())
    writer = writer_class(ix, codec=W3Codec(compression=0))
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def contents(ix) -> dict:
    out = {}
    with ix.reader() as reader:
        for fieldname in ix.schema.names():
            field = ix.schema[fieldname]
            if field.indexed:
                for text in reader.lexicon(fieldname):
                    info = reader.term_info(fieldname, text)
                    matcher = reader.postings(fieldname, text)
                    postings = []
                    while matcher.is_active():
                        postings.append((matcher.id(), matcher.weight(), matcher.value(),
                                         matcher.block_max_length(), matcher.block_min_length(),
                                         matcher.block_max_weight()))
                        matcher.next()
                    out[fieldname, text] = (info.weight(), info.doc_frequency(),
                                            info.min_length(), info.max_length(),
                                            info.max_weight(), postings)
            if field.scorable:
                out[fieldname, "lengths"] = (
                    reader.field_length(fieldname),
                    [reader.doc_field_length(d, fieldname) for d in range(reader.doc_count_all())])
        out["stored"] = list(reader.all_stored_fields())
    return out


def test_the_bulk_writer_writes_what_whooshs_writer_writes(app, tmp_path):
    docs = [document_for(record) for record in records(300)]  # "museum": three blocks of 128
    ours = contents(build(tmp_path / "bulk", BulkSegmentWriter, docs))
    whooshs = contents(build(tmp_path / "whoosh", SegmentWriter, docs))
    assert len(ours[("body", b"museum")][-1]) == 300
    assert ours.keys() == whooshs.keys()
    assert ours == whooshs
