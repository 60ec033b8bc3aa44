"""`xwalk catalogs`, `infer`, `validate` and `build`: the commands that generate, check and load the data."""

import sys
from pathlib import Path

import click

from xwalk.cli.common import settings_of, store_of
from xwalk.core.errors import XwalkError


@click.command()
@click.option("--check", is_flag=True, help="Only report generated files that are stale; exit 1 if any.")
def catalogs(check: bool) -> None:
    """Regenerate ontology/catalogs/*.ttl and ontology/elements/*.ttl from the tables in their src/ folders."""
    from xwalk.core.paths import display
    from xwalk.load import catalogs as generator

    if check:
        stale = generator.stale()
        for path in stale:
            click.echo(f"stale: {display(path)} (run `xwalk catalogs`)")
        sys.exit(1 if stale else 0)
    changed = generator.write()
    click.echo("\n".join(f"wrote {display(p)}" for p in changed) or "catalogs are up to date")


@click.command()
@click.option("--check", is_flag=True, help="Only report whether mappings/derived.ttl is stale; exit 1 if so.")
def infer(check: bool) -> None:
    """Derive mappings by composing curated ones (A-B, B-C gives A-C) into mappings/derived.ttl."""
    from xwalk.services import infer as inference

    if check:
        if inference.stale():
            click.echo("stale: mappings/derived.ttl (run `xwalk infer`)")
            sys.exit(1)
        click.echo("mappings/derived.ttl is up to date")
        return
    click.echo(f"wrote {inference.write()} derived mappings to mappings/derived.ttl")


@click.command()
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL reasoner (HermiT), which needs Java.")
@click.pass_context
def validate(ctx: click.Context, no_reasoner: bool) -> None:
    """Check the graph: SHACL shapes, the named checks in ontology/checks/, OWL consistency."""
    from xwalk.services.validate import validate as run

    findings = run(store_of(ctx), with_reasoner=not no_reasoner)
    for finding in findings:
        click.echo(f"{finding.check}: {finding.message}")
    if findings:
        raise XwalkError(f"{len(findings)} violation(s)")
    click.echo("0 violations: SHACL shapes, named checks" + ("" if no_reasoner else " and OWL consistency") + " pass")


@click.command()
@click.option(
    "--store",
    "target",
    type=click.Path(file_okay=False),
    help="Directory to write the store to (replaced whole, only once the new one validates). Without it, the "
    "cache the commands answer from is filled instead.",
)
@click.option("--no-validate", is_flag=True, help="Write the store without validating it first.")
@click.pass_context
def build(ctx: click.Context, target: str | None, no_validate: bool) -> None:
    """Load every source file into a persistent store directory, after validating it; or, without --store, fill
    the cache (the loaded dataset and every baseline-independent answer) that the commands read while it matches
    the source files."""
    settings = settings_of(ctx)
    imports = settings.imports
    if target is None:
        _build_cache(no_validate, imports, settings.cache)
        return
    import shutil

    from xwalk.load import load
    from xwalk.services.validate import validate as run
    from xwalk.store import Store

    final = Path(target).resolve()
    scratch = final.with_name(f".{final.name}.building")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        built = load(Store(scratch), imports=imports)
        findings = [] if no_validate else run(built)
        built.flush()
        size = len(built)
        del built
        if findings:
            for finding in findings:
                click.echo(f"{finding.check}: {finding.message}", err=True)
            raise XwalkError(f"{len(findings)} violation(s); {final} was left as it was")
        if final.exists():
            shutil.rmtree(final)
        scratch.rename(final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    click.echo(f"wrote {size} quads to {final}")


def _build_cache(no_validate: bool, imports: Path | None, where: str | None) -> None:
    from xwalk.load import cache
    from xwalk.services import coverage
    from xwalk.services.catalog import Catalog
    from xwalk.services.validate import validate as run

    cached = cache.open_cached(imports=imports, where=where)
    if not isinstance(cached, cache.CachedStore):
        raise XwalkError("the cache is off (XWALK_CACHE=off): give --store DIR to write a store directory instead")
    findings = [] if no_validate else run(cached.store)
    if findings:
        for finding in findings:
            click.echo(f"{finding.check}: {finding.message}", err=True)
        raise XwalkError(f"{len(findings)} violation(s); fix them, then build again")
    coverage.prepare(Catalog(cached))
    click.echo(f"cached {len(cached)} quads and {len(cached.answers)} answers in {cached.where}")


COMMANDS = [catalogs, infer, validate, build]
