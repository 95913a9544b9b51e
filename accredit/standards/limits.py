"""Bounds on a standard file's size and shape, checked before any node is built.

(Anchors and aliases, the "billion laughs", are refused by the loader's composer, which never
expands them and names the line of each.)

PyYAML composes nodes recursively, so a document nested ten thousand deep would otherwise be
caught only by a RecursionError (slow to unwind, and it can hit the interpreter's own frames
first); a few megabytes of scalars take minutes in the pure-Python scanner. The event stream is
read iteratively and stopped at the first excess, so refusing a hostile file costs
milliseconds. The real standards are about 70 kB, 10 levels deep and 5,000 events: the limits
leave room for ten times that.
"""

from __future__ import annotations

import yaml
from yaml.events import CollectionEndEvent, CollectionStartEvent

from accredit.standards.nodes import Reader

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_EVENTS = 50_000


def within_limits(text: str, reader: Reader) -> bool:
    """False, with the problem recorded, when ``text`` is too big, deep or aliased to build."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        reader.error(None, "", f"file is {size:,} bytes; a standard may be at most {MAX_BYTES:,}")
        return False
    line = _bracket_excess(text)
    if line is not None:
        reader.error(line, "", f"nested too deeply (more than {MAX_DEPTH} levels)")
        return False
    depth = 0
    try:
        for count, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), 1):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    reader.error(line, "", f"nested too deeply (more than {MAX_DEPTH} levels)")
                    return False
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if count > MAX_EVENTS:
                reader.error(line, "", f"too many values (more than {MAX_EVENTS:,})")
                return False
    except yaml.YAMLError:
        return True  # not YAML at all: composing it reports where, with the parser's words
    return True


def _bracket_excess(text: str) -> int | None:
    """The line where ``[`` and ``{`` nest far past MAX_DEPTH, ignoring quoting, or None.

    PyYAML's scanner looks at every open flow bracket again for each new one, so ten thousand
    of them cost seconds before the parser yields its first event. Counting brackets as plain
    characters is cruder than YAML but linear; the margin keeps prose with a stray unclosed
    bracket or two (inside quotes) well clear of it.
    """
    depth = 0
    line = 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > 4 * MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "\n":
            line += 1
    return None
