"""Hostile form posts: the fields a page offers, values nobody should send, and a body that
carries them exactly as a careless or malicious client would (NUL, lone surrogates as the
invalid UTF-8 bytes a browser cannot produce but a script can, 100 kB values, repeats)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote_from_bytes, urljoin, urlsplit

from bs4 import BeautifulSoup
from hypothesis import strategies as st
from sqlalchemy import String, cast, func, literal, null, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.sql.selectable import CompoundSelect

from accredit.data.base import Base


@dataclass(frozen=True)
class Field:
    name: str
    #: What the page itself would send (its value, checked option or selected choice).
    default: str
    #: The choices a radio, checkbox or select offers; empty for free text.
    options: tuple[str, ...]
    #: Whether a person types into it (a text box or text area, not a hidden field).
    typed: bool = False


def form_fields(html: str, page_url: str, action_url: str) -> list[Field] | None:
    """The fields of the form on the page that posts to ``action_url``; None if there is none."""
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form"):
        if str(form.get("method", "get")).lower() != "post":
            continue
        target = urlsplit(urljoin(page_url, str(form.get("action") or page_url))).path
        if target == urlsplit(action_url).path:
            return _fields(form)
    return None


def _fields(form: BeautifulSoup) -> list[Field]:
    defaults: dict[str, str] = {}
    options: dict[str, list[str]] = {}
    typed: set[str] = set()
    for tag in form.find_all(["input", "select", "textarea"]):
        name = tag.get("name")
        if not name or name == "csrf_token" or tag.get("type") in ("submit", "file"):
            continue
        name = str(name)
        if tag.name == "select":
            values = [str(o.get("value", o.get_text())) for o in tag.find_all("option")]
            options.setdefault(name, []).extend(values)
            chosen = tag.find("option", selected=True)
            defaults.setdefault(name, str(chosen.get("value", "")) if chosen else values[0])
        elif tag.get("type") in ("radio", "checkbox"):
            options.setdefault(name, []).append(str(tag.get("value", "on")))
            if tag.has_attr("checked") or name not in defaults:
                defaults[name] = str(tag.get("value", "on"))
        elif tag.name == "textarea":
            defaults.setdefault(name, tag.get_text() or "Some text")
            typed.add(name)
        else:
            defaults.setdefault(name, str(tag.get("value") or _plausible(name)))
            if tag.get("type") != "hidden":
                typed.add(name)
    return [
        Field(name, defaults[name], tuple(options.get(name, ())), name in typed)
        for name in defaults
    ]


def _plausible(name: str) -> str:
    """A value a person might type into an empty field, so one hostile value gets deep."""
    if name.endswith("day"):
        return "1"
    if name.endswith("month"):
        return "6"
    if name.endswith("year"):
        return "2026"
    if "email" in name:
        return "someone@example.nhs.uk"
    return "Some text"


#: Values chosen by hand: each has broken some web app somewhere.
NASTY = (
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "😀" * 30,
    "\u202egnp.exe",
    "e\u0301\u0301\u0301",
    "",
    "   ",
    "\r\n\t",
    "-1",
    "0",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "2026-02-30",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "../../etc/passwd",
    "'; DROP TABLE users; --",
    "x" * 256,
    "x" * 100_000,
)

_numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
)
_any_text = st.text(max_size=40)
_with_nul = st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=8), st.text(max_size=8))
_with_surrogate = st.builds(
    lambda a, s: a + s,
    st.text(max_size=8),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
)
HOSTILE = st.one_of(st.sampled_from(NASTY), _any_text, _numbers, _with_nul, _with_surrogate)


def _valid(field: Field) -> st.SearchStrategy[str]:
    if field.options:
        return st.sampled_from((field.default, *field.options))
    return st.just(field.default)


def _one_field(field: Field) -> st.SearchStrategy[list[str]]:
    """Missing, once or repeated: the values one field gets in a post."""
    return st.one_of(
        st.just([]),
        HOSTILE.map(lambda v: [v]),
        st.lists(st.one_of(HOSTILE, _valid(field)), min_size=2, max_size=3),
    )


def posts(fields: list[Field]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Form bodies as (name, value) pairs: mostly the page's own values with one field made
    hostile (so the hostile value gets past the other fields' checks), sometimes all of them."""

    def one_hostile(target: int) -> st.SearchStrategy[list[tuple[str, str]]]:
        parts = [
            _one_field(f) if i == target else _valid(f).map(lambda v: [v])
            for i, f in enumerate(fields)
        ]
        return st.tuples(*parts).map(lambda values: _pairs(fields, values))

    all_hostile = st.tuples(*(_one_field(f) for f in fields)).map(
        lambda values: _pairs(fields, values)
    )
    extra = st.tuples(_any_text, HOSTILE).map(lambda pair: [pair])  # a field nobody asked for
    if not fields:
        return st.one_of(st.just([]), extra)
    targeted = st.integers(min_value=0, max_value=len(fields) - 1).flatmap(one_hostile)
    return st.one_of(targeted, targeted, all_hostile, extra)


def overflows(fields: list[Field]) -> list[list[tuple[str, str]]]:
    """Explicit examples, every run: each field in turn too long for a String(255) column and
    too big for a 64-bit integer, the other fields as the page has them. Random examples reach
    these only sometimes, and on PostgreSQL each would be a DataError (a 500) if unchecked."""
    bodies = []
    for target in fields:
        for value in ("x" * 300, "9" * 25):
            bodies.append([(f.name, value if f is target else f.default) for f in fields])
    return bodies


def _pairs(fields: list[Field], values: tuple[list[str], ...]) -> list[tuple[str, str]]:
    return [(f.name, v) for f, vs in zip(fields, values, strict=True) for v in vs]


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    """An application/x-www-form-urlencoded body; surrogates go as the bytes a
    ``surrogatepass`` encoder writes (invalid UTF-8 that a server must cope with)."""

    def quote(text: str) -> str:
        return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode("ascii")


def fingerprint(engine: Engine, skip: frozenset[str] = frozenset()) -> dict[str, tuple]:
    """Row count and latest ``updated_at`` of every table: cheap, and changes on any save.
    One statement for all the tables, made once (the hostile-form sweeps take a fingerprint
    around each of some 2,000 posts)."""
    with engine.connect() as connection:
        rows = connection.execute(_counts(skip)).all()
    return {name: (n, latest) for name, n, latest in rows}


@cache
def _counts(skip: frozenset[str]) -> CompoundSelect:
    return union_all(
        *(
            select(
                literal(table.name).label("name"),
                func.count().label("n"),
                cast(func.max(table.c.updated_at), String).label("latest")
                if "updated_at" in table.c
                else null().label("latest"),
            ).select_from(table)
            for table in Base.metadata.sorted_tables
            if table.name not in skip
        )
    )
