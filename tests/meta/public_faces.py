"""An import-linter contract type: capability packages meet only through their public face.

Each capability package (``accredit/services/<capability>/``) names, in its ``__init__.py``'s
``__all__``, the modules other code may import. Every other module of the package is its own
business: this contract fails any import of one from outside the package (another capability,
the web, the command line), so a capability can change its insides without a search of the
whole tree. Registered in pyproject.toml (``contract_types``) and run by ``lint-imports``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, fields, output


def declared_public(package: str) -> tuple[str, ...] | None:
    """The module names a package's ``__init__.py`` lists in ``__all__`` (None: no list)."""
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        return None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            return tuple(str(name) for name in value)
    return None


@dataclass
class Breach:
    importer: str
    imported: str
    lines: tuple[int, ...]


@dataclass
class Findings:
    undeclared: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)


class PublicFacesContract(Contract):
    """Configuration: ``containers``, the packages whose children are capability packages."""

    type_name = "public_faces"

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        found = Findings()
        for container in self.containers:  # type: ignore[attr-defined]
            for package in sorted(graph.find_children(container)):
                if not graph.find_children(package):
                    continue  # a plain module beside the capabilities
                public = declared_public(package)
                if public is None:
                    found.undeclared.append(package)
                    continue
                inside = {package, *graph.find_descendants(package)}
                children = {m.rsplit(".", 1)[1] for m in graph.find_children(package)}
                found.unknown += [f"{package}.{n}" for n in public if n not in children]
                for module in sorted(inside - {package}):
                    if (
                        module.rsplit(".", 1)[1] in public
                        and module.count(".") == package.count(".") + 1
                    ):
                        continue
                    for importer in sorted(graph.find_modules_that_directly_import(module)):
                        if importer in inside:
                            continue
                        details = graph.get_import_details(importer=importer, imported=module)
                        lines = tuple(d["line_number"] for d in details)
                        found.breaches.append(Breach(importer, module, lines))
        kept = not (found.undeclared or found.unknown or found.breaches)
        return ContractCheck(kept=kept, warnings=[], metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        found: Findings = check.metadata["found"]
        for package in found.undeclared:
            output.print_error(f"- {package}: its __init__.py declares no __all__", bold=False)
            output.new_line()
        for name in found.unknown:
            output.print_error(f"- {name} is declared public but does not exist", bold=False)
            output.new_line()
        for breach in found.breaches:
            lines = ", ".join(map(str, breach.lines))
            output.print_error(
                f"- {breach.importer} -> {breach.imported} (l.{lines}): "
                "not in its package's __all__",
                bold=False,
            )
            output.new_line()
