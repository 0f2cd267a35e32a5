"""The storage of `gxsheet serve`: files by content hash, written once; settings kept across restarts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gxsheet.serve.store import Store, keep
from gxsheet.serve.tokens import derive, new_token, same


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=4096))
def test_files_are_kept_under_their_hash(data: bytes) -> None:
    import tempfile

    root = Path(tempfile.mkdtemp())
    digest, path = keep(root, data, ".xlsx")
    assert digest == hashlib.sha256(data).hexdigest()
    assert path == root / "files" / digest[:2] / f"{digest}.xlsx"
    assert path.read_bytes() == data
    assert keep(root, data, ".xlsx") == (digest, path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_a_stored_file_is_never_overwritten(tmp_path: Path) -> None:
    digest, path = keep(tmp_path, b"first", ".bin")
    path.write_bytes(b"changed on disk")  # whatever is there stays: the store never writes a name twice
    keep(tmp_path, b"first", ".bin")
    assert path.read_bytes() == b"changed on disk"


def test_settings_are_made_once_and_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "office")
    assert (tmp_path / "office").stat().st_mode & 0o077 == 0  # made for its owner only: it holds every token
    token = store.setting("admin_token", new_token)
    assert store.setting("admin_token", lambda: "other") == token
    store.close()
    again = Store(tmp_path / "office")
    assert again.setting("admin_token", lambda: "other") == token
    again.close()


def test_tokens_are_random_and_compared_whole() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200 and all(len(t) >= 20 for t in tokens)
    key = new_token()
    assert derive(key, "csrf:a") != derive(key, "csrf:b") != derive(new_token(), "csrf:b")
    assert same("abc", "abc") and not same("abd", "abc") and not same(None, "abc") and not same("ab", "abc")


def test_a_dead_worker_costs_a_pool_not_the_server(tmp_path: Path) -> None:
    import asyncio
    import os
    from concurrent.futures import BrokenExecutor

    import pytest

    from gxsheet.serve import new_pool
    from gxsheet.serve.app import Server

    store = Store(tmp_path)
    pool = new_pool(1)
    server = Server(store, pool)
    try:
        with pytest.raises(BrokenExecutor):
            pool.submit(os._exit, 1).result()  # a worker killed (out of memory, a crash in a C library)
        assert asyncio.run(server.run(abs, -3)) == 3
        assert server.pool is not pool
    finally:
        server.pool.shutdown()
        store.close()


def test_problems_are_stored_once_and_older_rows_still_read(tmp_path: Path) -> None:
    import json
    import sqlite3

    from serving import blank_workbook

    from gxsheet.serve.judge import judge
    from gxsheet.serve.rounds import collection
    from gxsheet.serve.store import DB_NAME

    store = Store(tmp_path / "office")
    names = ["甲镇人民政府", "乙镇人民政府"]
    rid = store.create_round(2024, "2024", [(n, new_token(), None) for n in names], None, "管理员")
    new, old = store.units(rid)
    outcomes = {}
    for unit in (new, old):
        path = blank_workbook(tmp_path / f"{unit.name}.xlsx", unit.name)
        outcomes[unit.name] = judge(str(path), None, path.name, unit.name, 2024, str(store.root))
        assert outcomes[unit.name]["status"] == "errors" and outcomes[unit.name]["entry"]["problems"]
    store.add_upload(new, "甲.xlsx", "0" * 64, 1, outcomes[new.name], new.name)
    # A row as the previous version wrote it, the problems in both the verdict and the entry
    was = outcomes[old.name]
    with sqlite3.connect(tmp_path / "office" / DB_NAME) as db:
        db.execute("INSERT INTO uploads(unit_id, at, filename, hash, size, status, errors, warnings, first, verdict,"
                   " entry, sums, marked) VALUES(?, '2025-01-01T00:00:00+00:00', '乙.xlsx', ?, 1, 'errors', ?, ?,"
                   " '[]', ?, ?, NULL, NULL)",
                   (old.id, "1" * 64, was["verdict"]["errors"], was["verdict"]["warnings"],
                    json.dumps(was["verdict"], ensure_ascii=False), json.dumps(was["entry"], ensure_ascii=False)))
    entry, verdict = store.one("SELECT entry, verdict FROM uploads WHERE unit_id=?", (new.id,))
    assert "problems" not in json.loads(entry)  # once, in the verdict
    assert json.loads(verdict)["problems"] == outcomes[new.name]["verdict"]["problems"]
    got = store.entries(rid)
    for unit in (new, old):
        assert got[unit.id][0] == outcomes[unit.name]["entry"]
    rows = {o.unit: o for o in collection(store, rid).submissions}
    assert rows[new.name].problems == rows[old.name].problems != []
    store.close()


def test_a_round_made_again_after_an_upload_is_the_round_made_afresh(tmp_path: Path) -> None:
    from serving import blank_workbook, good_workbook

    from gxsheet.serve.judge import judge
    from gxsheet.serve.rounds import round_json

    store = Store(tmp_path / "office")
    names = ["甲镇人民政府", "乙镇人民政府", "丙县教育局"]
    rid = store.create_round(2024, "2024", [(n, new_token(), None) for n in names], None, "管理员")
    units = store.units(rid)
    verdicts = {}
    for kind, make in (("blank", blank_workbook), ("good", good_workbook)):
        for unit in units[:2]:
            path = make(tmp_path / f"{kind}{unit.position}.xlsx", unit.name)
            verdicts[kind, unit.id] = judge(str(path), None, path.name, unit.name, 2024, str(store.root))
    info = store.round(rid)
    steps = [("blank", units[0]), ("good", units[1]), ("good", units[0]), ("blank", units[1])]
    for kind, unit in steps:  # each step changes the round; the cached parts of the last one are reused
        store.add_upload(unit, f"{kind}.xlsx", "0" * 64, 1, verdicts[kind, unit.id], unit.name)
        warm = round_json(store, info)
        cold = Store(tmp_path / "office")  # a new store: nothing cached for it
        assert warm == round_json(cold, info)
        cold.close()
    statuses = {u["unit"]: u["status"] for u in json.loads(warm)["units"]}
    assert statuses == {names[0]: "ok", names[1]: "errors", names[2]: "missing"}
    store.close()
