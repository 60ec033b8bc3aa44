"""Conditions of EU AI Act obligations, as the catalog writes them: facts about an AI system or its organisation
joined by `and` and `or` (`and` binds tighter), each fact either true (`public_body`), false (`not open_source`),
or compared with a value (`annex_iii_area = insurance`, `annex_iii_area != critical-infrastructure`).

A fact may be unknown, so a condition is evaluated in three-valued logic (Kleene): True, False, or None when the
answer depends on a fact nobody gave. An empty condition always holds.
"""

import re
from dataclasses import dataclass

_ATOM = re.compile(r"^(not\s+)?([a-z_][a-z0-9_]*)(?:\s*(!=|=)\s*([A-Za-z0-9_.-]+))?$")


@dataclass(frozen=True)
class Atom:
    fact: str
    negated: bool = False
    operator: str | None = None  # "=" or "!=" for a comparison; None for a true/false fact
    value: str | None = None

    def evaluate(self, facts: dict) -> bool | None:
        known = facts.get(self.fact)
        if known is None:
            return None
        result = bool(known) if self.operator is None else (str(known) == self.value) == (self.operator == "=")
        return not result if self.negated else result

    def __str__(self) -> str:
        if self.operator:
            return f"{self.fact} {self.operator} {self.value}"
        return f"not {self.fact}" if self.negated else self.fact


def parse(text: str) -> list[list[Atom]]:
    """Alternatives (joined by `or`), each a list of atoms (joined by `and`); ValueError names a bad part."""
    text = " ".join(text.split())
    if not text:
        return []
    alternatives = []
    for alternative in re.split(r"\s+or\s+", text):
        atoms = []
        for part in re.split(r"\s+and\s+", alternative):
            m = _ATOM.match(part)
            if not m:
                raise ValueError(f"cannot read {part!r} in condition {text!r}")
            atoms.append(Atom(m[2], bool(m[1]), m[3], m[4]))
        alternatives.append(atoms)
    return alternatives


def facts_of(alternatives: list[list[Atom]]) -> list[str]:
    return list(dict.fromkeys(atom.fact for alternative in alternatives for atom in alternative))


def evaluate(alternatives: list[list[Atom]], facts: dict) -> bool | None:
    """True, False, or None (unknown) for the given facts; a fact absent or None is unknown."""
    if not alternatives:
        return True
    result: bool | None = False
    for alternative in alternatives:
        value: bool | None = True
        for atom in alternative:
            found = atom.evaluate(facts)
            if found is False:
                value = False
                break
            if found is None:
                value = None
        if value is True:
            return True
        if value is None:
            result = None
    return result


def unknown(alternatives: list[list[Atom]], facts: dict) -> list[str]:
    """The facts whose absence leaves the condition undecided."""
    return [f for f in facts_of(alternatives) if facts.get(f) is None]


def text(alternatives: list[list[Atom]]) -> str:
    return " or ".join(" and ".join(str(a) for a in alternative) for alternative in alternatives)
