"""Load standard version files: `parse_standard`, `load_standard`, `discover`.
Every failure, from a binary file to a typo in one option, comes back as a `StandardFileError`
holding the full list of `Problem`s with line numbers; nothing else escapes. Parsed standards are
cached by content hash, so the app can call `discover()` per request without re-reading YAML.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node, ScalarNode

from accredit.domain.scoring.standard import Standard
from accredit.standards.limits import within_limits
from accredit.standards.nodes import NULL, Problem, Reader
from accredit.standards.validation import build_standard

__all__ = [
    "Problem",
    "StandardFileError",
    "content_hash",
    "discover",
    "load_standard",
    "parse_standard",
    "version_files",
]

#: The scenarios file beside a version file (`2026.1.yaml` -> `2026.1.scenarios.yaml`) is not a
#: version: everything that looks for versions goes through `version_files`.
SCENARIOS_SUFFIX = ".scenarios.yaml"

_CACHE: OrderedDict[tuple[str, str], Standard] = OrderedDict()
_CACHE_SIZE = 64


class StandardFileError(Exception):
    """A standard file is invalid; `problems` lists everything wrong with it (never empty)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''}"
        super().__init__(summary + ":\n" + "\n".join(str(p) for p in self.problems))


def canonical_text(text: str) -> str:
    """The text the content hash covers: no byte-order mark, LF line endings."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    return hashlib.sha256(canonical_text(text).encode("utf-8", "surrogatepass")).hexdigest()


class _Composer(yaml.SafeLoader):
    """Composes nodes only, and refuses anchors and aliases rather than expanding them.
    Aliases let a small file describe an exponentially large tree ("billion laughs"); a standard has
    no use for them.
    """

    def __init__(self, stream: str, reader: Reader) -> None:
        super().__init__(stream)
        self._problems = reader

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.get_event()
            self._problems.error(
                event.start_mark.line + 1, "", "anchors and aliases (&, *) are not supported"
            )
            return ScalarNode(NULL, "", event.start_mark, event.end_mark)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._problems.error(
                event.start_mark.line + 1, "", "anchors and aliases (&, *) are not supported"
            )
        return super().compose_node(parent, index)


def _compose(text: str, reader: Reader) -> Node | None:
    composer = None
    try:
        composer = _Composer(text, reader)
        return composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        reader.error(line, "", f"not valid YAML: {message or exc}")
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        reader.error(line, "", f"not valid YAML: character #x{exc.character:04x} is not allowed")
    except yaml.YAMLError as exc:
        reader.error(None, "", f"not valid YAML: {exc}")
    except RecursionError:
        reader.error(None, "", "not valid YAML: nested too deeply")
    finally:
        if composer is not None:
            composer.dispose()
    return None


def parse_standard(text: str | bytes, source: str = "<string>") -> Standard:
    """Parse and validate one standard version; raise `StandardFileError` listing every problem."""
    if isinstance(text, bytes):
        data = text
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise StandardFileError(
                [Problem(source, line, "", "not UTF-8 text (is this a binary file?)")]
            ) from None
    digest = content_hash(text)
    cached = _CACHE.get((digest, source))
    if cached is not None:
        _CACHE.move_to_end((digest, source))
        return cached
    reader = Reader(source)
    text = canonical_text(text)
    root = _compose(text, reader) if within_limits(text, reader) else None
    standard = None
    if root is None and not reader.problems:
        reader.error(1, "", "file is empty")
    elif root is not None:
        try:
            standard = build_standard(reader, root, digest)
        except RecursionError:
            reader.error(None, "", "nested too deeply")
    if reader.problems or standard is None:
        if not reader.problems:  # pragma: no cover - build_standard always says why
            reader.error(None, "", "could not be read")
        raise StandardFileError(sorted(reader.problems, key=_by_line))
    _CACHE[(digest, source)] = standard
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return standard


def _by_line(problem: Problem) -> float:
    return problem.line if problem.line is not None else float("inf")


def load_standard(path: str | Path, *, check_location: bool = True) -> Standard:
    """Load `standards/<id>/<version>.yaml`; `check_location`: id and version match the path."""
    path = Path(path)
    source = str(path)
    if path.name.endswith(SCENARIOS_SUFFIX):
        raise StandardFileError(
            [Problem(source, None, "", "this is a scenarios file, not a standard version")]
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StandardFileError(
            [Problem(source, None, "", f"cannot be read: {exc.strerror or exc}")]
        ) from None
    standard = parse_standard(data, source)
    if check_location:
        problems = []
        if path.parent.name != standard.id:
            problems.append(
                Problem(
                    source,
                    None,
                    "id",
                    f"'{standard.id}' must match the folder name '{path.parent.name}'",
                )
            )
        if path.stem != standard.version:
            problems.append(
                Problem(
                    source,
                    None,
                    "version",
                    f"'{standard.version}' must match the file name '{path.stem}'",
                )
            )
        if problems:
            raise StandardFileError(problems)
    return standard


def discover(root: str | Path = "standards") -> list[Standard]:
    """Every `<root>/<slug>/<version>.yaml`, sorted by id then effective date then version.

    Raises `StandardFileError` with the problems of every invalid file together.
    """
    standards: list[Standard] = []
    problems: list[Problem] = []
    for path in version_files(root):
        try:
            standards.append(load_standard(path))
        except StandardFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise StandardFileError(problems)
    return sorted(standards, key=lambda s: (s.id, s.effective, s.version))


def version_files(root: str | Path = "standards", *, depth: int = 2) -> list[Path]:
    """The version files under `root`, sorted: `<root>/<id>/<version>.yaml` (or, with depth 1,
    `<root>/<version>.yaml`), never the scenarios files beside them."""
    pattern = "*/*.yaml" if depth == 2 else "*.yaml"
    return sorted(p for p in Path(root).glob(pattern) if not p.name.endswith(SCENARIOS_SUFFIX))


def clear_cache() -> None:
    _CACHE.clear()
