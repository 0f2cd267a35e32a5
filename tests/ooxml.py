"""An OOXML schema validator (openxml-audit, pure Python) for what gxsheet writes.

Excel and WPS cannot run here; a package that breaks the ECMA-376 schemas (an element out of
order, an undeclared attribute) is what makes them refuse a file or offer to "repair" it.
"""

from __future__ import annotations

from pathlib import Path

from openxml_audit import FileFormat, OpenXmlValidator

PROFILE = FileFormat.OFFICE_2010


def schema_errors(path: Path) -> list[str]:
    """Every schema and package error of one .xlsx or .docx, as text; empty when valid."""
    result = OpenXmlValidator(file_format=PROFILE, max_errors=0).validate(str(path))
    return [str(e) for e in result.errors]
