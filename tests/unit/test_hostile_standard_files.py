"""Hostile standard files: each is refused quickly, in bounded memory, with a message that says
where and why, and never with a RecursionError or any exception but StandardFileError."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from accredit.standards import StandardFileError, parse_standard
from accredit.standards.limits import MAX_BYTES, MAX_DEPTH, MAX_EVENTS
from accredit.standards.loader import clear_cache, load_standard, version_files

SHIPPED = version_files("standards")
MiB = 1024 * 1024


def _refusal(text: str | bytes, source: str = "hostile.yaml") -> tuple[str, float, int]:
    """The message, the seconds it took and the peak memory, from a fresh parse."""
    clear_cache()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(StandardFileError) as refused:
            parse_standard(text, source)
        return str(refused.value), time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _laughs(levels: int = 9) -> str:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels + 1):
        lines.append(f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_in_bounded_time_and_memory():
    message, seconds, peak = _refusal(_laughs())
    assert "hostile.yaml:1: anchors and aliases (&, *) are not supported" in message
    assert seconds < 2
    assert peak < 20 * MiB


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        "".join("  " * i + "-\n" for i in range(200)),
        "id: x\nlevels:\n" + "".join("  " * (i + 1) + "- a:\n" for i in range(150)),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_deep_nesting_is_refused_without_recursing(text):
    message, seconds, peak = _refusal(text)
    assert f"nested too deeply (more than {MAX_DEPTH} levels)" in message
    assert "hostile.yaml:" in message  # with the line where it went too deep
    assert seconds < 2
    assert peak < 50 * MiB


def test_a_huge_file_is_refused_before_it_is_read_as_yaml():
    message, seconds, _ = _refusal("id: x\ntitle: " + "a" * (MAX_BYTES + 1) + "\n")
    assert f"a standard may be at most {MAX_BYTES:,}" in message
    assert seconds < 2


def test_too_many_values_are_refused():
    text = "id: x\nlist: [" + ", ".join(["1"] * (MAX_EVENTS + 10)) + "]\n"
    assert len(text.encode()) < MAX_BYTES
    clear_cache()
    started = time.perf_counter()
    with pytest.raises(StandardFileError) as refused:
        parse_standard(text, "hostile.yaml")
    # The pure-Python parser takes well under a second here; the bound is loose for a busy CI box
    # and still catches a parser gone quadratic.
    assert time.perf_counter() - started < 30
    message = str(refused.value)
    assert f"too many values (more than {MAX_EVENTS:,})" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: weqs\ntitle: [unclosed\nversion: 1\n", "hostile.yaml:3: not valid YAML"),
        ("id: weqs\n  title: bad indent\n", "hostile.yaml:2: not valid YAML"),
        ("id: weqs\n\tversion: 1\n", "hostile.yaml:2: not valid YAML"),
        ("- a\n- b\n", "hostile.yaml:1: expected a mapping"),
        ("42\n", "hostile.yaml:1: expected a mapping"),
        ("null\n", "hostile.yaml:1: expected a mapping"),
        ("id: a\x00b\n", "hostile.yaml:1: not valid YAML: character #x0000 is not allowed"),
        (b"id: \xed\xa0\x80\n", "hostile.yaml:1: not UTF-8 text"),
        ("id: \ud800\n", "hostile.yaml:1: not valid YAML: character #xd800 is not allowed"),
    ],
    ids=[
        "unclosed",
        "indent",
        "tab",
        "list",
        "number",
        "null",
        "nul",
        "surrogate-bytes",
        "surrogate",
    ],
)
def test_malformed_files_name_the_line(text, expected):
    message, seconds, _ = _refusal(text)
    assert expected in message
    assert seconds < 2


@pytest.mark.parametrize("path", SHIPPED, ids=[p.parent.name for p in SHIPPED])
def test_the_shipped_standards_are_well_inside_the_limits(path):
    clear_cache()
    assert len(path.read_bytes()) * 5 < MAX_BYTES
    assert load_standard(path).id == path.parent.name
