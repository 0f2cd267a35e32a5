"""The official formats a published report may be printed in: the 2021 format and the 2019 trial format.

The 2021 format (国办公开办函〔2021〕30号) is the schema's own tables. The 2019 trial format
(国办公开办函〔2019〕60号) is declared here by its differences (reference §6): 表二 had other columns
and rows and cannot be mapped onto the 2021 columns; 表三 printed （六）其他处理 as one row, which
maps to （六）3.其他 while the two rows the 2019 format had not count as 0, so the 2021 rules are
the rules that applied then; 表四 and the six parts are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tables import APPLICANTS, ARTICLE, ITEM, LITIGATION, OTHER, REVIEW

V2021, V2019, UNKNOWN = "2021", "2019", "unknown"


@dataclass(frozen=True)
class Format:
    """One official format, as far as it differs from the schema's tables (the 2021 format)."""

    version: str
    notice: str
    last_year: int  # the last report year normally printed in it (0: still in force)
    t2_mappable: bool = True  # its 表二 maps onto the schema's 表二
    t2_renamed: dict[str, str] = field(default_factory=dict)  # its row label → the 2021 row key
    t2_rows: tuple[str, ...] = ()  # rows of 表二 the 2021 format has not
    t2_columns: tuple[str, ...] = ()  # column headers of 表二 the 2021 format has not
    t2_items: tuple[str, ...] = ()  # 第二十条 items of 表二 the 2021 format has not ("九" of 第二十条第（九）项)
    t3_unsplit: str = ""  # a 表三 group printed as one row ...
    t3_unsplit_row: str = ""  # ... and the 2021 row key it maps to
    t3_absent: tuple[str, ...] = ()  # 表三 rows the format has not: 0 under the rules that applied then


FORMAT_2021 = Format(V2021, "国办公开办函〔2021〕30号", 0)
FORMAT_2019 = Format(
    V2019,
    "国办公开办函〔2019〕60号",
    2020,
    t2_mappable=False,
    t2_renamed={"规范性文件": "normative"},
    t2_rows=("其他对外管理服务事项", "政府集中采购"),
    t2_columns=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "本年增减",
                "处理决定数量", "采购项目数量", "采购总金额"),
    t2_items=("九", "十"),
    t3_unsplit=OTHER,
    t3_unsplit_row="other_other",
    t3_absent=("other_no_correction", "other_unpaid"),
)
FORMATS = {f.version: f for f in (FORMAT_2021, FORMAT_2019)}

# Words by which a reader knows a table of the report among a page's tables (a short cell holding
# one): fragments of the labels above the values, the same in both formats.
TABLE_MARKERS = (ARTICLE, ITEM, APPLICANTS, "本年新收", "上年结转", "本年度办理结果", "予以公开", "结转下年度",
                 REVIEW, LITIGATION, "处理决定", "制发件数", "收费金额")
