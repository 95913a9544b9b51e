"""The tests' shared URL-builder cache (tests/support/compiled_once.py) builds what werkzeug
would: the same URLs from a rule of a later map, and its own URL for a rule whose default
fills one of its parts."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from tests.support import compiled_once


def _build(rule: Rule, endpoint: str, **values: object) -> str:
    adapter = Map([rule]).bind("example.org")
    return adapter.build(endpoint, values)


def test_a_later_map_builds_the_same_urls_with_its_own_converters():
    compiled_once.install()
    first = _build(Rule("/assessments/<int:a>/criteria/<c>", endpoint="q"), "q", a=3, c="B 1")
    again = _build(
        Rule("/assessments/<int:a>/criteria/<c>", endpoint="q"), "q", a=4, c="B/2", page=2
    )
    assert first == "/assessments/3/criteria/B%201"
    assert again == "/assessments/4/criteria/B/2?page=2"  # as werkzeug builds it


def test_a_default_that_fills_a_part_is_not_shared_between_rules():
    compiled_once.install()
    one = _build(Rule("/page/<int:n>", defaults={"n": 1}, endpoint="p"), "p")
    two = _build(Rule("/page/<int:n>", defaults={"n": 2}, endpoint="p"), "p")
    assert (one, two) == ("/page/1", "/page/2")


def test_converter_arguments_are_parsed_once_and_mean_the_same():
    compiled_once.install()
    url = _build(Rule("/n/<int(fixed_digits=4):n>", endpoint="n"), "n", n=7)
    assert url == "/n/0007"


def test_a_second_app_renders_from_the_compiled_templates_and_sees_an_edit(tmp_path):
    from flask import Flask
    from jinja2 import FileSystemLoader

    compiled_once.install()
    (tmp_path / "hello.html").write_text("Hello {{ name }}")

    def render(name: str) -> str:
        app = Flask(__name__)
        app.jinja_loader = FileSystemLoader(str(tmp_path))
        with app.app_context():
            return app.jinja_env.get_template("hello.html").render(name=name)

    cache = Flask.jinja_options["bytecode_cache"]
    assert render("Ada") == "Hello Ada"
    kept = len(cache.code)
    assert kept >= 1
    assert render("Grace") == "Hello Grace"
    assert len(cache.code) == kept
    (tmp_path / "hello.html").write_text("Goodbye {{ name }}")
    assert render("Ada") == "Goodbye Ada"
