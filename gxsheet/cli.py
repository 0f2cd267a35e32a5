"""The command line: a thin layer over the library (click). Everything users read is Chinese."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Optional

import click
from click.exceptions import Exit

from . import __version__
from .cli_chinese import Argument, ChineseCommand, ChineseGroup, run
from .names import clean, readable
from .outcome import Outcome, Status, exit_code, listing
from .paths import output_problem
from .xlsx import ReadError

# Each command imports what it needs inside itself, not here: a clerk checking one workbook must
# not wait for the workbook writer, the report writers or the published-report readers to load
# (bench/run.py --only-startup measures it). Every import inside a function below is for that.

PATH = click.Path(path_type=Path)  # checked by the library, which says what is wrong in Chinese
JSON = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（格式见 docs/json.md）")
OVERWRITE = click.option("--overwrite", is_flag=True, help="覆盖已存在的文件")


@click.group(cls=ChineseGroup, no_args_is_help=True,
             help="gxsheet：政府信息公开工作年度报告的填报工作簿、校验与成稿工具。",
             epilog="退出码：0 通过；1 发现问题（有错误，或未生成）；"
                    "2 文件无法读取、拒绝覆盖、无法写入或命令用法不正确；"
                    "3 程序内部出错（完整记录写入临时文件夹，请报告给维护者）。\n"
                    "本单位改写的模板：gxsheet --templates 文件夹 命令 …，或设环境变量 GXSHEET_TEMPLATES。")
@click.option("--templates", type=PATH, metavar="文件夹",
              help="本单位改写的模板所在文件夹（与 template/ 同结构；缺少的文件用自带的）")
def app(templates: Optional[Path]) -> None:
    from .templates import ENV_VAR, TemplateProblem, check_office_dir  # start-up: see the imports above

    if templates is not None:
        os.environ[ENV_VAR] = str(templates)  # inherited by worker processes
    try:
        check_office_dir()
    except TemplateProblem as exc:
        raise _fail(exc.message) from None


def _say(text: str = "", err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    print(clean(text), file=stream)  # a GBK file name (lone surrogates) is shown decoded, not as a crash


def _fail(message: str, code: int = 2) -> Exit:
    _say(f"错误：{message}", err=True)
    return Exit(code)


def _refuse_outputs(targets: Iterable[Path], overwrite: bool, suffixes: tuple[str, ...] = (), what: str = "") -> None:
    """Before any work: an output of the wrong kind, one that exists (without --overwrite), a folder
    where the file should be or a folder that cannot be written is one Chinese line and exit 2."""
    targets = list(targets)
    label = f"{what}：" if what else ""
    for t in targets:
        if suffixes and t.suffix.lower() not in suffixes:
            raise _fail(f"{label}输出文件 {readable(t)} 应以 {' 或 '.join(suffixes)} 结尾")
    existing = [readable(p) for p in targets if p.exists() and not p.is_dir()]
    if existing and not overwrite:
        more = "等" if len(existing) > 3 else ""
        raise _fail(f"{label}{'、'.join(existing[:3])}{more} 已存在；如需覆盖请加 --overwrite")
    if problem := next(filter(None, (output_problem(p, True) for p in targets)), ""):
        raise _fail(label + problem)


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _progress() -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """Files read so far, on one stderr line, only on a terminal; and what ends that line."""
    shown = sys.stderr.isatty()
    drawn: list[bool] = []

    def progress(done: int, total: int) -> None:
        # Plain characters only: a GBK console cannot print box-drawing glyphs or emoji.
        if shown:
            drawn[:] = [True]
            sys.stderr.write(f"\r已读取 {done}/{total}")
            sys.stderr.flush()

    def finish() -> None:
        if drawn:
            sys.stderr.write("\n")

    return progress, finish


@app.command(cls=ChineseCommand)
@click.option("-o", "--output", type=PATH, required=True, metavar="文件",
              help="要生成的工作簿文件（.xlsx）；用 --units 时为文件夹")
@click.option("--unit", metavar="机关全称", help="机关全称，如：柴胡店镇人民政府")
@click.option("--year", type=int, metavar="年度", help="报告年度，如：2024")
@click.option("--units", type=PATH, metavar="名单文件",
              help="单位名单：文本文件每行一个，或 .csv/.xlsx 的第一列")
@click.option("--previous", type=PATH, metavar="上年文件或文件夹",
              help="上年填好的工作簿或文件夹（按单位名称匹配），用于预填")
@click.option("--password", default="", metavar="密码", help="工作表保护密码（可不设）")
@click.option("--data", type=PATH, metavar="数据文件",
              help="预填数据文件（export 生成的 JSON，或同结构的 TOML）")
@OVERWRITE
def new(output: Path, unit: Optional[str], year: Optional[int], units: Optional[Path], previous: Optional[Path],
        password: str, data: Optional[Path], overwrite: bool) -> None:
    """生成锁定的填报工作簿；用 --units 为名单中的每个单位各生成一个。

    示例：gxsheet new -o 柴胡店镇2024.xlsx --unit 柴胡店镇人民政府 --year 2024
    示例：gxsheet new --units 单位名单.txt --year 2025 --previous 2024年/ -o 2025年下发/
    """
    from . import jsonio  # start-up: see the imports at the top
    from .crossyear import load_previous
    from .distribute import filename, read_units, write_forms
    from .prefill import prefill_values

    values: dict[str, object] = {}
    try:
        if data is not None:
            report = jsonio.load(data)
            unit, year = unit or report.unit, year or report.year
            values = prefill_values(report)
        names = read_units(units) if units is not None else [unit.strip()] if unit else []
        last = load_previous(previous) if previous is not None else {}
    except ReadError as exc:
        raise _fail(exc.message) from None
    if not names or not year:
        raise _fail("请用 --unit（或 --units）和 --year 指定机关全称和报告年度")
    if not 2000 <= year <= 2100:
        raise _fail(f"报告年度 {year} 不合理")
    targets = {n: output / filename(n) if units is not None else output for n in names}
    _refuse_outputs(targets.values(), overwrite, (".xlsx",))
    for name, target, prefilled in write_forms(targets, year, values, password, last):
        note = ""
        if previous is not None:
            note = "，已按上年报告预填" if prefilled else "，上年报告中没有该单位，未预填"
        _say(f"已生成 {target}（{name}{year}年{note}）")


@app.command(cls=ChineseCommand)
@click.argument("files", nargs=-1, required=True, type=PATH, metavar="工作簿或文件夹", cls=Argument,
                help="要校验的工作簿，可以多个，或文件夹")
@JSON
@click.option("--previous", type=PATH, metavar="上年文件或文件夹",
              help="上年的工作簿或文件夹（按单位名称匹配），用于跨年度校验")
@click.option("--mark", type=PATH, metavar="副本文件或文件夹",
              help="为有问题的单位另存一份标注副本：问题格红框并附批注，首页为问题回执；"
                   "校验一个文件时可给 .xlsx 文件名，否则为文件夹。原文件不会改动")
def check(files: tuple[Path, ...], as_json: bool, previous: Optional[Path], mark: Optional[Path]) -> None:
    """校验填好的工作簿：按原始输入重新计算全部规则。无错误退出码0，有错误1，文件无法读取2。

    示例：gxsheet check samples/柴胡店镇人民政府2024.xlsx --previous 2023年/
    示例：gxsheet check 甲镇.xlsx --mark 甲镇（问题标注）.xlsx
    """
    from .check_files import check_files  # start-up: see the imports at the top
    from .output import check_lines, check_summary

    try:
        outcomes = check_files(list(files), previous, keep=mark is not None)
    except ReadError as exc:
        raise _fail(f"上年报告 {previous}：{exc.message}") from None
    written: list[tuple[Path, Path]] = []
    if mark is not None:
        from .mark import write_marks  # start-up: the workbook writer, only for marked copies

        checked = [(o.path, o.result) for o in outcomes if o.path is not None and o.result is not None]
        try:
            written = write_marks(checked, mark)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    if as_json:
        _print_json(listing(outcomes, "files", (Status.OK, Status.ERRORS, Status.UNREADABLE)))
    else:
        for line in [*(line for o in outcomes for line in check_lines(o)), *check_summary(outcomes)]:
            _say(line)
        for path, copy in written:
            _say(f"{path} 的问题标注副本：{copy}")
        if mark is not None and not written:
            _say("没有发现问题，未生成标注副本")
    raise Exit(exit_code(o.status for o in outcomes))


@app.command(cls=ChineseCommand)
@click.argument("file", type=PATH, metavar="工作簿", cls=Argument,
                help="工作簿文件")
@click.option("-o", "--output", type=PATH, metavar="文件",
              help="输出 JSON 文件；不指定则打印")
@OVERWRITE
def export(file: Path, output: Optional[Path], overwrite: bool) -> None:
    """把工作簿的全部数据导出为 JSON（按稳定的单元格键）。

    示例：gxsheet export 柴胡店镇2024.xlsx -o 柴胡店镇2024.json
    """
    from . import jsonio  # start-up: see the imports at the top
    from .atomic import write_text
    from .workbook.reader import read_workbook

    try:
        report = read_workbook(file)
    except ReadError as exc:
        raise _fail(f"{file}：{exc.message}") from None
    text = jsonio.dumps(report)
    if output is None:
        sys.stdout.write(text)
        return
    _refuse_outputs([output], overwrite)
    write_text(output, text)
    _say(f"已导出 {output}")


@app.command(cls=ChineseCommand)
@click.argument("inputs", nargs=-1, required=True, type=PATH, metavar="工作簿或文件夹", cls=Argument,
                help="填好的工作簿，或包含工作簿的文件夹，可以多个")
@click.option("-o", "--output", type=PATH, metavar="文件或文件夹",
              help="输出文件（单个工作簿时）或文件夹")
@click.option("--format", "-f", "fmt", default="docx", show_default=True, metavar="格式",
              help="docx、html 或 pdf（pdf 需要 LibreOffice）")
@click.option("--force", is_flag=True, help="有错误也生成，文档醒目标注“未通过校验”")
@click.option("--overwrite", is_flag=True, help="覆盖已存在的输出文件")
@click.option("--previous", type=PATH, metavar="上年文件或文件夹",
              help="上年的工作簿或文件夹：跨年度校验，并写出“较上年增加N件”")
def build(inputs: tuple[Path, ...], output: Optional[Path], fmt: str, force: bool, overwrite: bool,
          previous: Optional[Path]) -> None:
    """把填好的工作簿编成年度报告（先校验，有错误不生成）。退出码：全部生成0，有错误1，无法读取或拒绝覆盖2。

    示例：gxsheet build samples/柴胡店镇人民政府2024.xlsx --format html -o 报告.html
    示例：gxsheet build 2025年收回/ -o 2025年报告/ --previous 2024年/
    """
    from .document import build as b  # start-up: see the imports at the top
    from .output import build_lines
    from .templates import TemplateProblem

    fmt = fmt.lower()
    if fmt not in b.FORMATS:
        raise _fail(f"--format 应为 docx、html 或 pdf，而不是“{fmt}”")
    if fmt == "pdf" and b.soffice() is None:
        raise _fail(b.NO_LIBREOFFICE)
    planned = b.plan(list(inputs), output, fmt)
    for why in planned.skipped.values():
        _say(f"跳过 {why}")
    if not planned.sources:
        raise _fail("没有找到要生成报告的工作簿（.xlsx）")
    _refuse_outputs(planned.outputs.values(), True)  # each existing report is refused (or replaced) in its turn
    done: list[Outcome] = []
    try:
        for outcome in b.build_many(planned, fmt, force, overwrite, previous):
            done.append(outcome)
            for line in build_lines(outcome):
                _say(line)
    except (b.NoLibreOffice, TemplateProblem, ReadError) as exc:
        raise _fail(getattr(exc, "message", str(exc))) from None
    built = sum(o.output is not None for o in done)
    if len(planned.sources) > 1:
        _say(f"共{len(planned.sources)}个工作簿：生成{built}份报告，跳过{len(planned.sources) - built}个")
    # A forced report was written: not a finding of this run (its document says 未通过校验).
    raise Exit(exit_code(Status.OK if o.output is not None else o.status for o in done))


@app.command(cls=ChineseCommand)
@click.argument("folder", type=PATH, metavar="文件夹", cls=Argument,
                help="收回的工作簿所在文件夹（含子文件夹）")
@click.option("-o", "--output", type=PATH, required=True, metavar="文件",
              help="要生成的汇总工作簿（.xlsx）")
@click.option("--expect", type=PATH, metavar="名单文件",
              help="应提交的单位名单：文本文件每行一个，或 .csv/.xlsx 的第一列")
@click.option("--previous", type=PATH, metavar="上年文件或文件夹",
              help="上年的工作簿或文件夹（按单位名称匹配），用于跨年度校验")
@click.option("--year", type=int, metavar="年度", help="本轮的报告年度；不指定时取多数工作簿的年度")
@JSON
@click.option("--overwrite", is_flag=True, help="覆盖已存在的汇总工作簿")
@click.option("--rollup", type=PATH, metavar="报告文件",
              help="另写一份汇总报告（.docx 或 .html），由通过校验单位的合计生成")
@click.option("--name", default="本地区", show_default=True, metavar="名称",
              help="汇总报告标题中的名称，如：滕州市")
@click.option("--mark", type=PATH, metavar="文件夹",
              help="为每个有问题的单位另存一份标注副本到此文件夹（问题格红框并附批注，首页为问题回执）；不能在收回的文件夹内")
def collect(folder: Path, output: Path, expect: Optional[Path], previous: Optional[Path], year: Optional[int],
            as_json: bool, overwrite: bool, rollup: Optional[Path], name: str, mark: Optional[Path]) -> None:
    """收齐各单位的工作簿：逐个校验，列出未提交、无法读取、有错误、重复提交的单位，并汇总通过校验单位的表二、表三、表四。
    退出码：应提交的单位全部通过0（不用 --expect 时为全部文件通过），否则1；文件夹不存在或拒绝覆盖2。

    示例：gxsheet collect 2025年收回/ --expect 单位名单.txt -o 汇总.xlsx
    """
    from .collect import collect as collect_round  # start-up: see the imports at the top
    from .distribute import read_units
    from .summary import write_summary

    if not folder.is_dir():
        raise _fail(f"文件夹 {folder} 不存在" if not folder.exists() else f"{folder} 不是文件夹")
    _refuse_outputs([output], overwrite, (".xlsx",))
    if rollup is not None:
        _refuse_outputs([rollup], overwrite, (".docx", ".html"), "汇总报告")
    if previous is not None and not previous.exists():
        raise _fail(f"上年报告 {previous} 不存在")
    if year is not None and not 2000 <= year <= 2100:
        raise _fail(f"报告年度 {year} 不合理")
    if mark is not None and mark.resolve().is_relative_to(folder.resolve()):
        raise _fail(f"标注副本文件夹 {mark} 不能放在收回的文件夹 {folder} 内")
    try:
        units = read_units(expect) if expect is not None else None
    except ReadError as exc:
        raise _fail(exc.message) from None
    progress, finish = _progress()
    try:
        outcome = collect_round(folder, units, previous, year, skip=[output], progress=progress)
    except ReadError as exc:
        raise _fail(f"上年报告 {previous}：{exc.message}") from None
    finish()
    write_summary(outcome, output)
    marked: list[tuple[Path, Path]] = []
    if mark is not None:
        from .mark import mark_round  # start-up: the workbook writer, only for marked copies

        marked = mark_round(outcome.flawed, mark, previous)
    if rollup is not None and outcome.counted:
        from .document.build import write  # start-up: the report writers, only for a roll-up report
        from .document.compose import compose_rollup

        write(compose_rollup(outcome.summed(), name, outcome.counted), rollup, rollup.suffix[1:].lower())
    if as_json:
        _print_json(outcome.as_dict(output))
    else:
        for line in outcome.lines():
            _say(line)
        _say(f"汇总工作簿：{output}")
        if mark is not None:
            _say(f"问题标注副本：{len(marked)}份，在 {mark}")
        if rollup is not None:
            _say(f"汇总报告：{rollup}" if outcome.counted else "没有通过校验的单位，未生成汇总报告")
    raise Exit(outcome.exit_code)


@app.command(cls=ChineseCommand)
@click.argument("reports", nargs=-1, required=True, type=PATH, metavar="报告或文件夹", cls=Argument,
                help="已发布的报告：网页（.html）、.docx、PDF 或文本（.txt），可以多个，或文件夹")
@click.option("--previous", type=PATH, metavar="上年报告",
              help="上年的报告（工作簿或已发布的报告），用于跨年度校验")
@click.option("-o", "--output", type=PATH, metavar="文件",
              help="另写一份审查结果工作簿（.xlsx）：每份报告一行，并列出每个问题")
@OVERWRITE
@JSON
def audit(reports: tuple[Path, ...], previous: Optional[Path], output: Optional[Path], overwrite: bool,
          as_json: bool) -> None:
    """审查已发布的年度报告：表格勾稽、空白格、格式版本、正文与表格是否一致、结构。无问题0，有问题1，无法读取2。

    示例：gxsheet audit 平潭2022.html --previous 平潭2021.html
    示例：gxsheet audit 2024年报告/ -o 审查结果.xlsx
    """
    from .audit_files import audit_files, previous_report, reports_in  # start-up: see the imports at the top
    from .output import audit_lines
    from .published.reader import PublishedError

    if output is not None:
        _refuse_outputs([output], overwrite, (".xlsx",))
    try:
        last = previous_report(previous) if previous is not None else None
    except (ReadError, PublishedError) as exc:
        raise _fail(f"上年报告 {previous}：{exc.message}") from None
    paths = reports_in(list(reports))
    progress, finish = _progress()
    outcomes: list[Outcome] = []
    for outcome in audit_files(paths, last, progress if output is not None or as_json else None):
        outcomes.append(outcome)
        if not as_json and output is None:
            for line in audit_lines(outcome):
                _say(line)
    finish()
    if output is not None:
        from .audit_summary import headline, write_audit_summary  # start-up: xlsxwriter, only for the workbook

        write_audit_summary(outcomes, output)
    if as_json:
        _print_json(listing(outcomes, "reports", (Status.OK, Status.FINDINGS, Status.UNREADABLE)))
    elif output is not None:
        _say(headline(outcomes))  # the workbook's own summary line: reading problems said apart
        _say(f"审查结果工作簿：{output}")
    raise Exit(exit_code(o.status for o in outcomes))


@app.command(name="import", cls=ChineseCommand)
@click.argument("report", type=PATH, metavar="报告", cls=Argument,
                help="已发布的报告：网页（.html）、.docx、PDF 或文本（.txt）")
@click.option("-o", "--output", type=PATH, required=True, metavar="文件",
              help="要生成的工作簿（.xlsx）")
@click.option("--unit", metavar="机关全称", help="机关全称（报告中识别不出时）")
@click.option("--year", type=int, metavar="年度", help="报告年度（报告中识别不出时）")
@OVERWRITE
def import_(report: Path, output: Path, unit: Optional[str], year: Optional[int], overwrite: bool) -> None:
    """把已发布的报告导入为填报工作簿，可作为下一年度 --previous 的上年数据，或改正后重新成稿。

    示例：gxsheet import 平潭2022.html -o 平潭2022.xlsx
    """
    from .published.importer import import_report  # start-up: see the imports at the top
    from .published.reader import PublishedError, read_published

    _refuse_outputs([output], overwrite, (".xlsx",))
    try:
        done = import_report(read_published(report), output, unit or "", year or 0)
    except PublishedError as exc:
        raise _fail(f"{report}：{exc.message}") from None
    except ValueError as exc:
        raise _fail(f"{report}：{exc}") from None
    _say(f"已导入 {output}：{'、'.join(done.tables) or '没有表格'}，共{done.cells}格")
    for reason in [*done.refused, *done.placed]:
        _say(f"  {reason}")


@app.command(cls=ChineseCommand)
@click.argument("folder", type=PATH, metavar="文件夹", cls=Argument,
                help="保存数据库和全部上传文件的文件夹（不存在则新建）")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听的地址；让本单位局域网内的电脑访问，用 0.0.0.0")
@click.option("--port", default=8000, show_default=True, type=int, metavar="端口", help="监听的端口")
def serve(folder: Path, host: str, port: int) -> None:
    """在本机运行网上收集：管理员建轮次、发链接、看进度，各单位在浏览器里下载、上传、看校验结果。按 Ctrl+C 停止。

    示例：gxsheet serve 2025年收集/ --host 0.0.0.0 --port 8000
    """
    from .serve import ServeProblem
    from .serve import serve as run_server

    if folder.exists() and not folder.is_dir():
        raise _fail(f"{folder} 不是文件夹")
    try:
        run_server(folder, host, port, say=_say)
    except ServeProblem as exc:
        raise _fail(exc.message) from None


@app.command(cls=ChineseCommand)
def version() -> None:
    """显示版本。"""
    from .schema import VERSION  # start-up: see the imports at the top

    _say(f"gxsheet {__version__}（模板 {VERSION}）")


def main() -> None:
    # A GBK console cannot print every character; replace rather than crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="replace")
    try:
        code = run(app)
    except OSError as exc:  # a disk full, a folder where a file should be, no permission: not a bug
        where = f" {exc.filename}" if exc.filename else ""
        _say(f"错误：无法读写文件{where}（{exc.strerror or type(exc).__name__}）", err=True)
        sys.exit(2)
    except Exception as exc:  # anything else is a bug: one line and a trace file, exit 3 (not 1, "has errors")
        from .crash import explain  # only after a bug: nothing to load before

        _say(f"错误：{explain(exc)}", err=True)
        sys.exit(3)
    sys.exit(code)


if __name__ == "__main__":
    main()
