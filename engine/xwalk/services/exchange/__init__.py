"""Exchange formats: OSCAL catalogs, mapping-collections and baselines, STRM and SSSOM import, the dataset export.

May import: what the services layer may, and the other services."""
