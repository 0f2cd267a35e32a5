"""What a report's prose may say about its tables (reference §4, narrative ↔ tables), declared once.

Each claim is a row: the words the prose puts before a number (a regular expression over a
sentence whose full-width digits and punctuation were made ASCII), the cells whose sum that number
must equal, and how to compare. published/audit.py runs every row with one loop, as check.py runs
the rules. Words that make a number something else are declared with the claim: between the words
and the number (`not_between`), just before the words (`not_before`: "同意公开答复9件" is an
outcome, not the number closed), or anywhere in the clause (`not_in_clause`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import cell_key
from .tables import LITIGATION, ORGS, REVIEW, T3_COLUMNS, T3_GROUPS, T3_ROWS, T4_GROUPS, TABLE_3, TABLE_4


class How(StrEnum):
    """How a claim is compared with the tables."""

    EQUAL = "equal"  # the number is Σ keys
    RECEIVED = "received"  # 收到 N 件: Σ keys, or Σ keys + Σ plus when the prose counts those too (受理)
    PARTY = "party"  # by applicant: counted as the sentence's 收到 was (keys, or keys + plus)
    OUTCOME = "outcome"  # Σ keys; a share after it ("占60%") is of （七）总计
    VERDICT = "verdict"  # 均获维持 …: the keys (outcomes of 表四) in scope are 0; `warn` ones a warning
    NO_REQUESTS = "no_requests"  # 未收到申请: keys and plus are 0; plus only with plus_words in the gap, keys
    # only with `only` in the gap or `near` (plus named on its own) in the sentence
    NO_CASES = "no_cases"  # 未发生复议诉讼: the keys in scope are 0


@dataclass(frozen=True)
class Claim:
    """One thing the prose may say, and the cells it must agree with."""

    code: str
    words: str  # what names the figure, before its number (a regex; NONE claims put what they are about in `gap`)
    keys: tuple[str, ...]
    how: How = How.EQUAL
    gap: int = 10  # characters allowed between the words and the number
    not_between: str = ""
    not_before: str = ""
    not_in_clause: str = ""
    sentence: str = ""  # the sentence must say this for the claim to apply
    near: str = ""  # the words up to a few characters after the number must say this (NONE: see How)
    plus: tuple[str, ...] = ()  # cells the prose may count too (受理: 二、上年结转 as well as 一、本年新收)
    plus_words: str = ""  # words near the number (or, for NONE, in its gap) saying the prose counts plus too
    only: str = ""  # words that count the keys only, never plus (新收; for NONE, in its gap)
    may_add: str = ""  # words that may count keys + plus without being wrong (受理)
    number_first: bool = False  # "N件…结转下年度": the number stands before the words
    warn: tuple[str, ...] = ()  # VERDICT: cells whose non-zero is only a warning


def _t3(row: str, col: str = "total") -> str:
    return cell_key(TABLE_3.key, row, col)


def _group(label: str) -> tuple[str, ...]:
    return tuple(_t3(r.key) for r in T3_ROWS if len(r.path) == 3 and r.path[1] == label)


def _t4(outcome: str) -> tuple[str, ...]:
    return tuple(cell_key(TABLE_4.key, "", f"{g}.{outcome}") for g, _ in T4_GROUPS)


NEW, CARRIED, CLOSED, FORWARD = _t3("new"), _t3("carried_over"), _t3("closed"), _t3("carried_forward")
SHARE_BASES = ((CLOSED,), (NEW,), (NEW, CARRIED))  # what a share may be of: （七）总计 first
# Row names people shorten the long labels to in messages.
SHORT = {"new": "一、本年新收", "carried_over": "二、上年结转"}
# How the sum that stands in for a blank printed total is named, by the rule that defines the total.
THROUGH_BLANK = {"T3-ROW": "各类申请人之和", "T3-RESULT": "各项办理结果之和", "T4-SUM": "各项结果之和"}

# Words for things that are not applications for government information, or not this year's.
NOT_REQUESTS = r"复议|诉讼|建议|提案|来信|留言|投诉|咨询|问政|热线|举报|来电|信件|办件|处理费"
OUTCOME_WORDS = r"公开|提供|处理|结转|复议|诉讼"
VERDICT_WORDS = r"维持|纠正|纠错|结果|审结"

# The outcomes of 表三 as the prose writes them, with the rows they count.
OUTCOME_ROWS = (
    (r"(?<!不)(?<!部分)(?:予以|同意)公开", (_t3("granted"),)),
    (r"部分公开", (_t3("partial"),)),
    (r"不予以?公开", _group(T3_GROUPS[0])),
    (r"无法提供", _group(T3_GROUPS[1])),
    (r"不予以?处理", _group(T3_GROUPS[2])),
    (r"其他处理", _group(T3_GROUPS[3])),
)
OUTCOMES_SAID = "|".join(words for words, _ in OUTCOME_ROWS)  # "同意公开答复9件" is an outcome, not 办结
# The applicant columns of 表三 as the prose writes them: the label, and the common variants.
SYNONYMS = {ORGS: (ORGS, "法人和其他组织", "法人及其他组织")}
PARTY_COLUMNS = (
    (T3_COLUMNS[0].label, (T3_COLUMNS[0].key,)),
    ("|".join(SYNONYMS[ORGS]), tuple(c.key for c in T3_COLUMNS[1:-1])),
    *((c.label, (c.key,)) for c in T3_COLUMNS[1:-2]),  # 商业企业 … 法律服务机构 ("其他" alone says nothing)
)
T4_TOTALS = _t4("total")
# Which blocks of 表四 a clause is about: 复议 for 行政复议, 诉讼/起诉 for the two lawsuits (复议后起诉
# names a lawsuit, not a review); a clause naming both or neither is about all three.
T4_SCOPES = ((r"复议", tuple(g for g, _ in T4_GROUPS[:1])), (r"诉讼|起诉", tuple(g for g, _ in T4_GROUPS[1:])))
T4_SCOPE_IGNORE = T4_GROUPS[2][1][-1]

CLAIMS: tuple[Claim, ...] = (
    Claim("NARR-NEW", r"新收|收到|接收|接到|受理", (NEW,), How.RECEIVED, gap=24, not_between=NOT_REQUESTS,
          not_before=r"未|没有", near="申请", plus=(CARRIED,), plus_words="结转", only="新收", may_add="受理"),
    Claim("NARR-CARRIED", r"上一?年度?结转", (CARRIED,), gap=12, not_between=NOT_REQUESTS),
    Claim("NARR-CLOSED", r"办结|答复|办理完毕|处理完毕", (CLOSED,), not_between=f"{OUTCOME_WORDS}|{NOT_REQUESTS}",
          not_before=rf"(?:{OUTCOMES_SAID})(?:的|并|后)?", not_in_clause=r"复议|诉讼|结转"),
    Claim("NARR-FORWARD", r"结转(?:至|到|入)?下一?年度?", (FORWARD,), not_between=NOT_REQUESTS),
    Claim("NARR-FORWARD", r"结转(?:至|到|入)?下一?年", (FORWARD,), gap=8, not_between=NOT_REQUESTS,
          number_first=True),
    *(Claim("NARR-PARTY", words, tuple(_t3("new", c) for c in cols), How.PARTY, sentence="申请",
            not_between=f"{OUTCOME_WORDS}|{NOT_REQUESTS}", plus=tuple(_t3("carried_over", c) for c in cols))
      for words, cols in PARTY_COLUMNS),
    Claim("NARR-OUTCOME", r"予以公开(?:及|和|与|、|或|以及)部分公开", (_t3("granted"), _t3("partial")), gap=8),
    *(Claim("NARR-OUTCOME", words, keys, How.OUTCOME, gap=8, not_between=f"{OUTCOME_WORDS}|、")
      for words, keys in OUTCOME_ROWS),
    Claim("NARR-CASES", r"(?:行政)?复议(?:和|及|与|、|或)(?:行政)?诉讼", T4_TOTALS, not_between=VERDICT_WORDS),
    Claim("NARR-REVIEW", REVIEW, T4_TOTALS[:1], gap=12, not_between=rf"诉讼|起诉|{VERDICT_WORDS}|撤"),
    Claim("NARR-LITIGATION", LITIGATION, T4_TOTALS[1:], gap=12, not_between=rf"复议|{VERDICT_WORDS}|撤"),
    Claim("NARR-VERDICT", r"(?:均|全部|都)(?:获|被|予以|得到|为|是)?(?:法院|复议机关)?(?:依法)?维持",
          _t4("corrected") + _t4("pending"), How.VERDICT, sentence=r"复议|诉讼|起诉", warn=_t4("other")),
    Claim("NARR-VERDICT", r"(?:未|没有|无)(?:被|发生被?|出现被?)?(?:纠错|纠正)", _t4("corrected"), How.VERDICT,
          sentence=r"复议|诉讼|起诉"),
    Claim("NARR-VERDICT", r"均已(?:结案|审结)", _t4("pending"), How.VERDICT, sentence=r"复议|诉讼|起诉"),
    Claim("NARR-NONE", r"(?:未|没有)(?:收到|接到|接收到?|受理)(?P<gap>[^,;:。!?]{0,20}?)申请", (NEW,),
          How.NO_REQUESTS, not_between=NOT_REQUESTS, plus=(CARRIED,), plus_words="结转", only="新",
          near=r"上一?年度?结转"),
    Claim("NARR-NONE", r"(?:无|没有)(?P<gap>新收的?|上年结转的?|新的?)?(?:政府信息公开|依)申请", (NEW,),
          How.NO_REQUESTS, not_between=NOT_REQUESTS, plus=(CARRIED,), plus_words="结转", only="新",
          near=r"上一?年度?结转"),
    Claim("NARR-NONE", r"(?:未|没有|无)(?:发生|产生|出现|引发|涉及|收到|接到|被提起|提起)?"
          rf"(?P<gap>[^,;:。!?]{{0,24}}?)(?:{REVIEW}|{LITIGATION})", T4_TOTALS, How.NO_CASES,
          not_in_clause=r"纠错|纠正|败诉|撤销|确认违法|维持|审结|结案"),
)
