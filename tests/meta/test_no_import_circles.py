"""No module of the service imports itself round a circle (issue 20): every import, deferred
and type-checking ones included, leads away for good. lint-imports keeps sibling packages apart;
this finds a circle between any two modules anywhere in the tree."""

from __future__ import annotations

import grimp


def _circles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Each direct import whose imported module leads back to its importer."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported in graph.modules
        and graph.chain_exists(importer=imported, imported=importer, as_packages=False)
    )


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = grimp.build_graph("accredit", cache_dir=None)
    assert len(graph.modules) > 300  # the whole service was read
    assert _circles(graph) == []


def test_the_search_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(name)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.one")
    graph.add_import(importer="a.three", imported="a.one")
    assert _circles(graph) == [("a.one", "a.two"), ("a.two", "a.one")]
