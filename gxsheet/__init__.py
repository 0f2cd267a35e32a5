"""gxsheet: the 政府信息公开工作年度报告, from a locked workbook to the published report."""

__version__ = "0.1.0"
