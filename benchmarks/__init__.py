"""Side-by-side benchmarks of the xwalk engine: `python -m benchmarks` (see benchmarks/README.md).

Every part compares in one run, on one machine: the engine (pyoxigraph) against rdflib running the same SPARQL and
against a plain-Python floor; the engine at growing synthetic sizes; the SPARQL endpoint against rdflib-endpoint;
a cold `xwalk coverage` process against a bare `import pyoxigraph`. Nothing here is a timed test: the test suite
runs every part at its tiniest size only, to prove it works.
"""
