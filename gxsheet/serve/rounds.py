"""A round as the library sees it: the stored uploads turned into collect's Collection, and what
is made from it (summary workbook, reports, roll-up, unit links), each by the library's own code."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..collect import Collection, judge_round
from ..crossyear import unit_key
from ..outcome import Outcome, Status, Unreadable
from ..problems import Problem
from ..schema import Severity
from .store import Store, Unit, Upload


def problem(d: dict[str, Any]) -> Problem:
    """A problem back from its `--json` dict."""
    return Problem(**{**d, "severity": Severity(d["severity"]), "keys": tuple(d.get("keys", ()))})


_MADE: dict[tuple[int, int], tuple[int, Collection]] = {}  # (store, round) -> (its last upload, the round)
KEEP_ROUNDS = 8
_LOCK = threading.Lock()


def collection(store: Store, rid: int) -> Collection:
    """The round in collect's terms, made again only after an upload to it (a large round takes seconds)."""
    stamp = store.last_upload(rid)
    key = (store.serial, rid)
    made = _MADE.get(key)
    if made is not None and made[0] == stamp:
        return made[1]
    outcome = _collection(store, rid)
    with _LOCK:  # requests run on a thread pool
        if len(_MADE) >= KEEP_ROUNDS:
            _MADE.pop(next(iter(_MADE)))
        _MADE[key] = (stamp, outcome)
    return outcome


_SENT: dict[tuple[int, int], tuple[tuple[int, int], bytes]] = {}


def round_json(store: Store, info: dict[str, Any]) -> bytes:
    """GET /api/rounds/{id}: collect's JSON with each unit's id and latest review; made again only after
    an upload or a review (at 10,000 units the JSON alone takes seconds)."""
    rid = info["id"]
    stamp = (store.last_upload(rid), store.last_review(rid))
    sent = _SENT.get((store.serial, rid))
    if sent is not None and sent[0] == stamp:
        return sent[1]
    data = collection(store, rid).as_dict()
    reviews = store.latest_reviews(rid)
    by_name = {u.name: u for u in store.units(rid)}
    for item in data["units"]:
        unit = by_name.get(item["unit"])
        review = reviews.get(unit.id) if unit is not None else None
        item["id"] = unit.id if unit is not None else None
        item["review"] = {k: review[k] for k in ("state", "comment", "at")} if review else None
    data["id"], data["name"] = rid, info["name"]
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with _LOCK:
        if len(_SENT) >= KEEP_ROUNDS:
            _SENT.pop(next(iter(_SENT)))
        _SENT[(store.serial, rid)] = (stamp, body)
    return body


@dataclass(frozen=True)
class _Entry:
    """One stored upload as the round needs it, parsed once: uploads never change, so a round made
    again after an upload parses that upload only (at 10,000 units, parsing them all took seconds)."""

    status: Status
    year: int | None
    schema: str
    problems: tuple[Problem, ...]
    error: Unreadable | None
    sums: dict[str, Decimal] | None


_PARSED: dict[tuple[int, int], dict[int, _Entry]] = {}  # (store, round) -> {upload id: its entry}


def _parse(entry: dict[str, Any], sums: dict[str, Any] | None) -> _Entry:
    error = entry["error"]
    return _Entry(Status(entry["status"]), entry["year"], entry["schema"], tuple(problem(p) for p in entry["problems"]),
                  Unreadable(error["code"], error["message"]) if error else None,
                  {k: Decimal(v) for k, v in sums.items()} if sums is not None else None)


def _entries(store: Store, rid: int, current: dict[int, Upload]) -> dict[int, _Entry]:
    """The current uploads' entries, by upload id: those parsed before kept, the others read and parsed."""
    key = (store.serial, rid)
    known = _PARSED.get(key, {})
    fresh = store.entries_of([up.id for up in current.values() if up.id not in known])
    parsed = {up.id: known.get(up.id) or _parse(*fresh[up.id]) for up in current.values()}
    with _LOCK:
        if key not in _PARSED and len(_PARSED) >= KEEP_ROUNDS:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = parsed  # the uploads no longer current are dropped
    return parsed


def _collection(store: Store, rid: int) -> Collection:
    """The round in collect's terms: each unit's current upload, missing units, the sums of those that pass."""
    info = store.round(rid)
    assert info is not None
    units = store.units(rid)
    current = store.current(rid)
    entries = _entries(store, rid, current)
    rows: list[Outcome] = []
    values: dict[int, dict[str, Decimal]] = {}
    for unit in units:
        up = current.get(unit.id)
        if up is None:
            continue
        e = entries[up.id]
        # a list of its own: the round's judgement inserts problems (COLLECT-YEAR ...) into it
        sub = Outcome(Path(up.filename), e.status, unit.name, e.year, e.schema, list(e.problems), error=e.error,
                      listed=True, counted=e.sums is not None and e.status == Status.OK)
        if sub.counted and e.sums is not None:
            values[id(sub)] = e.sums
        rows.append(sub)
    return judge_round(Path(info["name"]), rows, values, info["year"], [u.name for u in units])


def previous_files(store: Store, names: list[str], previous_round: int | None,
                   previous_folder: Path | None) -> dict[str, str]:
    """Last year's file for each unit (by unit_key), in the file store: its current passing upload in a
    previous round, else its workbook in a folder on this machine."""
    found: dict[str, str] = {}
    if previous_folder is not None:
        from ..collect import previous_index

        found.update({k: str(p) for k, p in previous_index(previous_folder).items()})
    if previous_round is not None:
        current = store.current(previous_round)
        for unit in store.units(previous_round):
            up = current.get(unit.id)
            if up is not None and up.status == "ok":
                found[unit_key(unit.name)] = str(store.path_of(up.hash, ".xlsx"))
    wanted = {unit_key(n) for n in names}
    kept = {}
    for key, path in found.items():
        if key in wanted:  # a copy in the store: the round does not depend on the folder staying where it is
            kept[key] = str(store.put(Path(path).read_bytes(), ".xlsx")[1])
    return kept


def make_workbook(unit: Unit) -> bytes:
    """The unit's workbook, prefilled as `new --units --previous` would."""
    from ..crossyear import load_previous
    from ..distribute import from_previous
    from ..workbook.meta import Meta
    from ..workbook.writer import write_workbook
    from ..xlsx import ReadError

    carried: dict[str, object] = {}
    locked: set[str] = set()
    if unit.previous_path:
        try:
            prior = load_previous(Path(unit.previous_path)).get(unit_key(unit.name))
        except ReadError:
            prior = None
        if prior is not None:
            carried, locked = from_previous(prior)
    with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
        target = Path(tmp) / "workbook.xlsx"
        write_workbook(target, Meta(unit.name, unit.year), carried, "", frozenset(locked))
        return target.read_bytes()


def summary_xlsx(outcome: Collection) -> bytes:
    from ..summary import write_summary

    with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
        target = Path(tmp) / "summary.xlsx"
        write_summary(outcome, target)
        return target.read_bytes()


def rollup(outcome: Collection, name: str, fmt: str) -> bytes | None:
    """The roll-up report (.docx or .html) of the passing units; None when none passed."""
    if not outcome.counted:
        return None
    from ..document.build import write
    from ..document.compose import compose_rollup

    with tempfile.TemporaryDirectory(prefix="gxserve-") as tmp:
        target = Path(tmp) / f"rollup.{fmt}"
        write(compose_rollup(outcome.summed(), name, outcome.counted), target, fmt)
        return target.read_bytes()


def reports_zip(store: Store, passing: list[tuple[Unit, int]], built: dict[int, dict[str, str]]) -> bytes:
    """Each passing unit's reports (built from its upload, by id), zipped, named after the unit."""
    from ..distribute import filename

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for unit, upload_id in passing:
            stem = Path(filename(unit.name)).stem
            for fmt, digest in sorted(built.get(upload_id, {}).items()):
                z.write(store.path_of(digest, f".{fmt}"), f"{stem}.{fmt}")
    return buffer.getvalue()


def links_csv(units: list[Unit], base: str) -> bytes:
    """单位, 链接: one row a unit, with a BOM so that Excel on Chinese Windows opens it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["单位", "链接"])
    for unit in units:
        writer.writerow([_inert(unit.name), f"{base}/u/{unit.token}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _inert(text: str) -> str:
    """A name that starts like a formula stays text when the CSV is opened in a spreadsheet."""
    from ..inert import needs_quote

    return "'" + text if needs_quote(text) else text
