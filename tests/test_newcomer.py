"""Issue 24, a newcomer's first hour: help that names values, not Python types; options every command
that reads JSONL or loads rules should have; colour on request; no silent success."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def _help(*command: str) -> str:
    result = runner.invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", [("clean",), ("learn",), ("explain",), ("rules", "list"), ("rules", "test"),
                                     ("rules", "lint")])
def test_help_shows_no_python_type_names(command):
    shown = _help(*command)
    for python in ("<list[", "<int range>", "<float range>", "<str>", "<path>", "<Path>", "{INPUT...}"):
        assert python not in shown, f"{' '.join(command)} --help shows {python}"


def test_clean_help_lists_choices_and_one_default_per_option():
    shown = _help("clean")
    assert "<auto|text|html|jsonl>" in shown and "<flag|keep>" in shown
    jobs = next(line for line in shown.splitlines() if line.lstrip().startswith("-j, --jobs"))
    assert jobs.count("[default:") == 1 and "all cores" in jobs


def test_top_level_help_does_not_cut_descriptions():
    shown = _help()
    for name in ("clean", "learn", "explain", "rules"):
        line = next(line for line in shown.splitlines() if line.strip().startswith(name + " "))
        assert not line.rstrip().endswith("..."), line


def test_choices_are_checked_before_work(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Hello.\n")
    bad = runner.invoke(app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "xml"])
    assert bad.exit_code == 2 and "'auto', 'text', 'html'" in bad.stderr
    assert not (tmp_path / "out").exists()


def test_format_with_file_inputs_is_refused_not_ignored(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text("<html><body><p>Hello.</p></body></html>\n")
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 2 and "applies to stdin only" in result.stderr
    assert not (tmp_path / "out").exists()


# --- --disable for rules test and rules lint -------------------------------------------------------

BROKEN = """\
rules:
  - id: broken-example
    description: a rule whose remove example it does not remove
    reason: test
    kind: phrase
    phrases: ["Share this"]
    examples:
      remove: ["Tweet this"]
      keep: ["A sentence."]
  - id: no-examples
    description: a rule that shows nothing it removes
    reason: test
    kind: phrase
    phrases: ["Tweet this"]
    examples:
      keep: ["A sentence."]
"""


def test_rules_test_and_lint_take_disable(tmp_path):
    rules = tmp_path / "mine.yaml"
    rules.write_text(BROKEN)
    base = ["--rules", str(rules), "--no-default-rules"]
    assert runner.invoke(app, ["rules", "test", *base]).exit_code == 1
    passed = runner.invoke(app, ["rules", "test", *base, "--disable", "broken-example"])
    assert passed.exit_code == 0 and "1 rules" in passed.stdout
    assert runner.invoke(app, ["rules", "lint", *base]).exit_code == 1
    linted = runner.invoke(app, ["rules", "lint", *base, "--disable", "no-examples"])
    assert linted.exit_code == 0 and "1 rules, 0 errors" in linted.stdout
    unknown = runner.invoke(app, ["rules", "lint", *base, "--disable", "no-such-rule"])
    assert unknown.exit_code == 2 and "no-such-rule" in unknown.stderr


# --- --text-field for explain and learn, --color for explain ----------------------------------------

def _crawl(tmp_path: Path) -> Path:
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps({"url": "https://example.com/a", "content": "A first sentence here.\nShare this\n"}) + "\n")
    return path


def test_explain_names_a_missing_text_field_instead_of_printing_nothing(tmp_path):
    crawl = _crawl(tmp_path)
    silent = runner.invoke(app, ["explain", str(crawl)])
    assert silent.exit_code == 1 and "--text-field" in silent.stderr and silent.stdout == ""
    shown = runner.invoke(app, ["explain", str(crawl), "--text-field", "content", "--color", "never"])
    assert shown.exit_code == 0 and "[-Share this-]{" in shown.stdout


def test_explain_colour_on_request_when_piped(tmp_path):
    crawl = _crawl(tmp_path)
    args = ["explain", str(crawl), "--text-field", "content"]
    assert "\x1b[" not in runner.invoke(app, args).stdout  # CliRunner's stdout is no terminal
    assert "\x1b[9m" in runner.invoke(app, [*args, "--color", "always"]).stdout
    assert "\x1b[" not in runner.invoke(app, [*args, "--color", "always", "--no-color"]).stdout


def test_learn_reads_the_named_text_field(tmp_path):
    crawl = tmp_path / "example.com.jsonl"
    footer = "Copyright Example Media, all rights reserved"
    with crawl.open("w") as f:
        for n in range(8):
            body = f"Story number {n} tells of a day at the harbour, with its boats and its people.\n{footer}\n"
            f.write(json.dumps({"url": f"https://example.com/{n}", "content": body}) + "\n")
    out = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", str(crawl), "--out", str(out), "--text-field", "content"])
    assert result.exit_code == 0, result.output
    assert "8 documents" in result.stderr and "Copyright Example Media" in out.read_text()


# --- rules lint's prose check travels with the package ----------------------------------------------

def test_lint_checks_prose_after_a_plain_install(tmp_path):
    """The wheel `pip install .` installs carries the clean-prose corpus: run from it, away from the
    checkout, lint still checks rules on prose, so a rule that eats prose fails it."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("cleaner-*.whl"))
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        assert "cleaner/prose/en_sentences.txt" in archive.namelist()
        archive.extractall(installed)
    greedy = tmp_path / "greedy.yaml"
    greedy.write_text("""\
rules:
  - id: greedy
    description: eats every line that mentions saying
    reason: test
    kind: line
    patterns: ['.*said.*']
    examples:
      remove: ["he said so"]
      keep: ["A sentence."]
""")
    env = {**os.environ, "PYTHONPATH": str(installed)}
    done = subprocess.run([sys.executable, "-m", "cleaner", "rules", "lint", "--rules", str(greedy)],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "no clean-prose corpus" not in done.stderr
    assert done.returncode == 1 and "greedy" in done.stderr and "removes clean prose" in done.stderr


def test_a_rerun_says_how_many_documents_were_up_to_date(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"Article {i} has a sentence of its own.\nShare on Facebook\n", encoding="utf-8")
    out = tmp_path / "out"
    first = runner.invoke(app, ["clean", str(folder), "--out", str(out), "-j", "1"])
    assert first.exit_code == 0, first.output
    assert "up to date" not in first.output
    (folder / "new.txt").write_text("A fourth article, new since the last run.\n", encoding="utf-8")
    again = runner.invoke(app, ["clean", str(folder), "--out", str(out), "-j", "1"])
    assert again.exit_code == 0, again.output
    assert "4 documents: 3 cleaned, 1 unchanged (3 up to date from the last run, not cleaned again" in again.output
    forced = runner.invoke(app, ["clean", str(folder), "--out", str(out), "-j", "1", "--force"])
    assert "up to date" not in forced.output


@pytest.mark.parametrize("data", [b"First line.\r\nSecond line.\r\n", b"No final newline.", b"Two trailing.\n\n\n",
                                  b"Trailing spaces.   \n\tTabbed line.\n"])
def test_an_unchanged_document_is_written_byte_for_byte(tmp_path, data):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_bytes(data)
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    record = json.loads((out / "report.jsonl").read_text(encoding="utf-8"))
    assert record["status"] == "unchanged"
    assert (out / "page.txt").read_bytes() == data


def _folder_with_a_locked_subfolder(tmp_path):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "open.txt").write_text("An article sentence that stays.\n", encoding="utf-8")
    (folder / "locked" / "inside.txt").write_text("Never read.\n", encoding="utf-8")
    return folder


def _assert_locked_folder_reported(result, out, locked):
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    skipped = [r for r in records if r["status"] == "skipped"]
    assert [r["source"] for r in skipped] == [str(locked)]
    assert "cannot read this folder" in skipped[0]["error"]
    assert [r["status"] for r in records if r["source"].endswith("open.txt")] == ["unchanged"]


def test_a_folder_the_walk_cannot_read_is_reported_not_skipped_in_silence(tmp_path, monkeypatch):
    """The OS refusing to list one subfolder, as it does for a folder of another user's without x/r."""
    folder = _folder_with_a_locked_subfolder(tmp_path)
    locked = folder / "locked"
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "-j", "1"])
    _assert_locked_folder_reported(result, out, locked)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod-000 folder")
def test_a_chmod_000_subfolder_is_reported(tmp_path):
    folder = _folder_with_a_locked_subfolder(tmp_path)
    (folder / "locked").chmod(0)
    try:
        out = tmp_path / "out"
        result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "-j", "1"])
        _assert_locked_folder_reported(result, out, folder / "locked")
    finally:
        (folder / "locked").chmod(0o755)


def test_the_summary_counts_selector_rules_characters_and_says_what_hash_means(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "widgets.html").write_bytes((ROOT / "fixtures" / "html" / "widgets.html").read_bytes())
    result = runner.invoke(app, ["clean", str(folder), "--out", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "most frequent removal with digits as #" in result.output
    share = next(line for line in result.output.splitlines() if line.lstrip().startswith("share-bar-node"))
    removals, documents, characters = share.split()[1:4]
    assert characters.endswith("*") and int(characters.rstrip("*").replace(",", "")) > 0
    assert "* with the text of HTML elements that never reached the extracted text" in result.output


def _stderr_on_a_terminal(args: list[str]) -> str:
    """What `cleaner` writes to stderr when stderr is a terminal (a pseudo-terminal here)."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "cleaner", *args], stdout=subprocess.DEVNULL, stderr=slave,
                              cwd=ROOT, timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed and everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_shows_the_total_and_the_time_left(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"{i:02}.txt").write_text(f"Article {i} has a sentence of its own.\nShare on Facebook\n", encoding="utf-8")
    shown = _stderr_on_a_terminal(["clean", str(folder), "--out", str(tmp_path / "out"), "-j", "1"])
    assert "of 12 documents (" in shown and " left" in shown
    assert "12 documents: 12 cleaned" in shown


def test_progress_counts_up_without_a_total_for_jsonl(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "crawl.jsonl").write_text("".join(json.dumps({"text": f"Record {i} text.\n"}) + "\n" for i in range(5)),
                                        encoding="utf-8")
    shown = _stderr_on_a_terminal(["clean", str(folder), "--out", str(tmp_path / "out"), "-j", "1"])
    assert "documents, " in shown and " of " not in shown.split("5 documents:")[0] and " left" not in shown


def test_counting_the_inputs_first_gives_up_past_its_budget(tmp_path):
    from cleaner.progress import count_documents

    assert count_documents(iter(range(1000)), budget=60) == 1000
    assert count_documents(iter(range(1000)), budget=-1) is None


def test_a_teaser_list_leaves_other_families_lines_to_their_own_rules():
    """A run of lines found from one marker (here "Related posts") does not report the tags, the
    comment count or the newsletter prompt inside it as teasers: each is its own rule's removal, with a
    reason true of it. The output is the same."""
    import cleaner

    text = "\n\n".join([
        "Harbour wall to be rebuilt",
        "The council voted on Tuesday to rebuild the harbour wall, which was damaged in the storms last winter and has been closed since.",
        "Work will start in the spring and should take about a year, the harbour master said after the vote on Tuesday evening.",
        "Engineers will use stone from the old quarry, which reopened last month after a long dispute over access roads.",
        "Related posts", "Ferry timetable changes for the summer", "Tags: harbour, council", "12 comments",
        "Lighthouse keeper retires after forty years", "Sign up for our newsletter", "Seal pups spotted on the north beach",
    ]) + "\n"
    result = cleaner.clean(text)
    by_rule = {}
    for removal in result.removals:
        by_rule.setdefault(removal.rule, []).append(removal.text)
    teasers = " ".join(by_rule["related-teaser-list"])
    for other in ("Tags: harbour, council", "12 comments", "Sign up for our newsletter"):
        assert other not in teasers
    assert by_rule["comment-count"] == ["12 comments"] and by_rule["newsletter-signup"] == ["Sign up for our newsletter"]
    assert "Seal pups" in teasers and "Lighthouse keeper" in teasers
    assert result.text.rstrip().endswith("dispute over access roads.")
    # The pieces of the run beyond another family's removal say that they are in the run past it.
    reasons = {removal.text: removal.reason for removal in result.removals if removal.rule == "related-teaser-list"}
    assert reasons["Related posts\n\nFerry timetable changes for the summer"] == "list of teasers for other articles"
    assert reasons["Lighthouse keeper retires after forty years"] == (
        "run on from list of teasers for other articles, past a comment-count removal")
    assert reasons["Seal pups spotted on the north beach"] == (
        "run on from list of teasers for other articles, past a newsletter-signup removal")


def test_ctrl_c_says_how_far_the_run_got_and_how_to_resume(tmp_path):
    import signal
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    # Enough distinct text that the run lasts well past the first 50 outputs (8 s in all on 2 cores).
    for i in range(4000):
        body = "".join(f"Sentence {j} of article {i} goes on for a while, as articles do, to give the workers work.\n"
                       for j in range(80))
        (folder / f"{i:05}.txt").write_text(f"Article {i}\n\n{body}Share on Facebook\n", encoding="utf-8")
    out = tmp_path / "out"
    # SIGINT back to its default in the child: a shell without job control starts background commands
    # (a CI runner's, `cmd &` in a script) with SIGINT ignored, and Python then never raises KeyboardInterrupt.
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(folder), "--out", str(out), "-j", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 50:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    text = stderr.decode("utf-8", "replace")
    assert proc.returncode == 130, text
    assert "interrupted:" in text and "documents done" in text and "rerun" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text


@pytest.mark.parametrize("command", [(), ("clean",), ("learn",), ("explain",), ("rules",), ("rules", "list"),
                                     ("rules", "test"), ("rules", "lint")])
def test_help_fits_an_80_column_terminal_with_an_example_and_whole_descriptions(command):
    result = runner.invoke(app, [*command, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line for line in lines if len(line) > 80] == []
    commands = lines[lines.index("Commands:") + 1:] if "Commands:" in lines else []
    assert not [line for line in commands if line.rstrip().endswith("...")]  # click's mark of a cut description
    if command not in ((), ("rules",)):
        assert any(line.strip().startswith("Example") for line in lines)
