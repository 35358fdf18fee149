"""--scheduler: the batch on a real Dask LocalCluster gives the same bytes as a local run."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

distributed = pytest.importorskip("distributed")

ARTICLE = (
    "Town council backs plan for new cycle lanes\n\nShare on Facebook\n\n"
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre.\n\n"
    "Read more\n"
)


def make_inputs(folder):
    for number in range(25):
        sub = folder / f"site{number % 2}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"p{number:02}.txt").write_text(ARTICLE.replace("Tuesday", f"day {number}"), encoding="utf-8")
    (folder / "records.jsonl").write_text(
        "".join(json.dumps({"id": n, "text": ARTICLE}) + "\n" for n in range(5)), encoding="utf-8"
    )
    (folder / "image.png").write_bytes(b"\x89PNG")


def tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "report.jsonl"}


def report(folder):
    rows = [json.loads(line) for line in (folder / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["output"] = row["output"] and row["output"].replace(str(folder), "OUT")
    return rows


def test_dask_output_is_identical_to_a_local_run(tmp_path):
    make_inputs(tmp_path / "in")
    runner = CliRunner()
    local = runner.invoke(app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "local"), "-j", "1"])
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        remote = runner.invoke(
            app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]
        )
    assert remote.exit_code == 0, remote.output
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")
    assert len(tree(tmp_path / "local")) == 26
    assert report(tmp_path / "dask") == report(tmp_path / "local")


def test_an_unreachable_scheduler_is_one_error_line(tmp_path):
    make_inputs(tmp_path / "in")
    result = CliRunner().invoke(
        app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: --scheduler tcp://127.0.0.1:1")
    assert "Traceback" not in result.output
