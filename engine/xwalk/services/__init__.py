"""The services layer: the questions xwalk answers (catalog, baseline, coverage, exploration, statistics, SoA
draft, inference, validation) as typed results, and in `exchange/` the formats of the field (OSCAL, STRM, export).

May import: `xwalk.core`, `xwalk.store` (through the store interface and named queries), `xwalk.load`. Never the
presentation layer or a surface."""
