"""A round clicked through in a real browser (Debian's chromium driven by Playwright): the office
creates it, a unit downloads its workbook, uploads a broken one and sees the red problems, uploads a
fixed one and passes; the office sees 通过, returns it with a comment, and the unit sees the comment.

Screenshots land in /tmp/serve-shots/ (or $SERVE_SHOTS) for people to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from printing import chromium
from serving import Running, good_workbook, running

from gxsheet.workbook.reader import read_workbook

pytestmark = pytest.mark.engine
SHOTS = Path(os.environ.get("SERVE_SHOTS", "/tmp/serve-shots"))
UNITS = ["甲镇人民政府", "乙街道办事处"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    with running(tmp_path / "office") as s:
        yield s


def test_a_round_in_the_browser(server: Running, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--lang=zh-CN"])
        office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        admin = office.new_page()
        admin.goto(f"{server.base}/admin?token={server.admin}")
        assert admin.url == f"{server.base}/admin"  # the token left the address bar
        cookie = next(c for c in office.cookies() if c["name"] == "gxsheet_admin")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        admin.fill("#year", "2024")
        admin.fill("#units", "\n".join(UNITS))
        admin.screenshot(path=SHOTS / "1-admin.png", full_page=True)
        admin.click("text=创建并生成各单位链接")
        expect(admin.locator("text=未提交 2")).to_be_visible()
        admin.click("text=各单位链接（可打印）")
        row = admin.locator("tr", has_text=UNITS[0])
        link = row.locator("td").nth(2).inner_text().strip()
        assert re.fullmatch(re.escape(server.base) + r"/u/[\w-]{20,}", link)

        town = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        town.goto(link)
        expect(town.locator("header h1")).to_contain_text(f"{UNITS[0]} · 2024年")
        with town.expect_download() as got:
            town.click("text=下载填报工作簿（.xlsx）")
        blank = tmp_path / "downloaded.xlsx"
        got.value.save_as(blank)
        assert read_workbook(blank).unit == UNITS[0]

        town.set_input_files("input[name=file]", str(blank))  # sent back unfilled: errors
        town.click("text=上传并校验")
        expect(town.locator(".verdict-bad")).to_contain_text("未通过校验")
        first_error = town.locator("tr.error").first
        expect(first_error).to_contain_text("未填写")
        assert first_error.evaluate("e => getComputedStyle(e).color") == "rgb(192, 0, 0)"
        town.screenshot(path=SHOTS / "2-unit-errors.png", full_page=False)

        town.set_input_files("input[name=file]", str(good_workbook(tmp_path / "填好的.xlsx", UNITS[0])))
        town.click("text=上传并校验")
        expect(town.locator(".verdict-ok").first).to_contain_text("通过校验")
        expect(town.locator("input[name=file]")).to_have_count(0)  # passed: closed
        town.screenshot(path=SHOTS / "3-unit-passed.png", full_page=True)

        admin.goto(f"{server.base}/admin")
        admin.click("text=2024年政府信息公开工作年度报告")
        unit_row = admin.locator("tr", has_text=UNITS[0])
        expect(unit_row.locator(".status")).to_have_text("通过")
        expect(admin.locator("text=未提交 1")).to_be_visible()
        admin.screenshot(path=SHOTS / "4-office-round.png", full_page=True)
        unit_row.locator("a").click()
        admin.select_option("#state", "returned")
        admin.fill("#comment", "第二部分“主动公开政府信息情况”过于简略，请补充具体做法后重新上传。")
        admin.click("text=提交")
        expect(admin.locator(".comment").first).to_contain_text("退回修改")
        admin.screenshot(path=SHOTS / "5-office-unit.png", full_page=True)

        town.goto(link)
        expect(town.locator(".comment").first).to_contain_text("过于简略")
        expect(town.locator(".comment").first).to_contain_text("退回修改")
        expect(town.locator("input[name=file]")).to_have_count(1)  # may upload again
        town.screenshot(path=SHOTS / "6-unit-returned.png", full_page=True)
        browser.close()
