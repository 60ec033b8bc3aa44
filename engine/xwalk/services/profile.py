"""The organisation profile (does it develop AI systems, provide them to others, use third-party AI or models,
process personal data) and the applicability of each ISO/IEC 42001 Annex A control it suggests.

A profile comes from command-line flags or a small file read through core.bounded: YAML (`develops: true`) or CSV
(header `flag,value`, one flag a row). A flag left out is unknown, and a control that depends on it is suggested as
applicable until the organisation says otherwise.
"""

from dataclasses import dataclass, fields
from pathlib import Path

from xwalk.core import bounded
from xwalk.core.errors import XwalkError
from xwalk.load.plan_rules import PROFILE_FLAGS, Rule

MAX_PROFILE_BYTES = 64 * 1024
WORDS = {
    "develops": "develops AI systems",
    "provides": "provides AI systems to others",
    "uses_third_party": "uses third-party AI systems or models",
    "personal_data": "processes personal data",
}
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class Profile:
    develops: bool | None = None
    provides: bool | None = None
    uses_third_party: bool | None = None
    personal_data: bool | None = None

    def given(self) -> bool:
        return any(getattr(self, f) is not None for f in PROFILE_FLAGS)

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def merged(self, **flags: bool | None) -> "Profile":
        """This profile with the flags given (not None) replacing its own: the command line wins over a file."""
        return Profile(**{f: flags[f] if flags.get(f) is not None else getattr(self, f) for f in PROFILE_FLAGS})


def _flag(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE | FALSE:
        return text in TRUE
    raise XwalkError(f"{where}: {value!r} is not yes or no (true/false)")


def parse(text: str, name: str) -> Profile:
    """A profile from the text of a YAML or CSV file called `name` (for messages)."""
    if name.lower().endswith(".csv"):
        records = bounded.csv_records(text, name)
        if not records or [c.strip().lower() for c in records[0][1][:2]] != ["flag", "value"]:
            raise XwalkError(f"{name}: expected a header row 'flag,value'")
        items = []
        for line, cells in records[1:]:
            if len(cells) != 2:
                raise XwalkError(f"{name} row {line}: expected two cells (flag, value)")
            items.append((f"{name} row {line}", cells[0].strip(), cells[1]))
    else:
        data = bounded.load_yaml(text, name)
        if not isinstance(data, dict):
            raise XwalkError(f"{name}: expected a mapping of flags ({', '.join(PROFILE_FLAGS)}) to yes or no")
        items = [(f"{name} key {key}", str(key), value) for key, value in data.items()]
    flags: dict[str, bool] = {}
    for where, key, value in items:
        if key not in PROFILE_FLAGS:
            raise XwalkError(f"{where}: unknown flag {key!r}; expected one of {', '.join(PROFILE_FLAGS)}")
        flags[key] = _flag(value, where)
    return Profile(**flags)


def read(path: Path) -> Profile:
    from xwalk.core.paths import display

    name = display(path)
    if not path.is_file():
        raise XwalkError(f"{name}: profile file not found")
    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise XwalkError(f"{name}: a profile is a few lines; this file is over {MAX_PROFILE_BYTES // 1024} KiB")
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise XwalkError(f"{name}: not UTF-8 text") from None
    return parse(text, name)


@dataclass(frozen=True)
class Applicability:
    control: str
    applicable: bool
    confirmed_by_profile: bool  # False when a flag it depends on is unknown
    reason: str


def applicability(profile: Profile, rule: Rule) -> Applicability:
    """Suggested applicability of one control, with the control's own reason."""
    if not rule.applies_if:
        return Applicability(rule.control, True, True, rule.reason_applicable)
    values = [getattr(profile, flag) for flag in rule.applies_if]
    flags = " or ".join(WORDS[flag] for flag in rule.applies_if)
    if any(values):
        return Applicability(rule.control, True, True, rule.reason_applicable)
    if None in values:
        return Applicability(
            rule.control,
            True,
            False,
            f"Applies if the organisation {flags} (not stated in the profile): {rule.reason_applicable}",
        )
    return Applicability(rule.control, False, True, rule.reason_not_applicable)
