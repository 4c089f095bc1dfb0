"""Reading a content pack: its folder, its TOML files into records, and the cache.

The only code that reads ``content/``. A pack is checked whole (:mod:`trd_tui.pack.checks`):
:func:`check_content` lists every problem with its file and entry, and :func:`load_content`
refuses a pack that has any, because a wrong dose threshold is worse than none.
"""

from __future__ import annotations

import os
import re
import tomli
from pathlib import Path
from typing import Any

from trd_tui.pack.checks import cross_check
from trd_tui.pack.conditions import Condition, parse_condition
from trd_tui.pack.records import FILES, Content, Treatment, file_records
from trd_tui.text import unsafe_paths
from trd_tui.tomlconv import FieldError, Problem, make_converter, problems_from

ENV_VAR = "TRD_TUI_CONTENT"
PACK_CONTROL_PROBLEM = "control or bidi characters (a pack's text must show as written)"


class ContentError(Exception):
    """A content pack with problems; ``problems`` lists each one."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        super().__init__(f"content pack {folder} has {len(problems)} problem(s)")
        self.folder = folder
        self.problems = problems


def bundled_folder() -> Path:
    """The pack shipped with trd-tui: inside the wheel, or the source tree's."""
    package = Path(__file__).parent.parent
    installed = package / "content"
    return installed if installed.is_dir() else package.parent / "content"


def resolve_folder(path: str | os.PathLike[str] | None = None) -> Path:
    """The pack to use: an explicit folder, else $TRD_TUI_CONTENT, else the bundled one."""
    chosen = path or os.environ.get(ENV_VAR)
    return Path(chosen) if chosen else bundled_folder()


def load_content(path: str | os.PathLike[str] | None = None) -> Content:
    """Load and check a content pack. Raises :class:`ContentError` if it has any problem.

    A pack that passed its checks is kept in the user cache folder (see :mod:`trd_tui.pack.cache`)
    and read from there while its files, and the code that reads them, are unchanged.
    """
    from trd_tui.pack import cache

    folder = resolve_folder(path)
    key = cache.key(folder, FILES)
    if key is not None and (cached := cache.load(folder, key)) is not None:
        return cached
    content, problems = _read(folder)
    if problems or content is None:
        raise ContentError(folder, problems)
    if key is not None:
        cache.store(folder, key, content)
    return content


def check_content(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a content pack (an empty list for a good pack).

    It reads the pack as :func:`load_content` does, never from the cache.
    """
    return _read(resolve_folder(path))[1]


def _converter():
    from cattrs.gen import make_dict_structure_fn, override

    conv = make_converter()

    def condition(value: Any, _type: Any) -> Condition:
        if not isinstance(value, str):
            raise FieldError("expected a condition as text")
        try:
            return parse_condition(value)
        except ValueError as exc:
            raise FieldError(str(exc)) from None

    conv.register_structure_hook(Condition, condition)
    conv.register_structure_hook(
        Treatment,
        make_dict_structure_fn(Treatment, conv, _cattrs_forbid_extra_keys=True, class_=override(rename="class")),
    )
    return conv


def _read(folder: Path) -> tuple[Content | None, list[Problem]]:
    if not folder.is_dir():
        return None, [Problem(str(folder), "no such folder")]
    conv = _converter()
    parsed: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in FILES:
        record, found = _read_file(folder / name, file_records()[name], conv)
        parsed[name] = record
        problems += found
    if problems:
        return None, problems
    content = Content(
        folder=folder,
        sources=_by_id(parsed["sources.toml"].source),
        treatments=_by_id(parsed["treatments.toml"].treatment),
        sections=parsed["checklist.toml"].section,
        checklist_items=_by_id(parsed["checklist.toml"].item),
        categories=parsed["options.toml"].category,
        options=_by_id(parsed["options.toml"].option),
        rules=parsed["rules.toml"],
        instruments=_by_id(parsed["instruments.toml"].instrument),
        plain_language=parsed["plain-language.toml"],
        drug_classes=_by_id(parsed["treatments.toml"].drug_class),
    )
    problems = list(cross_check(parsed, content))
    return (None if problems else content), problems


def _read_file(path: Path, kind: type, conv: Any) -> tuple[Any, list[Problem]]:
    try:
        raw = tomli.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [Problem(path.name, f"cannot be read: {exc.strerror or exc}")]
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(path.name, f"not valid TOML: {exc}")]
    from cattrs.errors import BaseValidationError

    # Pack text is shown to clinicians and patients: nothing in it may act on a terminal or reorder a line.
    unsafe = [Problem(_locate(path.name, raw, where), PACK_CONTROL_PROBLEM) for where in unsafe_paths(raw)]
    try:
        record = conv.structure(raw, kind)
    except BaseValidationError as exc:
        return None, unsafe + [Problem(_locate(path.name, raw, where), msg) for where, msg in problems_from(exc)]
    return (None if unsafe else record), unsafe


def _locate(file: str, raw: dict[str, Any], where: str) -> str:
    """``treatment[3].kind`` → ``treatments.toml: treatment[3] "sertraline" .kind``."""
    m = re.match(r"(\w+)\[(\d+)\](.*)", where)
    if m:
        entries = raw.get(m[1])
        entry = entries[int(m[2])] if isinstance(entries, list) and int(m[2]) < len(entries) else None
        entry_id = (entry.get("id") or entry.get("word")) if isinstance(entry, dict) else None
        if isinstance(entry_id, str):
            return f'{file}: {m[1]}[{m[2]}] "{entry_id}"{m[3]}'
    return f"{file}: {where}"


def _by_id(records: tuple[Any, ...]) -> dict[str, Any]:
    return {record.id: record for record in records}
