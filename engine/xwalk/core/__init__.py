"""The core layer: errors, paths, the vocabulary (namespaces and the one list of relations), the id normaliser,
the relation algebra and the small shared helpers (safe spreadsheet cells).

May import: the standard library only; nothing of the project outside `xwalk.core`."""
