"""What every test's new app compiles, compiled once per test process: URL builders, templates.

**URL rules.** Every integration test makes its own app, and werkzeug compiles two URL-builder
functions for each of the app's ~110 rules from a syntax tree: 34 ms of each test's set-up,
about 75 s of a whole run. The function werkzeug generates depends only on the rule's text, its
parts, the names of its defaults and whether unknown arguments are appended; it reads the rule's
converters through ``self`` when called. So one built for an identical rule of an earlier app is
the same function, and is reused here. A rule whose default fills one of its own parts (werkzeug
then bakes the converted default into the code) is always built afresh. Parsing a converter's
arguments (``<int(min=1):id>``), a pure function of its text, is likewise remembered.

**Templates.** Each app has its own Jinja environment, which compiles each template it renders
(about 1.5 ms each). A bytecode cache shared by the process's apps keeps the compiled code;
Jinja checks it against the template's source, so an edited template is compiled again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule, rules

_built: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}
_original = Rule._compile_builder


def _compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    defaults = self.defaults or {}
    trace = tuple(self._trace)
    if any(dynamic and part in defaults for dynamic, part in trace):
        return _original(self, append_unknown)
    key = (self.rule, append_unknown, trace, tuple(str(k) for k in defaults))
    builder = _built.get(key)
    if builder is None:
        builder = _built[key] = _original(self, append_unknown)
    return builder


class _Templates(BytecodeCache):
    """Compiled templates held in memory for the life of the test process."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def install() -> None:
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
    if not hasattr(rules.parse_converter_args, "cache_info"):
        rules.parse_converter_args = cache(rules.parse_converter_args)
    if "bytecode_cache" not in Flask.jinja_options:
        Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _Templates()}
