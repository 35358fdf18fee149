"""Regexes for rules, compiled on RE2: linear time whatever the pattern, so no rule can hang a batch."""
from __future__ import annotations

import re2

from .native import engine

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr; we raise them as rule errors


def compile_regex(pattern: str, *, ignore_case: bool = True):
    """Compile with RE2. Raises ValueError with RE2's own message when RE2 cannot take the pattern.

    Note for rule authors: RE2's \\w, \\b and \\d are ASCII-only; use \\pL (any letter) or explicit
    character classes for accented and non-Latin text.
    """
    if not isinstance(pattern, str) or not pattern:
        raise ValueError("a pattern must be a non-empty string")
    source = f"(?i:{pattern})" if ignore_case else pattern
    try:
        compiled = re2.compile(source, options=_OPTIONS)
    except re2.error as exc:
        message = exc.args[0] if exc.args else str(exc)
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise ValueError(f"RE2 cannot compile {pattern!r}: {message}") from None
    try:
        # The Rust engine (issue 22) matches the same patterns: one it cannot take is refused here.
        engine.check_pattern(source)
    except ValueError as exc:
        raise ValueError(f"the Rust engine cannot compile {pattern!r}: {exc}") from None
    return compiled


def compile_alternation(patterns: list[str]):
    """One regex matching any of the patterns, each valid on its own: an error names the bad one.

    RE2 compiles the alternation once when the Rust engine's parser takes every pattern alone (so each
    is a whole, balanced expression, which RE2 judges inside the alternation as it would alone);
    otherwise, or when RE2 refuses the alternation, each pattern is compiled alone first, in order, and
    the first refused one is the error, as before. Compiling each pattern alone as well cost half of
    loading the rule pack."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    if all(isinstance(pattern, str) and pattern for pattern in patterns):
        try:
            for pattern in patterns:
                engine.check_pattern(pattern)
            return compile_regex(joined)
        except ValueError:
            pass  # the slow path below raises the error of the first bad pattern
    for pattern in patterns:
        compile_regex(pattern)
    return compile_regex(joined)
