"""WET, WARC and Parquet inputs, written with the real libraries from fixture pages: each text comes out
as `cleaner clean` cleans the same text from a .txt (or .html) file, byte for byte, with the other fields
and the order kept."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.io import documents, format_of, output_name
from conftest import FIXTURES

TEXT_PAGES = sorted((FIXTURES / "seeds" / "raw").glob("*.txt")) + sorted((FIXTURES / "families" / "raw").glob("*.txt"))[:12]
HTML_PAGES = [FIXTURES / "html" / name for name in ("teaser-run-related.html", "split-body.html", "widget-named-wrapper.html",
                                                   "bom-utf8.html", "cp1252.html")]


def run_clean(*args) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["clean", *map(str, args), "--jobs", "1"])
    return result.exit_code, result.output


def report_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]


def cleaned_as_files(tmp_path: Path, pages: list[Path]) -> dict[str, bytes]:
    """Each page's output when the pages are cleaned as files of their own."""
    folder = tmp_path / "as-files"
    folder.mkdir()
    for page in pages:
        shutil.copyfile(page, folder / page.name)
    code, output = run_clean(folder, "--out", tmp_path / "as-files-out")
    assert code == 0, output
    return {page.name: (tmp_path / "as-files-out" / output_name(page)).read_bytes() for page in pages}


def url_of(page: Path) -> str:
    return f"https://example.org/{page.stem}"


def write_warc(path: Path, records: list[tuple[str, str, bytes, dict]]) -> list[str]:
    """A gzipped WARC file, a gzip member per record, as Common Crawl writes them; the record ids."""
    stream = GzipWriter(str(path), fsspec_args=False)
    info = WarcRecord()
    info.init_headers(WarcRecordType.warcinfo)
    info.set_bytes_content(b"software: cleaner tests\r\n")
    info.write(stream)
    stream.finish()
    ids = []
    for kind, url, content, headers in records:
        record = WarcRecord()
        record.init_headers(getattr(WarcRecordType, kind))
        record.headers["WARC-Target-URI"] = url
        record.headers["WARC-Date"] = "2025-03-01T10:00:00Z"
        for name, value in headers.items():
            record.headers[name] = value
        record.set_bytes_content(content)
        record.write(stream)
        stream.finish()
        ids.append(record.record_id)
    stream.close()
    return ids


def http_response(body: bytes, content_type: str = "text/html", status: str = "200 OK") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def test_the_formats_are_known_by_their_names():
    assert [format_of(Path(name)).name for name in ("a.warc.wet.gz", "a.WARC.GZ", "a.warc", "a.wet", "a.parquet")] == [
        "wet", "warc", "warc", "wet", "parquet"]
    assert format_of(Path("a.parquet.gz")) is None  # Parquet compresses inside
    assert output_name(Path("CC-1.warc.wet.gz")) == "CC-1.warc.wet.jsonl"
    assert output_name(Path("CC-1.warc.gz")) == "CC-1.warc.jsonl"  # beside its WET file, another name
    assert output_name(Path("shard.parquet")) == "shard.parquet"


def test_a_wet_file_comes_out_as_its_texts_do_from_txt_files(tmp_path):
    expected = cleaned_as_files(tmp_path, TEXT_PAGES)
    (tmp_path / "in").mkdir()
    wet = tmp_path / "in" / "CC-MAIN-test-00000.warc.wet.gz"
    ids = write_warc(wet, [("conversion", url_of(page), page.read_bytes(),
                            {"Content-Type": "text/plain", "WARC-Identified-Content-Language": "eng"} if n % 2 else {})
                           for n, page in enumerate(TEXT_PAGES)])
    code, output = run_clean(wet, "--out", tmp_path / "out")
    assert code == 0, output
    rows = [json.loads(line) for line in (tmp_path / "out" / "CC-MAIN-test-00000.warc.wet.jsonl").open(encoding="utf-8")]
    assert [row["id"] for row in rows] == ids
    assert [row["url"] for row in rows] == [url_of(page) for page in TEXT_PAGES]
    assert {row["date"] for row in rows} == {"2025-03-01T10:00:00Z"}
    assert [row.get("language") for row in rows] == ["eng" if n % 2 else None for n in range(len(rows))]
    assert list(rows[1]) == ["id", "url", "date", "language", "text"]
    for page, row in zip(TEXT_PAGES, rows):
        assert row["text"].encode("utf-8") == expected[page.name], page.name
    report = report_of(tmp_path / "out")
    assert [record["id"] for record in report] == ids  # the report names records by WARC-Record-ID
    assert sum(record["status"] == "cleaned" for record in report) >= len(TEXT_PAGES) // 2


def test_a_warc_file_comes_out_as_its_pages_do_from_html_files(tmp_path):
    expected = cleaned_as_files(tmp_path, HTML_PAGES)
    (tmp_path / "in").mkdir()
    warc = tmp_path / "in" / "crawl.warc.gz"
    response = {"Content-Type": "application/http; msgtype=response"}
    pages = [("response", url_of(page), http_response(page.read_bytes()), response) for page in HTML_PAGES]
    others = [
        ("request", "https://example.org/x", b"GET /x HTTP/1.1\r\nHost: example.org\r\n\r\n", {"Content-Type": "application/http; msgtype=request"}),
        ("response", "https://example.org/doc.pdf", http_response(b"%PDF-1.4", "application/pdf"), response),
        ("response", "https://example.org/old", http_response(b"", status="301 Moved Permanently"), response),
    ]
    ids = write_warc(warc, pages[:2] + others + pages[2:])
    code, output = run_clean(warc, "--out", tmp_path / "out")
    assert code == 0, output
    rows = [json.loads(line) for line in (tmp_path / "out" / "crawl.warc.jsonl").open(encoding="utf-8")]
    assert [row["url"] for row in rows] == [url_of(page) for page in HTML_PAGES]
    for page, row in zip(HTML_PAGES, rows):
        assert row["text"].encode("utf-8") == expected[page.name], page.name
    report = report_of(tmp_path / "out")
    # The request, the PDF and the redirect are no documents: passed over, as a folder's PDFs are.
    assert [record["id"] for record in report] == ids[:2] + ids[5:]


def test_a_warc_page_without_a_meta_charset_is_read_in_the_servers_charset(tmp_path):
    page = "<html><body><article><p>Über die Brücke gingen täglich viele Menschen zur Arbeit in der Stadt.</p>" \
           "<p>Die Stadt plant eine zweite Brücke über den Fluss, die im nächsten Jahr gebaut werden soll.</p></article></body></html>"
    warc = tmp_path / "page.warc"
    write_warc(warc, [("response", "https://example.de/a", http_response(page.encode("cp1252"), "text/html; charset=windows-1252"),
                       {"Content-Type": "application/http; msgtype=response"})])
    (item,) = documents(warc)
    assert item.html and "Über die Brücke" in item.text


def test_a_cut_short_wet_record_fails_and_a_corrupt_file_fails_whole(tmp_path):
    (tmp_path / "in").mkdir()
    wet = tmp_path / "in" / "short.warc.wet.gz"
    write_warc(wet, [("conversion", url_of(page), page.read_bytes(), {}) for page in TEXT_PAGES[:3]])
    data = wet.read_bytes()
    (tmp_path / "in" / "cut.warc.wet.gz").write_bytes(data[: len(data) - 40])
    wet.unlink()
    code, output = run_clean(tmp_path / "in", "--out", tmp_path / "out")
    assert code == 1
    (record,) = [r for r in report_of(tmp_path / "out") if r["status"] == "failed"]
    assert record["error"].startswith("bad gzip data") or "cut short" in record["error"]
    assert not (tmp_path / "out" / "cut.warc.wet.jsonl").exists()  # no half output in place


def parquet_table(pages: list[Path]) -> pa.Table:
    texts = [page.read_text(encoding="utf-8") for page in pages]
    texts[1] = None  # a row without text keeps its null and is reported
    return pa.table({
        "id": [f"doc-{n}" for n in range(len(pages))],
        "text": texts,
        "url": [url_of(page) for page in pages],
        "score": pa.array([n / 10 for n in range(len(pages))], pa.float32()),
        "tags": [["a", str(n)] for n in range(len(pages))],
    }).replace_schema_metadata({"origin": "tests"})


def test_a_parquet_shard_comes_out_with_its_columns_and_order_and_cleaned_texts(tmp_path, monkeypatch):
    monkeypatch.setattr("cleaner.io.parquet.BATCH_ROWS", 4)  # several batches, the last one short
    expected = cleaned_as_files(tmp_path, TEXT_PAGES)
    (tmp_path / "in").mkdir()
    table = parquet_table(TEXT_PAGES)
    pq.write_table(table, tmp_path / "in" / "shard.parquet", row_group_size=5, compression="zstd")
    code, output = run_clean(tmp_path / "in", "--out", tmp_path / "out")
    assert code == 1, output  # the null row is a failed record
    out = pq.read_table(tmp_path / "out" / "shard.parquet")
    assert out.schema == table.schema and out.schema.metadata == table.schema.metadata
    for column in ("id", "url", "score", "tags"):
        assert out.column(column).to_pylist() == table.column(column).to_pylist()
    texts = out.column("text").to_pylist()
    assert texts[1] is None
    for page, text in zip(TEXT_PAGES, texts):
        if text is not None:
            assert text.encode("utf-8") == expected[page.name], page.name
    assert pq.ParquetFile(tmp_path / "out" / "shard.parquet").metadata.row_group(0).column(0).compression == "ZSTD"
    report = report_of(tmp_path / "out")
    assert [record["id"] for record in report] == table.column("id").to_pylist()
    assert [record["status"] for record in report].count("failed") == 1
    assert report[1]["error"] == "row 2: no string in column 'text'"


def test_a_parquet_shard_without_the_text_column_fails_and_names_its_columns(tmp_path):
    (tmp_path / "in").mkdir()
    pq.write_table(pa.table({"content": ["Some text."]}), tmp_path / "in" / "s.parquet")
    code, _ = run_clean(tmp_path / "in", "--out", tmp_path / "out")
    assert code == 1
    (record,) = report_of(tmp_path / "out")
    assert record["status"] == "failed" and "no column 'text' (columns: content)" in record["error"]
    code, _ = run_clean(tmp_path / "in", "--out", tmp_path / "out2", "--text-field", "content")
    assert code == 0 and pq.read_table(tmp_path / "out2" / "s.parquet").column("content").to_pylist() == ["Some text."]


@pytest.mark.parametrize("name", ["crawl.warc.wet.gz", "shard.parquet"])
def test_learn_and_explain_read_the_same_records(tmp_path, name):
    path = tmp_path / name
    pages = TEXT_PAGES[:3]
    if name.endswith(".parquet"):
        pq.write_table(pa.table({"text": [p.read_text(encoding="utf-8") for p in pages]}), path)
    else:
        write_warc(path, [("conversion", url_of(page), page.read_bytes(), {}) for page in pages])
    assert [item.text for item in documents(path)] == [p.read_text(encoding="utf-8") for p in pages]
    result = CliRunner().invoke(app, ["explain", str(path), "--color", "never"])
    assert result.exit_code == 0 and result.output.count("== record ") == 3


def test_the_written_test_files_are_real_warc(tmp_path):
    """The fixtures above are read back by FastWARC itself, not only by cleaner."""
    path = tmp_path / "a.warc.wet.gz"
    write_warc(path, [("conversion", "https://example.org/a", b"Text.", {})])
    assert [record.record_type for record in ArchiveIterator(str(path), fsspec_args=False)] == [
        WarcRecordType.warcinfo, WarcRecordType.conversion]


def test_every_reader_splits_jsonl_on_newlines_only(tmp_path):
    """U+2028, U+2029 and U+0085 inside a record's text (written raw, as ensure_ascii=False writes them)
    stay inside it for the batch, learn, explain, audit and lint alike."""
    from cleaner.learn import iter_sources
    from cleaner.lint import load_corpus

    body = TEXT_PAGES[0].read_text(encoding="utf-8")
    texts = ["First part.\u2028Still the first record.\u0085And this.\n" + body, "Second\u2029record.\n" + body]
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "crawl.jsonl"
    path.write_text("".join(json.dumps({"id": n, "text": t}, ensure_ascii=False) + "\n" for n, t in enumerate(texts)),
                    encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")
    assert [item.text for item in documents(path)] == texts
    assert [source.text for source in iter_sources([folder])] == texts
    assert [text for _, text in load_corpus(folder)] == texts
    result = CliRunner().invoke(app, ["explain", str(path), "--color", "never"])
    assert result.exit_code == 0 and result.output.count("== record ") == 2 and "Still the first record." in result.output
    code, output = run_clean(folder, "--out", tmp_path / "out", "--audit", tmp_path / "audit.html")
    assert code == 0, output
    rows = (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8").split("\n")
    assert len(rows) == 3 and rows[2] == "" and "Still the first record." in json.loads(rows[0])["text"]
    assert [record["id"] for record in report_of(tmp_path / "out")] == [0, 1]
    assert "Still the first record." in (tmp_path / "audit.html").read_text(encoding="utf-8")


def test_a_warc_response_sent_gzipped_and_chunked_is_read_as_the_page(tmp_path):
    import gzip

    page = HTML_PAGES[0].read_bytes()
    body = gzip.compress(page)
    chunked = b"".join(b"%x\r\n" % len(body[i:i + 1000]) + body[i:i + 1000] + b"\r\n" for i in range(0, len(body), 1000))
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n")
    write_warc(tmp_path / "enc.warc", [("response", "https://example.org/e", http, {"Content-Type": "application/http; msgtype=response"})])
    (item,) = documents(tmp_path / "enc.warc")
    assert item.text == page.decode("utf-8")


def test_a_row_group_of_long_texts_is_read_in_batches_of_fewer_rows(tmp_path, monkeypatch):
    from cleaner.io import parquet

    monkeypatch.setattr(parquet, "BATCH_BYTES", 40_000)
    texts = [f"Text number {n}. " * 500 for n in range(12)]  # about 8 KB each
    table = pa.table({"tags": [["a"]] * 12, "text": texts})  # a nested column first: leaf columns differ from fields
    pq.write_table(table, tmp_path / "long.parquet", row_group_size=12, compression="none")
    shard = pq.ParquetFile(tmp_path / "long.parquet")
    sizes = [batch.num_rows for batch in parquet._batches(shard, "text")]
    assert sum(sizes) == 12 and max(sizes) <= 5
    assert [item.text for item in documents(tmp_path / "long.parquet")] == texts


def test_a_warc_record_over_the_cap_or_badly_encoded_fails_alone(tmp_path):
    """A gzip bomb (64 MB in 64 KB), a page over the cap, a raw-deflate page, a Brotli one and a corrupt gzip
    among good pages: each bad record fails on its own, the pages after it are still read."""
    import zlib

    from cleaner.io import ReadOptions

    page = HTML_PAGES[0].read_bytes()

    def encoded(body: bytes, encoding: str) -> bytes:
        return (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {encoding}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(b"<p>" + b"a" * (1 << 20)) for _ in range(64)) + packer.flush()
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw_deflate = raw.compress(page) + raw.flush()
    responses = [http_response(page), encoded(bomb, "gzip"), http_response(b"<p>" + b"a" * (2 << 20)),
                 encoded(raw_deflate, "deflate"), encoded(b"\x1b\x00", "br"), encoded(b"\x1f\x8b\x08\x00garbage", "gzip"),
                 http_response(page)]
    write_warc(tmp_path / "mixed.warc.gz", [("response", f"https://example.org/{n}", body, {"Content-Type": "application/http; msgtype=response"})
                                             for n, body in enumerate(responses)])
    items = list(documents(tmp_path / "mixed.warc.gz", ReadOptions(max_bytes=1 << 20)))
    assert [item.text == page.decode() for item in items] == [True, False, False, True, False, False, True]
    assert "larger than --max-bytes" in items[1].error and "larger than --max-bytes" in items[2].error
    assert items[4].error == "record 5: content encoding 'br' is not read: only gzip and deflate are"
    assert items[5].error.startswith("record 6: bad gzip data in the response")


def test_a_file_whose_library_is_missing_is_an_error_before_work(tmp_path, monkeypatch):
    import importlib.util

    wet = tmp_path / "a.warc.wet.gz"
    write_warc(wet, [("conversion", "https://example.org/a", TEXT_PAGES[0].read_bytes(), {})])
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastwarc" else real(name, *a))
    result = CliRunner().invoke(app, ["clean", str(wet), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "a.warc.wet.gz: WET and WARC files need FastWARC: pip install 'cleaner[warc]'" in result.output
    assert not (tmp_path / "out").exists()  # nothing started


@pytest.mark.parametrize("label", ["l", "no-such-charset", "base64", "rot13"])
def test_a_warc_charset_python_cannot_decode_with_leaves_the_page_to_decide(tmp_path, label):
    page = "<html><body><p>Über die Brücke gingen täglich viele Menschen.</p></body></html>".encode("cp1252")
    write_warc(tmp_path / "c.warc", [("response", "https://example.de/a", http_response(page, f"text/html; charset={label}"),
                                      {"Content-Type": "application/http; msgtype=response"})])
    (item,) = documents(tmp_path / "c.warc")
    assert item.error is None and "Über die Brücke" in item.text  # read as an .html file of the same bytes
