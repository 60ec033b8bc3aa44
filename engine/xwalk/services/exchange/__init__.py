"""Exchange formats: OSCAL (`oscal` the format's rules and writers, `oscal_read` the readers, `oscal_check` the
constraints its schema cannot express), STRM and SSSOM import (`strm_read` reads a STRM spreadsheet, `strm` checks
and writes the imported set), the dataset export, its description and the release.

May import: what the services layer may, and the other services."""
