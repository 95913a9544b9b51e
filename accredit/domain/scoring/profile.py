"""An organisation profile field asked as a question, and the error when it is not answered.
Pure Python.

Standards label yes/no profile fields as statements about the organisation ("Offers clinical
placements"); the profile page asks them ("Does your organisation offer clinical
placements?"). Only verbs known here are turned round: a label written another way (already a
question, or a noun phrase) is asked as written rather than guessed into bad English.
"""

from __future__ import annotations

#: A label's first word, and the question's verb after "Does your organisation".
_VERBS = {
    "accepts": "accept",
    "employs": "employ",
    "has": "have",
    "hosts": "host",
    "offers": "offer",
    "provides": "provide",
    "runs": "run",
    "supports": "support",
    "takes": "take",
    "uses": "use",
    "works": "work",
}


def _statement(label: str) -> tuple[str, str] | None:
    """(first word, the rest) when the label is a statement this module can ask about."""
    if label.strip().endswith("?"):
        return None
    verb, _, rest = label.strip().partition(" ")
    word = verb.lower()
    if rest and (word in _VERBS or word == "is"):
        return word, rest
    return None


def profile_question(label: str) -> str:
    """The question the profile page asks for a yes/no field labelled ``label``."""
    found = _statement(label)
    if found is None:
        return label.strip()
    word, rest = found
    if word == "is":
        return f"Is your organisation {rest}?"
    return f"Does your organisation {_VERBS[word]} {rest}?"


def profile_error(label: str) -> str:
    """What the profile page says when a field was left unanswered."""
    found = _statement(label)
    if found is None:
        return "Select yes or no"
    word, rest = found
    return f"Select yes if your organisation {word} {rest}"
