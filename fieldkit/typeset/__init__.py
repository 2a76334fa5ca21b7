"""The one PDF module: fonts, bidi lines, paragraphs, tables, page marks (ReportLab fenced here)."""
