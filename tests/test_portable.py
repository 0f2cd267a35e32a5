"""Nothing in the code or the tests names a place on one machine: a clone works wherever it is put."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT

# A path rooted in one machine's folders: /work/…, /home/…, /root/…, /Users/…, C:\…
ABSOLUTE = re.compile(r"""["'](?:/(?:work|home|root|Users|mnt)/|[A-Za-z]:\\\\)""")
CHECKED = (".py", ".toml", ".cfg", ".ini", ".sh", "Makefile", "run")


def test_no_absolute_machine_paths() -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = []
    for name in listed.splitlines():
        if not name.endswith(CHECKED) or not (ROOT / name).is_file():
            continue
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            if ABSOLUTE.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
