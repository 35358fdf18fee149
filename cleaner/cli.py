"""The command line: parse, call the library, print. No cleaning logic lives here."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .batch import Options, plan, run
from .decode import DecodeError, decode_bytes
from .engine import clean
from .errors import CleanerError
from .examples import check_ruleset
from .html import extract_text
from .report import ReportWriter, Summary
from .ruleset import load_rules

app = typer.Typer(
    help="Strip boilerplate from scraped article text, with a report of every removal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="Inspect and check rule files.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

RulesOption = typer.Option(None, "--rules", help="A rule file or folder (repeatable), added to the shipped pack.")
NoDefaultsOption = typer.Option(False, "--no-default-rules", help="Use only the --rules files, not the shipped pack.")


def fail(message: str) -> None:
    """One `Error:` line on stderr and exit 2: for usage errors and bad rule files."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


def _load(rules: Optional[List[Path]], no_default_rules: bool):
    try:
        return load_rules(rules or [], defaults=not no_default_rules)
    except CleanerError as exc:
        fail(str(exc))


@app.command("clean")
def clean_command(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help="Folders, files, or - for stdin."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (report.jsonl goes there too)."),
    rules: Optional[List[Path]] = RulesOption,
    no_default_rules: bool = NoDefaultsOption,
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="Worker processes [default: all cores]."),
    report: Optional[Path] = typer.Option(None, "--report", help="Report file [default: OUT/report.jsonl]; - for stderr."),
    input_format: str = typer.Option("text", "--format", help="With stdin: text or html."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write the report only, no cleaned files."),
) -> None:
    """Clean files and folders of scraped pages.

    \b
    Examples:
      cleaner clean scraped/ --out clean/
      cleaner clean pages/ extra.txt --out clean/ --rules my-rules/ --jobs 4
      cat page.txt | cleaner clean - > page.clean.txt
      cleaner clean - --format html --report - < page.html
    """
    ruleset = _load(rules, no_default_rules)
    if inputs == ["-"]:
        _clean_stdin(ruleset, report, input_format)
        return
    if "-" in inputs:
        fail("'-' (stdin) cannot be mixed with file inputs")
    if out is None:
        fail("--out DIR is required (or give - to read stdin and write stdout)")
    paths = [Path(i) for i in inputs]
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        if path.is_dir() and path.resolve() == out.resolve():
            fail(f"--out {out} is the input folder itself: outputs would overwrite inputs")
    options = Options(rule_paths=tuple(str(r) for r in rules or []), defaults=not no_default_rules, dry_run=dry_run)
    report_path = report or out / "report.jsonl"
    summary = Summary()
    show_progress = sys.stderr.isatty()
    with ReportWriter(report_path) as writer:
        for record in run(plan(paths, out), options, jobs=jobs):
            writer.write(record)
            summary.add(record)
            if show_progress and summary.documents % 25 == 0:
                typer.echo(f"\r{summary.documents} documents ...", err=True, nl=False)
    if show_progress:
        typer.echo("\r", err=True, nl=False)
    typer.echo(summary.render(), err=True)
    typer.echo(f"report: {report_path}", err=True)
    raise typer.Exit(0 if summary.ok else 1)


def _clean_stdin(ruleset, report: Optional[Path], input_format: str) -> None:
    if input_format not in ("text", "html"):
        fail("--format must be text or html")
    try:
        text = decode_bytes(sys.stdin.buffer.read(), is_html=input_format == "html")
    except DecodeError as exc:
        fail(f"stdin: {exc}")
    if input_format == "html":
        text = extract_text(text)
    result = clean(text, rules=ruleset)
    sys.stdout.write(result.text)
    if report is not None:
        import json

        record = {
            "source": "-",
            "output": "-",
            "status": result.status,
            "chars_in": result.chars_in,
            "chars_out": result.chars_out,
            "rules_hash": ruleset.hash,
            "removals": [r.to_dict() for r in result.removals],
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        if str(report) == "-":
            sys.stderr.write(line)
        else:
            report.write_text(line, encoding="utf-8")


@rules_app.command("list")
def rules_list(rules: Optional[List[Path]] = RulesOption, no_default_rules: bool = NoDefaultsOption) -> None:
    """List the rules: id, kind, file, description.

    \b
    Example:
      cleaner rules list --rules my-rules/
    """
    for rule in _load(rules, no_default_rules):
        meta = rule.meta
        typer.echo(f"{meta.id:<34} {meta.kind:<10} {meta.file:<34} {meta.description}")


@rules_app.command("test")
def rules_test(rules: Optional[List[Path]] = RulesOption, no_default_rules: bool = NoDefaultsOption) -> None:
    """Run every rule's examples; exit 1 naming each rule whose example fails.

    \b
    Example:
      cleaner rules test --rules my-rules/ --no-default-rules
    """
    ruleset = _load(rules, no_default_rules)
    failures = check_ruleset(ruleset)
    for failure in failures:
        typer.echo(f"FAIL {failure}", err=True)
    examples = sum(len(r.meta.examples_remove) + len(r.meta.examples_keep) for r in ruleset)
    typer.echo(f"{len(ruleset)} rules, {examples} examples, {len(failures)} failed")
    raise typer.Exit(1 if failures else 0)


@app.callback(invoke_without_command=True)
def _version(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit(0)


def main() -> None:
    app(prog_name="cleaner")
