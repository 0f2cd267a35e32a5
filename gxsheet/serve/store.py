"""Everything `gxsheet serve` keeps, in one folder: a SQLite database (WAL) and a file store by content hash.

This module is the only one that speaks SQL, so that a server database can take its place when a
province outgrows one machine. Uploads, reviews and the log are append-only (triggers refuse
UPDATE and DELETE); files are written once under their SHA-256 and never overwritten or removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "gxsheet.sqlite3"
FILES = "files"
APPEND_ONLY = ("uploads", "reviews", "log")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rounds(
  id INTEGER PRIMARY KEY, year INTEGER NOT NULL, name TEXT NOT NULL, previous INTEGER, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units(
  id INTEGER PRIMARY KEY, round_id INTEGER NOT NULL REFERENCES rounds(id), position INTEGER NOT NULL,
  name TEXT NOT NULL, token TEXT NOT NULL UNIQUE, previous_path TEXT);
CREATE INDEX IF NOT EXISTS units_round ON units(round_id, position);
CREATE TABLE IF NOT EXISTS workbooks(unit_id INTEGER PRIMARY KEY REFERENCES units(id), hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports(
  upload_id INTEGER NOT NULL REFERENCES uploads(id), fmt TEXT NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY(upload_id, fmt));
CREATE TABLE IF NOT EXISTS uploads(
  id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id), at TEXT NOT NULL,
  filename TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL, status TEXT NOT NULL,
  errors INTEGER NOT NULL, warnings INTEGER NOT NULL, first TEXT NOT NULL,
  verdict TEXT NOT NULL, entry TEXT NOT NULL, sums TEXT, marked TEXT);
CREATE INDEX IF NOT EXISTS uploads_unit ON uploads(unit_id, id);
CREATE TABLE IF NOT EXISTS reviews(
  id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id), upload_id INTEGER,
  state TEXT NOT NULL, comment TEXT NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reviews_unit ON reviews(unit_id, id);
CREATE TABLE IF NOT EXISTS log(
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
  round_id INTEGER, unit_id INTEGER, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS log_round ON log(round_id, id);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op} BEFORE {op.upper()} ON {t} "
    f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;\n"
    for t in APPEND_ONLY for op in ("update", "delete"))


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Unit:
    id: int
    round_id: int
    position: int
    name: str
    token: str
    previous_path: str | None
    year: int


@dataclass(frozen=True)
class Upload:
    id: int
    unit_id: int
    at: str
    filename: str
    hash: str
    size: int
    status: str  # ok / errors / unreadable / rejected
    errors: int
    warnings: int
    first: list[str]
    marked: str | None

    def verdict(self, store: Store) -> dict[str, Any]:
        return dict(json.loads(store.one("SELECT verdict FROM uploads WHERE id=?", (self.id,))[0]))


UPLOAD_COLUMNS = "id, unit_id, at, filename, hash, size, status, errors, warnings, first, marked"


def _upload(row: sqlite3.Row | tuple[Any, ...]) -> Upload:
    r = list(row)
    return Upload(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]), r[10])


def _with_problems(entry: dict[str, Any], problems: str | None) -> dict[str, Any]:
    if problems is not None:
        entry["problems"] = json.loads(problems)
    return entry


def keep(root: Path, data: bytes, suffix: str) -> tuple[str, Path]:
    """Keep bytes under their hash in root's file store; a file already there is left as it is."""
    digest = hashlib.sha256(data).hexdigest()
    target = root / FILES / digest[:2] / f"{digest}{suffix}"
    if target.exists():
        return digest, target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, target)  # refuses an existing name: nothing is ever overwritten
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links (FAT): the same bytes under the same name, if absent
            if not target.exists():
                os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest, target


_SERIALS = itertools.count(1)


class Store:
    """The database and the file store of one DIR; safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.serial = next(_SERIALS)  # what the caches of rounds.py know it by (an id() may be reused)
        root.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database holds every token: owner only
        (root / FILES).mkdir(exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(root / DB_NAME, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a power cut may lose the last commit, never corrupt
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- plumbing ---------------------------------------------------------------------------

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- settings -------------------------------------------------------------------------

    def setting(self, key: str, make: Any) -> str:
        """A value kept across restarts (the admin token, the CSRF key): made once, then read."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
            if row:
                return str(row[0])
            value = str(make())
            db.execute("INSERT INTO meta(key, value) VALUES(?, ?)", (key, value))
            return value

    # --- files ----------------------------------------------------------------------------

    def path_of(self, digest: str, suffix: str) -> Path:
        return self.root / FILES / digest[:2] / f"{digest}{suffix}"

    def put(self, data: bytes, suffix: str) -> tuple[str, Path]:
        return keep(self.root, data, suffix)

    # --- rounds and units -----------------------------------------------------------------

    def create_round(self, year: int, name: str, units: list[tuple[str, str, str | None]],
                     previous: int | None, who: str) -> int:
        """A round with its units, each (name, token, last year's file or None)."""
        with self.transaction() as db:
            cur = db.execute("INSERT INTO rounds(year, name, previous, created) VALUES(?, ?, ?, ?)",
                             (year, name, previous, now()))
            rid = int(cur.lastrowid or 0)
            db.executemany("INSERT INTO units(round_id, position, name, token, previous_path) VALUES(?, ?, ?, ?, ?)",
                           [(rid, i, n, t, p) for i, (n, t, p) in enumerate(units)])
            self._log(db, who, "round", rid, None, {"year": year, "units": len(units), "previous": previous})
        return rid

    def rounds(self) -> list[dict[str, Any]]:
        rows = self.all("SELECT r.id, r.year, r.name, r.created, COUNT(u.id) FROM rounds r "
                        "LEFT JOIN units u ON u.round_id = r.id GROUP BY r.id ORDER BY r.id DESC")
        return [{"id": r[0], "year": r[1], "name": r[2], "created": r[3], "units": r[4]} for r in rows]

    def round(self, rid: int) -> dict[str, Any] | None:
        row = self.one("SELECT id, year, name, previous, created FROM rounds WHERE id=?", (rid,))
        return dict(zip(("id", "year", "name", "previous", "created"), row, strict=True)) if row else None

    def units(self, rid: int) -> list[Unit]:
        rows = self.all("SELECT u.id, u.round_id, u.position, u.name, u.token, u.previous_path, r.year "
                        "FROM units u JOIN rounds r ON r.id = u.round_id WHERE u.round_id=? ORDER BY u.position",
                        (rid,))
        return [Unit(*r) for r in rows]

    def unit_by_token(self, token: str) -> Unit | None:
        row = self.one("SELECT u.id, u.round_id, u.position, u.name, u.token, u.previous_path, r.year "
                       "FROM units u JOIN rounds r ON r.id = u.round_id WHERE u.token=?", (token,))
        return Unit(*row) if row else None

    def unit(self, uid: int) -> Unit | None:
        row = self.one("SELECT u.id, u.round_id, u.position, u.name, u.token, u.previous_path, r.year "
                       "FROM units u JOIN rounds r ON r.id = u.round_id WHERE u.id=?", (uid,))
        return Unit(*row) if row else None

    def workbook(self, uid: int) -> str | None:
        row = self.one("SELECT hash FROM workbooks WHERE unit_id=?", (uid,))
        return str(row[0]) if row else None

    def keep_workbook(self, uid: int, digest: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO workbooks(unit_id, hash) VALUES(?, ?)", (uid, digest))

    def reports(self, upload_ids: list[int]) -> dict[int, dict[str, str]]:
        """The reports already built from these uploads: {upload id: {fmt: hash}}."""
        found: dict[int, dict[str, str]] = {}
        for start in range(0, len(upload_ids), 500):
            chunk = upload_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for uid, fmt, digest in self.all(f"SELECT upload_id, fmt, hash FROM reports WHERE upload_id IN ({marks})",
                                             tuple(chunk)):
                found.setdefault(uid, {})[fmt] = digest
        return found

    def keep_reports(self, upload_id: int, built: dict[str, str]) -> None:
        with self._lock:
            self._db.executemany("INSERT OR IGNORE INTO reports(upload_id, fmt, hash) VALUES(?, ?, ?)",
                                 [(upload_id, fmt, digest) for fmt, digest in built.items()])

    # --- uploads, reviews, log ------------------------------------------------------------

    def add_upload(self, unit: Unit, filename: str, digest: str, size: int, outcome: dict[str, Any],
                   who: str) -> Upload:
        """One upload and its verdict, logged in the same transaction."""
        verdict = outcome["verdict"]
        first = [p["message"] for p in sorted(verdict.get("problems", []), key=lambda p: p["severity"] != "error")[:3]]
        if outcome["status"] in ("unreadable", "rejected"):
            first = [outcome["message"]]
        entry = outcome["entry"]
        if "problems" in verdict and entry.get("problems") == verdict["problems"]:
            # The problems are kept once, in the verdict; entries() reads them from there. Rows of
            # earlier versions, which kept them in both, are read as they are.
            entry = {k: v for k, v in entry.items() if k != "problems"}
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO uploads(unit_id, at, filename, hash, size, status, errors, warnings, first, verdict,"
                " entry, sums, marked) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (unit.id, now(), filename, digest, size, outcome["status"], verdict.get("errors", 0),
                 verdict.get("warnings", 0), json.dumps(first, ensure_ascii=False),
                 json.dumps(verdict, ensure_ascii=False), json.dumps(entry, ensure_ascii=False),
                 json.dumps(outcome["sums"]) if outcome.get("sums") is not None else None, outcome.get("marked")))
            uid = int(cur.lastrowid or 0)
            self._log(db, who, "upload", unit.round_id, unit.id,
                      {"upload": uid, "file": filename, "hash": digest, "status": outcome["status"]})
        found = self.one(f"SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id=?", (uid,))
        return _upload(found)

    def uploads(self, uid: int) -> list[Upload]:
        return [_upload(r) for r in self.all(f"SELECT {UPLOAD_COLUMNS} FROM uploads WHERE unit_id=? ORDER BY id DESC",
                                             (uid,))]

    def upload(self, upload_id: int) -> Upload | None:
        row = self.one(f"SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id=?", (upload_id,))
        return _upload(row) if row else None

    def current(self, rid: int) -> dict[int, Upload]:
        """Each unit's latest upload that stands for it (a rejected one, another unit's or year's, does not)."""
        rows = self.all(f"SELECT {', '.join('p.' + c.strip() for c in UPLOAD_COLUMNS.split(','))} FROM uploads p "
                        "JOIN (SELECT MAX(x.id) AS id FROM uploads x JOIN units u ON u.id = x.unit_id "
                        "WHERE u.round_id=? AND x.status != 'rejected' GROUP BY x.unit_id) m ON m.id = p.id", (rid,))
        return {u.unit_id: u for u in map(_upload, rows)}

    def last_upload(self, rid: int) -> int:
        """The id of the round's latest upload (0 before any): what changes whenever the round does."""
        row = self.one("SELECT MAX(p.id) FROM uploads p JOIN units u ON u.id = p.unit_id WHERE u.round_id=?", (rid,))
        return int(row[0] or 0)

    def last_review(self, rid: int) -> int:
        row = self.one("SELECT MAX(r.id) FROM reviews r JOIN units u ON u.id = r.unit_id WHERE u.round_id=?", (rid,))
        return int(row[0] or 0)

    def current_of(self, uid: int) -> Upload | None:
        """One unit's current upload (as current(), for one unit)."""
        row = self.one(f"SELECT {UPLOAD_COLUMNS} FROM uploads WHERE unit_id=? AND status != 'rejected' "
                       "ORDER BY id DESC LIMIT 1", (uid,))
        return _upload(row) if row else None

    def review_of(self, uid: int) -> dict[str, Any] | None:
        """One unit's latest review state (as latest_reviews(), for one unit)."""
        row = self.one("SELECT upload_id, state, comment, at, who FROM reviews WHERE unit_id=? AND state != 'comment' "
                       "ORDER BY id DESC LIMIT 1", (uid,))
        return dict(zip(("upload", "state", "comment", "at", "who"), row, strict=True)) if row else None

    def entries(self, rid: int) -> dict[int, tuple[dict[str, Any], dict[str, Any] | None]]:
        """Each unit's current upload as collect sees it (unit, year, problems ...) and its table sums."""
        current = self.current(rid)
        found = self.entries_of([u.id for u in current.values()])
        return {uid: found[up.id] for uid, up in current.items()}

    def entries_of(self, upload_ids: list[int]) -> dict[int, tuple[dict[str, Any], dict[str, Any] | None]]:
        """These uploads as collect sees them and their table sums, by upload id."""
        found: dict[int, tuple[dict[str, Any], dict[str, Any] | None]] = {}
        for start in range(0, len(upload_ids), 500):
            chunk = upload_ids[start:start + 500]
            # An entry without problems has them in the verdict (see add_upload): SQLite picks them out
            # there, without the rest of the verdict (a passing one lists every rule's status).
            rows = self.all("SELECT id, entry, sums, CASE WHEN json_type(entry, '$.problems') IS NULL "
                            "THEN json_extract(verdict, '$.problems') END FROM uploads "
                            f"WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk))
            found.update({r[0]: (_with_problems(json.loads(r[1]), r[3]), json.loads(r[2]) if r[2] else None)
                          for r in rows})
        return found

    def add_review(self, unit: Unit, upload_id: int | None, state: str, comment: str, who: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO reviews(unit_id, upload_id, state, comment, at, who) VALUES(?, ?, ?, ?, ?, ?)",
                       (unit.id, upload_id, state, comment, now(), who))
            self._log(db, who, state if state == "comment" else "review", unit.round_id, unit.id,
                      {"state": state, "comment": comment, "upload": upload_id})

    def reviews(self, uid: int) -> list[dict[str, Any]]:
        rows = self.all("SELECT id, upload_id, state, comment, at, who FROM reviews WHERE unit_id=? ORDER BY id DESC",
                        (uid,))
        return [dict(zip(("id", "upload", "state", "comment", "at", "who"), r, strict=True)) for r in rows]

    def latest_reviews(self, rid: int) -> dict[int, dict[str, Any]]:
        """Each unit's latest review state (comments alone do not change it)."""
        rows = self.all("SELECT r.unit_id, r.upload_id, r.state, r.comment, r.at, r.who FROM reviews r "
                        "JOIN (SELECT MAX(x.id) AS id FROM reviews x JOIN units u ON u.id = x.unit_id "
                        "WHERE u.round_id=? AND x.state != 'comment' GROUP BY x.unit_id) m ON m.id = r.id", (rid,))
        return {r[0]: dict(zip(("upload", "state", "comment", "at", "who"), r[1:], strict=True)) for r in rows}

    def log(self, rid: int, limit: int = 200) -> list[dict[str, Any]]:
        rows = self.all("SELECT l.id, l.at, l.who, l.action, u.name, l.detail FROM log l "
                        "LEFT JOIN units u ON u.id = l.unit_id WHERE l.round_id=? ORDER BY l.id DESC LIMIT ?",
                        (rid, limit))
        return [dict(zip(("id", "at", "who", "action", "unit"), r[:5], strict=True)) | {"detail": json.loads(r[5])}
                for r in rows]

    def _log(self, db: sqlite3.Connection, who: str, action: str, rid: int | None, uid: int | None,
             detail: dict[str, Any]) -> None:
        db.execute("INSERT INTO log(at, who, action, round_id, unit_id, detail) VALUES(?, ?, ?, ?, ?, ?)",
                   (now(), who, action, rid, uid, json.dumps(detail, ensure_ascii=False)))
