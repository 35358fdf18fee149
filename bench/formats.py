"""WET and Parquet inputs: how fast they are read, what they cost against .txt files, and their memory.

    .venv/bin/python bench/formats.py [--mb 50] [--big-mb 1000] [--repeats 3] [--skip-readers] [--skip-cost] [--skip-memory]

Builds its inputs in a temporary folder (never in the repository) from the benchmark page texts, as
bench/throughput.py does, then:

1. readers: every record of a gzipped WET file of --mb MB of text read by FastWARC (through cleaner's
   own gzip stream, as cleaner reads it, and through FastWARC's) and by warcio: MB/s;
2. cost: `cleaner clean --jobs 1 --timeout 0` on the same texts as .txt files (one per page), as one
   .warc.wet.gz file and as one Parquet shard: seconds per MB, and each format's cost over the .txt one's
   (target <= 1.1), the formats alternating within each of --repeats rounds;
3. memory: peak RSS of `cleaner clean --jobs 1` on a WET file and a Parquet shard of --mb and of
   --big-mb MB of text (target: big within 1.2x of small). The WET files are not gzipped, so that the
   file is as large as its text; the Parquet shards have row groups of 1,000 rows, snappy-compressed.

Only timings and sizes are printed.
"""
from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import CLEANER, NO_LIMIT, peak_rss_mb, source_texts, timed  # noqa: E402


def pages_of(texts: list[bytes], megabytes: float):
    """(name, bytes) of the benchmark texts, repeated until they add up to `megabytes`."""
    total, number = 0, 0
    while total < megabytes * 1e6:
        for data in texts:
            yield f"{number:07}", data
            total += len(data)
            number += 1
            if total >= megabytes * 1e6:
                return


def write_wet(path: Path, pages) -> float:
    from fastwarc.stream_io import GzipWriter
    from fastwarc.warc import WarcRecord, WarcRecordType

    stream = GzipWriter(str(path), fsspec_args=False) if path.name.endswith(".gz") else open(path, "wb")
    total = 0
    for name, data in pages:
        record = WarcRecord()
        record.init_headers(WarcRecordType.conversion)
        record.headers["WARC-Target-URI"] = f"https://example.org/{name}"
        record.headers["WARC-Date"] = "2025-03-01T10:00:00Z"
        record.headers["Content-Type"] = "text/plain"
        record.set_bytes_content(data)
        record.write(stream)
        if path.name.endswith(".gz"):
            stream.finish()
        total += len(data)
    stream.close()
    return total / 1e6


def write_parquet(path: Path, pages, rows_per_group: int = 1000) -> float:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("url", pa.string())])
    total = 0
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        rows: list[tuple[str, str]] = []
        for name, data in pages:
            rows.append((name, data.decode("utf-8", "replace")))
            total += len(data)
            if len(rows) == rows_per_group:
                writer.write_table(_table(pa, schema, rows))
                rows = []
        if rows:
            writer.write_table(_table(pa, schema, rows))
    return total / 1e6


def _table(pa, schema, rows):
    return pa.table({"id": [n for n, _ in rows], "text": [t for _, t in rows],
                     "url": [f"https://example.org/{n}" for n, _ in rows]}, schema=schema)


def readers(work: Path, texts: list[bytes], megabytes: float) -> None:
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    path = work / "read.warc.wet.gz"
    size = write_wet(path, pages_of(texts, megabytes))
    print(f"readers: a gzipped WET file of {size:.1f} MB of text ({path.stat().st_size / 1e6:.1f} MB on disk)")

    def fastwarc_own():
        return sum(len(r.reader.read()) for r in ArchiveIterator(str(path), record_types=WarcRecordType.conversion,
                                                                 fsspec_args=False))

    def fastwarc_ours():
        with gzip.open(path, "rb") as stream:
            return sum(len(r.reader.read()) for r in ArchiveIterator(stream, record_types=WarcRecordType.conversion,
                                                                     fsspec_args=False))

    def warcio():
        with open(path, "rb") as stream:
            return sum(len(r.content_stream().read()) for r in WarcioIterator(stream) if r.rec_type == "conversion")

    for label, read in (("FastWARC, cleaner's gzip stream", fastwarc_ours), ("FastWARC, its own reader", fastwarc_own),
                        ("warcio", warcio)):
        started = time.perf_counter()
        read_bytes = read()
        seconds = time.perf_counter() - started
        print(f"  {label:<34} {seconds:6.2f} s  {read_bytes / 1e6 / seconds:7.1f} MB/s")
    path.unlink()


def cost(work: Path, texts: list[bytes], megabytes: float, repeats: int) -> None:
    folder = work / "as-txt"
    folder.mkdir()
    size = 0
    for name, data in pages_of(texts, megabytes):
        (folder / f"{name}.txt").write_bytes(data)
        size += len(data)
    size /= 1e6
    wet, shard = work / "as-wet" / "crawl.warc.wet.gz", work / "as-parquet" / "shard.parquet"
    wet.parent.mkdir()
    shard.parent.mkdir()
    write_wet(wet, pages_of(texts, megabytes))
    write_parquet(shard, pages_of(texts, megabytes))
    print(f"cost: cleaner clean --jobs 1 --timeout 0 on {size:.1f} MB of text ({repeats} runs each, alternating; median)")
    sources = {".txt files": folder, "WET (.warc.wet.gz)": wet, "Parquet": shard}
    runs: dict[str, list[float]] = {label: [] for label in sources}
    for repeat in range(repeats):
        for label, source in sources.items():
            out = work / f"out-{source.name}-{repeat}"
            runs[label].append(timed(CLEANER + ["clean", str(source), "--out", str(out), "--jobs", "1", *NO_LIMIT]))
            shutil.rmtree(out, ignore_errors=True)
    seconds = {label: statistics.median(values) for label, values in runs.items()}
    for label in sources:
        print(f"  {label:<20} {seconds[label]:7.2f} s  {seconds[label] / size:6.3f} s/MB"
              f"  ({seconds[label] / seconds['.txt files']:.2f}x the .txt files' cost; target <= 1.1)"
              f"  (runs: {', '.join(f'{t:.2f}' for t in runs[label])})")
    shutil.rmtree(folder)
    shutil.rmtree(wet.parent)
    shutil.rmtree(shard.parent)


def memory(work: Path, texts: list[bytes], small: float, big: float, formats: list[str]) -> None:
    print("memory: peak RSS of any process of `cleaner clean --jobs 1`")
    for label, suffix, write in (("WET", ".warc.wet", write_wet), ("Parquet", ".parquet", write_parquet)):
        if label.lower() not in formats:
            continue
        peaks = {}
        for megabytes in (small, big):
            folder = work / f"mem-{label}-{megabytes:g}"
            folder.mkdir()
            path = folder / f"input{suffix}"
            size = write(path, pages_of(texts, megabytes))
            started = time.perf_counter()
            peaks[megabytes] = peak_rss_mb(CLEANER + ["clean", str(path), "--out", str(work / "mem-out"), "--jobs", "1"])
            print(f"  {label:<8} {size:7.1f} MB of text, {path.stat().st_size / 1e6:7.1f} MB file: "
                  f"{peaks[megabytes]:6.1f} MB peak ({time.perf_counter() - started:.0f} s)")
            shutil.rmtree(folder)
            shutil.rmtree(work / "mem-out", ignore_errors=True)
        print(f"  {label}: {peaks[big] / peaks[small]:.2f}x (target <= 1.2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--big-mb", type=float, default=1000.0)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each format in part 2")
    parser.add_argument("--skip-readers", action="store_true")
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-formats", default="wet,parquet", help="the formats part 3 measures")
    args = parser.parse_args()
    texts = source_texts()
    work = Path(tempfile.mkdtemp(prefix="cleaner-formats-"))
    try:
        if not args.skip_readers:
            readers(work, texts, args.mb)
        if not args.skip_cost:
            cost(work, texts, args.mb, args.repeats)
        if not args.skip_memory:
            memory(work, texts, args.mb, args.big_mb, args.memory_formats.split(","))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
