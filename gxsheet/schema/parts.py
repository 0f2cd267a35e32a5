"""The six first-level parts of the report (reference §2), and how real reports word their headings.

The titles are the format's own (三 of them are the parts that hold 表二, 表三 and 表四);
`HEADINGS` are the cores a heading may have after its numbering, as regular
expressions over squeezed text (NFKC, no spaces): the printed title and its common variants.
"""

from __future__ import annotations

from .fields import PART_1, PART_5, PART_6
from .tables import TABLE_2, TABLE_3, TABLE_4

PART_TITLES = (PART_1, TABLE_2.title, TABLE_3.title, TABLE_4.title, PART_5, PART_6)
NUMERALS = "一二三四五六"  # the numbering of the six parts: 一、 … 六、

# The core of each part's heading, in part order; 四 is worded in many ways around 复议/诉讼.
HEADINGS = (
    r"^总体情况",
    r"^主动公开政府信息的?情况",
    r"^收到和处理政府信息公开申请的?情况",
    r"^(?:因|关于)?政府信息公开.{0,12}?(?:复议|诉讼)|^.{0,20}?(?:复议|诉讼).{0,10}?情况$",
    r"^(?:政府信息公开工作)?存在的?主要问题",
    r"^其他需要报告的事项",
)
