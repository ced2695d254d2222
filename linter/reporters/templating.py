"""The jinja2 environment of the report formats; imported only by them (jinja2 is loaded lazily)."""

from __future__ import annotations

from functools import lru_cache

import jinja2


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
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return env
