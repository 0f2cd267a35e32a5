"""Tables 二, 三 and 四 of the 2021 format (国办公开办函〔2021〕30号), labels verbatim."""

from __future__ import annotations

from .model import Block, Column, Kind, Row, Table

# --- 表二 ------------------------------------------------------------------------------
ITEM = "信息内容"
ARTICLE = "第二十条"


def item_title(numeral: str) -> str:
    """The title row of a 表二 block: the item of 条例 第二十条 it publishes ("五" → 第二十条第（五）项)."""
    return f"{ARTICLE}第（{numeral}）项"


DECISIONS = Column("decisions", ("本年处理决定数量",))

TABLE_2 = Table(
    key="t2",
    name="表二",
    title="二、主动公开政府信息情况",
    sheet="二、主动公开",
    blocks=(
        Block(
            title=item_title("一"),
            corner=ITEM,
            rows=(Row("regulation", ("规章",)), Row("normative", ("行政规范性文件",))),
            columns=(
                Column("issued", ("本年制发件数",)),
                Column("repealed", ("本年废止件数",)),
                Column("in_force", ("现行有效件数",)),
            ),
        ),
        Block(
            title=item_title("五"),
            corner=ITEM,
            rows=(Row("licensing", ("行政许可",)),),
            columns=(DECISIONS,),
        ),
        Block(
            title=item_title("六"),
            corner=ITEM,
            rows=(Row("penalty", ("行政处罚",)), Row("coercion", ("行政强制",))),
            columns=(DECISIONS,),
        ),
        Block(
            title=item_title("八"),
            corner=ITEM,
            rows=(Row("fees", ("行政事业性收费",)),),
            columns=(Column("amount", ("本年收费金额（单位：万元）",), short="本年收费金额"),),
            kind=Kind.AMOUNT,
            unit="万元",
        ),
    ),
)

# --- 表三 ------------------------------------------------------------------------------
APPLICANTS = "申请人情况"
ORGS = "法人或其他组织"
RESULTS = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
REJECTED = "（五）不予处理"
OTHER = "（六）其他处理"

T3_COLUMNS = (
    Column("natural", (APPLICANTS, "自然人")),
    Column("commercial", (APPLICANTS, ORGS, "商业企业")),
    Column("research", (APPLICANTS, ORGS, "科研机构")),
    Column("nonprofit", (APPLICANTS, ORGS, "社会公益组织")),
    Column("legal", (APPLICANTS, ORGS, "法律服务机构")),
    Column("other_org", (APPLICANTS, ORGS, "其他")),
    Column("total", (APPLICANTS, "总计")),
)


def _items(key: str, group: str, labels: tuple[str, ...]) -> tuple[Row, ...]:
    keys = key.split()
    return tuple(Row(f"{group_key}", (RESULTS, group, label)) for group_key, label in zip(keys, labels, strict=True))


T3_ROWS = (
    Row("new", ("一、本年新收政府信息公开申请数量",)),
    Row("carried_over", ("二、上年结转政府信息公开申请数量",)),
    Row("granted", (RESULTS, "（一）予以公开")),
    Row("partial", (RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), short="（二）部分公开"),
    *_items(
        "withheld_secret withheld_law withheld_safety withheld_third_party withheld_internal "
        "withheld_process withheld_enforcement withheld_inquiry",
        WITHHELD,
        (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ),
    ),
    *_items(
        "unavailable_not_held unavailable_needs_making unavailable_unclear",
        UNAVAILABLE,
        ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"),
    ),
    *_items(
        "rejected_petition rejected_repeat rejected_publication rejected_excessive rejected_confirm",
        REJECTED,
        (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
    ),
    *_items(
        "other_no_correction other_unpaid other_other",
        OTHER,
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ),
    ),
    Row("closed", (RESULTS, "（七）总计")),
    Row("carried_forward", ("四、结转下年度继续办理",)),
)

TABLE_3 = Table(
    key="t3",
    name="表三",
    title="三、收到和处理政府信息公开申请情况",
    sheet="三、依申请公开",
    blocks=(
        Block(
            rows=T3_ROWS,
            columns=T3_COLUMNS,
            corner="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            label_width=3,
        ),
    ),
)

# --- 表四 ------------------------------------------------------------------------------
OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
REVIEW = "行政复议"
LITIGATION = "行政诉讼"
T4_GROUPS = (
    ("review", (REVIEW,)),
    ("direct", (LITIGATION, "未经复议直接起诉")),
    ("after_review", (LITIGATION, "复议后起诉")),
)

TABLE_4 = Table(
    key="t4",
    name="表四",
    title="四、政府信息公开行政复议、行政诉讼情况",
    sheet="四、复议诉讼",
    blocks=(
        Block(
            rows=(Row("", ("",)),),
            columns=tuple(
                Column(f"{group}.{key}", (*path, label), short=f"{path[-1]}·{label}")
                for group, path in T4_GROUPS
                for key, label in OUTCOMES
            ),
            label_width=0,
        ),
    ),
)

TABLES = (TABLE_2, TABLE_3, TABLE_4)

# Groups of 表三 rows that narratives quote as subtotals; the printed table has no rows for them.
T3_GROUPS = (WITHHELD, UNAVAILABLE, REJECTED, OTHER)
