"""The report's inputs outside the three tables: basic information, narratives, figures, notes."""

from __future__ import annotations

from .model import Field, Kind
from .tables import T3_COLUMNS, TABLE_2, TABLE_3

BASIC = "基本信息"
OVERVIEW = "一、总体情况"
PUBLISHING = "主动公开发布"
PROBLEMS = "五、问题及改进"
OTHERS = "六、其他事项"
NOTES = "单元格备注"

PART_1 = "一、总体情况"
PART_5 = "五、存在的主要问题及改进情况"
PART_6 = "六、其他需要报告的事项"
REPORT_TITLE = "年政府信息公开工作年度报告"  # after the unit and the year
ROLLUP_MARK = "（汇总）"  # after the title of a round's roll-up (`collect --rollup`)

CHANNEL_SLOTS = 8
CATEGORY_SLOTS = 12
NOTE_SLOTS = 10

BASIC_FIELDS = (
    Field("unit", "机关全称", Kind.TEXT, BASIC, max_len=60, locked=True),
    Field("year", "报告年度", Kind.COUNT, BASIC, locked=True),
    Field("address", "通讯地址", Kind.TEXT, BASIC, max_len=100, prompt="如：山东省滕州市柴胡店镇驻地"),
    Field("postcode", "邮政编码", Kind.POSTCODE, BASIC),
    Field("phone", "联系电话", Kind.PHONE, BASIC),
    Field("email", "电子邮箱", Kind.EMAIL, BASIC),
    Field("website", "报告发布网站", Kind.TEXT, BASIC, max_len=80, prompt="电子版可查询下载的网站名称，如：中国滕州网"),
    Field("published", "发布日期", Kind.DATE, BASIC),
)

OVERVIEW_FIELDS = (
    Field("overview.summary", "总体情况概述", Kind.LONGTEXT, OVERVIEW, section=PART_1, required=False),
    Field("overview.active", "（一）主动公开", Kind.LONGTEXT, OVERVIEW, section=PART_1),
    Field("overview.requests", "（二）依申请公开", Kind.LONGTEXT, OVERVIEW, section=PART_1),
    Field("overview.management", "（三）政府信息管理", Kind.LONGTEXT, OVERVIEW, section=PART_1),
    Field("overview.platforms", "（四）平台建设", Kind.LONGTEXT, OVERVIEW, section=PART_1),
    Field(
        "overview.oversight",
        "（五）监督保障",
        Kind.LONGTEXT,
        OVERVIEW,
        section=PART_1,
        prompt="含工作考核、社会评议和责任追究结果情况",
    ),
)


def _slots(prefix: str, noun: str, count: int, section: str) -> tuple[Field, ...]:
    fields: list[Field] = []
    for i in range(1, count + 1):
        fields.append(
            Field(f"{prefix}.{i}.name", f"{noun}{i}名称", Kind.TEXT, PUBLISHING, section, False, 40)
        )
        fields.append(
            Field(f"{prefix}.{i}.count", f"{noun}{i}条数", Kind.COUNT, PUBLISHING, section, False, unit="条")
        )
    return tuple(fields)


CHANNELS = "按发布渠道"
CATEGORIES = "按信息类别"
PUBLISHING_FIELDS = (
    *_slots("pub.channel", "渠道", CHANNEL_SLOTS, CHANNELS),
    Field("pub.channel.total", "共发布政务信息", Kind.COUNT, PUBLISHING, CHANNELS, False, unit="条"),
    Field("pub.category_scope", "类别统计范围", Kind.TEXT, PUBLISHING, CATEGORIES, False, 40,
          prompt="类别统计所依据的渠道，如：滕州市政府信息公开网；留空表示全部渠道"),
    *_slots("pub.category", "类别", CATEGORY_SLOTS, CATEGORIES),
    Field("pub.category.total", "类别合计", Kind.COUNT, PUBLISHING, CATEGORIES, False, unit="条"),
)

PROBLEM_FIELDS = (
    Field("problems.last_year", "上年度问题整改情况", Kind.LONGTEXT, PROBLEMS, section=PART_5, required=False),
    Field("problems.current", "存在的主要问题", Kind.LONGTEXT, PROBLEMS, section=PART_5),
    Field("problems.measures", "改进措施", Kind.LONGTEXT, PROBLEMS, section=PART_5),
)

OTHER_FIELDS = (
    Field("others.fee", "收取信息处理费金额", Kind.AMOUNT, OTHERS, section=PART_6, unit="元",
          prompt="依据《政府信息公开信息处理费管理办法》收取的金额；未收取填0", heading="信息处理费收取情况"),
    Field("others.work_points", "落实上级年度政务公开工作要点情况", Kind.LONGTEXT, OTHERS, section=PART_6),
    Field("others.proposals", "人大代表建议和政协提案办理结果公开情况", Kind.LONGTEXT, OTHERS, section=PART_6),
    Field("others.other", "其他需要报告的事项", Kind.LONGTEXT, OTHERS, section=PART_6, required=False,
          heading="其他事项"),
)

NOTE_FIELDS = tuple(
    field
    for i in range(1, NOTE_SLOTS + 1)
    for field in (
        Field(f"note.{i}.cell", f"备注{i}所指单元格", Kind.CHOICE, NOTES, required=False),
        Field(f"note.{i}.text", f"备注{i}内容", Kind.TEXT, NOTES, required=False, max_len=100),
    )
)

# Last year's figures a new workbook is prefilled with (`gxsheet new --previous`), locked:
# "prev." + this year's key of the same figure last year.
PREVIOUS = "prev."
PREVIOUS_FIELDS = (
    *(Field(f"{PREVIOUS}t3.carried_forward.{c.key}", f"上年结转下年度·{c.label}", Kind.COUNT, TABLE_3.sheet,
            required=False, locked=True) for c in T3_COLUMNS[:-1]),
    *(Field(f"{PREVIOUS}t2.{row}.in_force", "上年现行有效件数", Kind.COUNT, TABLE_2.sheet, required=False,
            locked=True) for row in ("regulation", "normative")),
)

FIELDS = (*BASIC_FIELDS, *OVERVIEW_FIELDS, *PUBLISHING_FIELDS, *PROBLEM_FIELDS, *OTHER_FIELDS, *NOTE_FIELDS,
          *PREVIOUS_FIELDS)
