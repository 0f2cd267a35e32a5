"""Reports that were already published (web pages, .docx, text): read, map to the schema, audit, import."""
