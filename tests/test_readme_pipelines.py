"""Every snippet of the README's Pipelines section, run as written (less `pip install` lines) in a folder
holding the inputs it names."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from test_formats import HTML_PAGES, TEXT_PAGES, http_response, url_of, write_warc

BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def pipeline_snippets() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Pipelines\n", 1)[1].split("\n## ", 1)[0]
    return BLOCK.findall(section)


def test_the_section_has_a_snippet_for_each_pipeline():
    code = "\n".join(body for _, body in pipeline_snippets())
    for needed in (".warc.wet.gz", "warc/", "shards/", "CleanText()", "clean_batch"):
        assert needed in code, needed


@pytest.fixture()
def inputs(tmp_path) -> Path:
    write_warc(tmp_path / "CC-MAIN-00000.warc.wet.gz",
               [("conversion", url_of(page), page.read_bytes(), {}) for page in TEXT_PAGES[:4]])
    (tmp_path / "warc").mkdir()
    write_warc(tmp_path / "warc" / "pages.warc.gz",
               [("response", url_of(page), http_response(page.read_bytes()), {"Content-Type": "application/http; msgtype=response"})
                for page in HTML_PAGES[:2]])
    (tmp_path / "shards").mkdir()
    pq.write_table(pa.table({"content": [page.read_text(encoding="utf-8") for page in TEXT_PAGES[:4]]}),
                   tmp_path / "shards" / "part-0.parquet")
    (tmp_path / "crawl").mkdir()
    rows = [{"id": page.stem, "text": page.read_text(encoding="utf-8"), "url": url_of(page)} for page in TEXT_PAGES[:4]]
    (tmp_path / "crawl" / "part-0.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return tmp_path


def _run(command: list[str], folder: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "HF_HOME": str(folder / "hf-home"), "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


def test_every_pipeline_snippet_runs_and_writes_its_outputs(inputs):
    for language, body in pipeline_snippets():
        if language == "sh":
            commands = "\n".join(line for line in body.splitlines() if not line.startswith("pip install"))
            _run(["bash", "-euc", commands], inputs)
        else:
            _run([sys.executable, "-c", body], inputs)
    wet = [json.loads(line) for line in (inputs / "clean" / "CC-MAIN-00000.warc.wet.jsonl").open(encoding="utf-8")]
    assert [row["url"] for row in wet] == [url_of(page) for page in TEXT_PAGES[:4]]
    pages = (inputs / "clean-pages" / "pages.warc.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(pages) == 2
    assert pq.read_table(inputs / "clean-shards" / "part-0.parquet").num_rows == 4
    (written,) = (inputs / "datatrove-out").glob("*.jsonl.gz")
    assert [json.loads(line)["id"] for line in gzip.open(written, "rt")] == [page.stem for page in TEXT_PAGES[:4]]
    hf = [json.loads(line) for line in (inputs / "hf-clean.jsonl").open(encoding="utf-8")]
    assert [row["id"] for row in hf] == [page.stem for page in TEXT_PAGES[:4]] and "cleaner_removals" in hf[0]
