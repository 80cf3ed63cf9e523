"""Whoosh's segment writer, fed whole term-frequency tables for our text fields.

Whoosh's `SegmentWriter` sends every posting of every field through its pool one tuple at a time
(a Python call and a size estimate each), sorts all of them at commit, and hands them one by one
to the codec, which reads the document's field length back from the new segment's files for
each posting: at ~1,370 postings per case study that was two thirds of a rebuild's CPU
(docs/search.md, "Rebuild speed"). For the fields that count their words (`schema.FastText`:
every text field) `BulkSegmentWriter` keeps each field's postings in memory instead, as
term -> (document numbers, frequencies) in arrays; documents arrive in order, so nothing needs
sorting but the terms. At commit it fills the codec's posting blocks a block at a time. The
files are the same as Whoosh's own writer makes (tests/search/test_writer.py compares every
posting, length and stored field). Every other field (ids, keywords, numbers) takes Whoosh's
path. The postings stay in memory until the commit (~20 bytes each: ~280 MB for 10,000 case
studies in one process, half that in each of two), where Whoosh's pool spilled to disk.

`BulkMpWriter` is Whoosh's multiprocessing writer (one segment per process, left unmerged) whose
processes write with `BulkSegmentWriter`.
"""
from array import array
from collections.abc import Iterator

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .schema import FastText

_LAST = chr(0x10FFFF)  # sorts after every field name


class BulkSegmentWriter(SegmentWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        #: field -> term -> (document numbers, frequencies)
        self._bulk: dict[str, dict[str, tuple[array, array]]] = {}
        #: field -> document number -> its length as the segment stores it (one byte)
        self._lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields):
        """Whoosh's `SegmentWriter.add_document`, with our text fields' postings kept aside."""
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        add_post = self.pool.add
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if isinstance(field, FastText):
                    if self._field_boost(fields, fieldname, docboost) != 1.0:
                        raise ValueError("BulkSegmentWriter takes no document or field boosts")
                    length = self._add_counts(fieldname, docnum, field.term_counts(value))
                elif field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
                    if field.separate_spelling() or field.vector:
                        raise ValueError("BulkSegmentWriter writes no spelling or vectors")
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None,
                                       length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column,
                                                  field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_counts(self, fieldname: str, docnum: int, counts: dict[str, int]) -> int:
        postings = self._bulk.get(fieldname)
        if postings is None:
            postings = self._bulk[fieldname] = {}
            self._lengths[fieldname] = {}
        for text, freq in counts.items():
            entry = postings.get(text)
            if entry is None:
                entry = postings[text] = (array("I"), array("I"))
            entry[0].append(docnum)
            entry[1].append(freq)
        length = sum(counts.values())
        if length:
            self._lengths[fieldname][docnum] = byte_to_length(length_to_byte(length))
        return length

    def _flush_segment(self):
        """Whoosh's postings stream with each of our fields written in its place (field order)."""
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        fieldwriter, schema = self.fieldwriter, self.schema
        pooled = _Postings(self.pool.iter_postings())
        for fieldname in sorted(self._bulk):
            fieldwriter.add_postings(schema, pdr, pooled.before(fieldname))
            self._write_field(fieldname)
        fieldwriter.add_postings(schema, pdr, pooled.before(_LAST))
        fieldwriter.close()
        if pdr:
            pdr.close()
        self._bulk, self._lengths = {}, {}

    def _write_field(self, fieldname: str) -> None:
        """What `FieldWriter.add_postings` and the postings writer's `add_posting` do for each
        posting, a block at a time: the same blocks, statistics and inlined short lists."""
        field, fieldwriter = self.schema[fieldname], self.fieldwriter
        boost, lengths, postings = (field.format.field_boost, self._lengths[fieldname],
                                    self._bulk[fieldname])
        fieldwriter.start_field(fieldname, field)
        postwriter = fieldwriter._postwriter
        limit = postwriter._blocklimit
        for text in sorted(postings):  # code point order is UTF-8 byte order
            docnums, freqs = postings[text]
            fieldwriter.start_term(text.encode("utf-8"))
            for start in range(0, len(docnums), limit):
                if start:
                    postwriter._write_block()
                ids, counts = docnums[start:start + limit], freqs[start:start + limit]
                weights = [count * boost for count in counts]
                block_lengths = [lengths[docnum] for docnum in ids]
                postwriter._ids = ids
                postwriter._weights = array("f", weights)
                postwriter._values = list(map(pack_uint, counts))
                postwriter._maxweight = max(0, max(weights))
                postwriter._minlength = min(block_lengths)
                postwriter._maxlength = max(block_lengths)
            fieldwriter.finish_term()
        fieldwriter.finish_field()


class _Postings:
    """Whoosh's sorted postings stream, handed out a range of fields at a time."""

    def __init__(self, items):
        self.items = iter(items)
        self.head = next(self.items, None)

    def before(self, fieldname: str) -> Iterator[tuple]:
        while self.head is not None and self.head[0] < fieldname:
            yield self.head
            self.head = next(self.items, None)


class _BulkSubWriterTask(SubWriterTask):
    """Whoosh's writer process (multisegment: it finishes its own segment), writing with
    `BulkSegmentWriter`."""

    def run(self):
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = BulkSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
        else:
            fieldnames = writer.pool.fieldnames | set(writer._bulk)
            segment = writer._finalize_segment()
            self.resultqueue.put((None, fieldnames, segment), timeout=5)


class BulkMpWriter(MpWriter):
    """Whoosh's multiprocessing writer with `BulkSegmentWriter` in every process; always
    multisegment (one segment per process, no merge). `before_first_task` runs in this process
    before the first writer process is forked (with the documents buffered so far)."""

    def __init__(self, ix, *, before_first_task=None, **kwargs):
        super().__init__(ix, multisegment=True, **kwargs)
        self.before_first_task = before_first_task

    def _new_task(self):
        if not self.tasks and self.before_first_task is not None:
            self.before_first_task([fields for _code, fields in self.docbuffer])
        task = _BulkSubWriterTask(self.storage, self.indexname, self.jobqueue,
                                  self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
