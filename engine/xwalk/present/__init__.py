"""The presentation layer: reports in every format (table, JSON, CSV, XLSX, Markdown, HTML) and the templates,
shared by the surfaces; nothing is computed here.

May import: `xwalk.core` and the services' result types."""
