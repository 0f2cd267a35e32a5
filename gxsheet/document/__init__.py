"""The finished report: composed from a checked Report, written as .docx, HTML or PDF."""
