"""Answers as people wrote them, not as stored values: for pages and the PDF pack. Pure
Python; evidence titles are looked up by the caller and passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from accredit.domain.scoring.standard import EVIDENCE, QuestionType, Standard


def answer_text(standard: Standard, key: str, value: object, titles: Mapping[int, str]) -> str:
    if value is None or value == [] or value == "":
        return "Not answered"
    if key.endswith("/" + EVIDENCE):
        return evidence_text(value, titles)
    try:
        question = standard.question(key)
    except KeyError:
        return str(value)
    if question.type is QuestionType.EVIDENCE:
        return evidence_text(value, titles)
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else "None selected"
    if question.options and isinstance(value, str):
        option = question.option(value)
        return option.label if option else value
    if question.type is QuestionType.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%-d %B %Y")
        except ValueError:
            return value
    return str(value)


def evidence_ids(value: object) -> list[int]:
    return [int(v) for v in value if str(v).isdigit()] if isinstance(value, list) else []


def evidence_text(value: object, titles: Mapping[int, str]) -> str:
    ids = evidence_ids(value)
    return ", ".join(titles.get(i, "Removed evidence") for i in ids) or "None"
