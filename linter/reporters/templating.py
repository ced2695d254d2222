"""The jinja2 environment of the report formats; imported only by them (jinja2 is loaded lazily)."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2
from markupsafe import Markup

from linter.reporters.text import escape_char

# Control characters other than tab (ANSI escapes start with ESC; a line break in a name could forge a
# line of the page's text), bidirectional controls ("Trojan Source") and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(value):
    """Show such characters from the input as ``\\xNN`` / ``\\uNNNN`` text; markup built by the reporter passes."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub(escape_char, value)
    return value


@lru_cache(maxsize=4)
def environment(markdown: bool = False) -> jinja2.Environment:
    """HTML templates autoescape; markdown templates escape every expression for markdown instead."""
    if markdown:
        from linter.reporters.markdown import Raw, escape_markdown

        env = jinja2.Environment(
            loader=jinja2.PackageLoader("linter.reporters", "templates"),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            finalize=escape_markdown,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals["Raw"] = Raw
    else:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("linter.reporters", "templates"),
            autoescape=True,
            finalize=visible,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return env
