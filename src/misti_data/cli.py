"""The command line: parse options, call one library function, render, pick the exit code.

Heavy libraries (frictionless, pandera, polars) are imported inside the library functions,
so `misti-data --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from misti_data import __version__
from misti_data.cli_options import (
    FORMAT,
    color_option,
    format_option,
    key_option,
    profile_option,
    quiet_option,
    tolerance_option,
    written_options,
)
from misti_data.errors import CannotRun
from misti_data.export import TARGETS


class Cli(click.Group):
    """The one place where failures become exit codes: 2 = cannot run, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CannotRun as e:
            if ctx.meta.get(FORMAT) == "github":
                from misti_data.render.github import cannot_run

                click.echo(cannot_run(str(e)))  # so the workflow run shows why, not just "exit 2"
            raise _fail(str(e)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            raise _fail("interrupted") from None
        except Exception as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise _fail(
                f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)"
            ) from None


def _reading(quiet: bool) -> dict:
    """What a command that reads tables passes its library call: progress on a terminal (none
    with --quiet) and --max-descriptor-mb."""
    from misti_data.progress import progress_for

    return {"progress": progress_for(quiet), "descriptor_bytes": _descriptor_bytes()}


def _fail(message: str) -> click.ClickException:
    from misti_data.words import printable

    err = click.ClickException(printable(message))  # a path may hold an escape sequence
    err.exit_code = 2
    return err


def emit(result, fmt: str, **options) -> None:
    """Print `result` in `fmt` (a refusal on stderr) and exit with the result's exit code;
    `options` (`limit`) go to the renderer."""
    from misti_data.render import render

    out, err = render(result, fmt, **options)
    click.echo(out, nl=False)
    click.echo(err, nl=False, err=True)
    sys.exit(result.exit_code)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="misti-data")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.option(
    "--max-descriptor-mb",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Refuse a datapackage.json (or schema, dialect file) larger than this many MB.",
)
@color_option("auto")
@click.pass_context
def cli(ctx: click.Context, debug: bool, max_descriptor_mb: int) -> None:
    """Validate, diff and version Frictionless Data Packages.

    Exit codes: 0 valid / no differences, 1 invalid / differences, 2 cannot run.
    """
    ctx.obj = {"debug": debug, "descriptor_bytes": max_descriptor_mb * 1024**2}


def _descriptor_bytes() -> int:
    """--max-descriptor-mb in bytes, which every command passes to the library call that opens a package."""
    return click.get_current_context().obj["descriptor_bytes"]


@cli.command()
@click.argument("package", default=".", type=click.Path())
@format_option("validate")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Show at most N findings per check (all are counted).",
)
@click.option("--allow-remote", is_flag=True, help="Read resources given as URLs.")
@click.option(
    "--allow-outside", is_flag=True, help="Read resource paths outside the package folder."
)
@profile_option
@color_option(None)
@quiet_option
def validate(package, fmt, strict, limit, allow_remote, allow_outside, profiles, quiet):
    """Validate a Data Package: descriptor, tables, keys, hashes and provenance.

    PACKAGE is a folder, a datapackage.json, a .zip of a package, or git:REV (the package in the
    current folder as it is in that git revision); default: the current folder.
    What the Data Package standard says MUST is an error, what it says SHOULD a warning; a
    profile (--profile, or misti_data.profile in the descriptor) adds its own conventions.

    \b
    Example:
        misti-data validate .
        misti-data validate releases/misti-indicators-1.0.0.zip --format json
        misti-data validate git:main            # the package as the main branch has it
        misti-data validate . --format github   # annotations in a GitHub Actions log
        misti-data validate other-package/ --profile misti-data
    """
    from misti_data.validate import validate_package

    emit(
        validate_package(
            package,
            allow_remote=allow_remote,
            allow_outside=allow_outside,
            strict=strict,
            profiles=profiles,
            locate=fmt == "github",
            **_reading(quiet),
        ),
        fmt,
        limit=limit,
    )


@cli.command()
@click.argument("package", default=".", type=click.Path(exists=True))
@format_option("stamp")
def stamp(package, fmt):
    """Write each resource's current `hash` and `bytes` into datapackage.json.

    Run it after editing a CSV; `misti-data release` does it too.

    \b
    Example:
        misti-data stamp .
    """
    from misti_data.stamp import stamp_source

    emit(stamp_source(package, descriptor_bytes=_descriptor_bytes()), fmt)


@cli.command()
@click.argument("package", default=".", type=click.Path())
@click.option(
    "--to",
    "formats",
    type=click.Choice([*TARGETS, "all"]),
    multiple=True,
    default=["all"],
    show_default=True,
    help="What to write (repeat for several).",
)
@written_options("", "exports", "Export")
@format_option("export")
@quiet_option
def export(package, formats, out, no_validate, fmt, quiet):
    """Write the package as an Excel workbook, a SQLite database and CSVW metadata.

    Refuses an invalid package (exit 1): run `misti-data validate` to see why.

    \b
    Example:
        misti-data export . --to xlsx --to sqlite
        misti-data export . --to all --out public/downloads
    """
    from misti_data.export import export_package

    chosen = TARGETS if "all" in formats else tuple(formats)
    emit(
        export_package(
            package,
            chosen,
            out,
            validate=not no_validate,
            **_reading(quiet),
        ),
        fmt,
    )


@cli.command()
@click.argument("package", default=".", type=click.Path())
@written_options("the site (replaced whole) ", "site", "Build the site")
@click.option(
    "--base-url",
    metavar="URL",
    help="The address the folder will be published at, for this build (default: `homepage` "
    "in datapackage.json); makes the page's identifiers, feed and download addresses absolute.",
)
@format_option("site")
@quiet_option
def site(package, out, base_url, no_validate, fmt, quiet):
    """Build the package's site: a folder that stands alone, ready to upload.

    index.html shows each indicator with its value, qualifier, source and quote, a chart for
    every indicator with more than one period, the tables, downloads and CHANGELOG.md; beside it
    are copies of every file it links to (descriptor, tables, schemas, release archives,
    SHA256SUMS, the releases' feed, the exports), all linked relative to the folder.
    Run `misti-data export` first to include the exports. Refuses an invalid package (exit 1).

    \b
    Example:
        misti-data export . && misti-data site .
        misti-data site . --out _site --base-url https://example.org/misti/
    """
    from misti_data.site import build_site

    emit(
        build_site(
            package,
            out,
            base_url=base_url,
            validate=not no_validate,
            **_reading(quiet),
        ),
        fmt,
    )


@cli.command()
@click.argument("old")
@click.argument("new")
@format_option("diff")
@tolerance_option("--atol", "Numbers closer than this are equal.")
@tolerance_option("--rtol", "Numbers closer than rtol × |new| are equal.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help="Show at most N rows per kind of change and resource [text, markdown: 20; json: all].",
)
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when the packages differ (like git diff --exit-code)."
)
@key_option
@color_option(None)
@quiet_option
def diff(old, new, fmt, atol, rtol, limit, exit_code, keys, quiet):
    """Show what changed between two packages: metadata, resources, schemas and rows.

    OLD and NEW are each a package folder, a datapackage.json, a .zip release, or git:REV
    (the package in the current folder as it is in that git revision). Rows are matched by the
    primary key (without one, by the smallest set of columns unique in both versions, which the
    report names: "key inferred: Date") and compared as the schema types them (10 equals 10.0).
    Exit 1 when the comparison met a problem (duplicate key, ragged row), or with --exit-code
    when anything differs.

    \b
    Example:
        misti-data diff releases/misti-indicators-1.0.0.zip .
        misti-data diff git:main . --format markdown
        misti-data diff old/ new/ --key country-codes:ISO3166-1-Alpha-3
    """
    from misti_data.diff import diff_sources

    result = diff_sources(
        old,
        new,
        atol=atol,
        rtol=rtol,
        keys=keys,
        fail_on_difference=exit_code,
        **_reading(quiet),
    )
    emit(result, fmt, limit=limit)


@cli.command()
@click.argument("packages", nargs=-1, metavar="[OLD NEW | PACKAGE]")
@click.option(
    "--check",
    "base",
    metavar="BASE",
    help="Check the package's version against BASE: a release .zip, a folder, or a git revision (main, git:origin/main).",
)
@click.option(
    "--strict", is_flag=True, help="With --check: validation warnings withhold the advice too."
)
@profile_option
@format_option("version")
@key_option
@color_option(None)
def version(packages, base, strict, profiles, fmt, keys):
    """Recommend the version bump from OLD to NEW, or check the declared version with --check.

    Follows the Frictionless "Data Package Version" recipe: MAJOR when something is removed,
    renamed, retyped or tightened; MINOR when resources, fields or rows are added or a constraint
    is loosened; PATCH for corrected values and descriptive metadata. Rows are matched as `diff`
    matches them (--key, the primary key, or a key inferred from the data), and a column renamed,
    added, removed or reordered in a CSV's header counts like the same change to its schema.
    With --check BASE [PACKAGE]
    (default PACKAGE: the current folder) it validates PACKAGE, then exits 1 when datapackage.json's
    version is lower than the change requires, or when a published value changed without a row in
    the revisions table. While PACKAGE is invalid it gives no advice: fix the errors first.

    \b
    Example:
        misti-data version releases/misti-indicators-1.0.0.zip .
        misti-data version --check releases/misti-indicators-1.1.0.zip
        misti-data version --check origin/main
    """
    from misti_data.version import check_version, version_between

    if base is not None:
        if len(packages) > 1:
            raise click.UsageError(
                "with --check, give at most one PACKAGE (default: the current folder)"
            )
        advice = check_version(
            base,
            packages[0] if packages else ".",
            strict=strict,
            profiles=profiles,
            keys=keys,
            descriptor_bytes=_descriptor_bytes(),
        )
    elif len(packages) == 2:
        advice = version_between(*packages, keys=keys, descriptor_bytes=_descriptor_bytes())
    else:
        raise click.UsageError("give OLD and NEW, or --check BASE")
    emit(advice, fmt)


@cli.command()
@click.argument("package", default=".", type=click.Path(exists=True, file_okay=False))
@format_option("release")
@quiet_option
def release(package, fmt, quiet):
    """Release the package: stamp hashes, write the changelog, releases/<name>-<version>.zip and its sha256.

    Refuses when the version is already released, when git has uncommitted changes to the
    package's files, or when the package is invalid (exit 1). The archive is reproducible: the same
    package gives the same bytes. Prints the git commands that commit and tag the release.

    \b
    Example:
        misti-data release .
    """
    from misti_data.release import release_package

    emit(
        release_package(package, **_reading(quiet)),
        fmt,
    )


@cli.command()
@click.argument("file", type=click.Path())
@click.argument("package", default=".", type=click.Path())
@format_option("draft")
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The publication's date, which 'last year' is read against  [default: its dateline]",
)
@click.option(
    "--write",
    is_flag=True,
    help="Add the new rows, and FILE as a source, to PACKAGE; only if it stays valid.",
)
@click.option("--title", help="With --write: the title of a new source  [default: [FILE's name]]")
def draft(file, package, fmt, published, write, title):
    """Draft the observation rows a saved publication states, for you to review.

    FILE is the publication saved as text or as an HTML page (its article is taken out). Each
    figure is placed on an indicator by the terms in indicators.csv, with its area, period,
    qualifier, rounded_to and the shortest quote the quote check accepts, and shown beside the
    package's value when it has one (same, or a revision, which needs a revisions row you
    write); every other figure is listed as unplaced, with why. --write adds the new rows (never
    a revision) and FILE as a source, then validates: nothing is written if the package would
    be invalid (exit 1).

    \b
    Example:
        misti-data draft seeds/misti-2027-02-23-review-conference.txt
        misti-data draft seeds/misti-2027-02-23-review-conference.txt --write
        misti-data draft saved-page.html --published 2027-02-23 --format csv
    """
    from misti_data.draft import draft_file

    day = published.date() if published else None
    emit(draft_file(file, package, published=day, write=write, title=title), fmt)


@cli.command()
@format_option("checks")
def checks(fmt):
    """Print every check code, its severity and meaning, as the Markdown table in docs/cli.md.

    \b
    Example:
        misti-data checks
    """
    from misti_data.registry import Catalogue

    emit(Catalogue(), fmt)


@cli.command()
@click.argument("package", default=".", type=click.Path())
@click.option(
    "--base",
    metavar="REF",
    help="What the change is compared with: a git revision (main, origin/main, a commit), a release .zip or a folder  [default: the latest release in PACKAGE/releases/]",
)
@format_option("ci", help="Report format (github: annotations on the changed lines).")
@click.option(
    "--summary",
    type=click.Path(dir_okay=False),
    help="Also append the Markdown report to FILE (e.g. $GITHUB_STEP_SUMMARY).",
)
@click.option("--strict", is_flag=True, help="Fail on validation warnings too.")
@profile_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Show at most N findings per check, and N rows per kind of change and resource in the diff [default: 20 rows].",
)
@color_option(None)
@quiet_option
def ci(package, base, fmt, summary, strict, profiles, limit, quiet):
    """Gate a data change: validate, diff against BASE, and check the version follows from the diff.

    Exits 1 when the package is invalid, a published value changed without a revision row, or
    datapackage.json's version is lower than the change requires (the message says which to use).
    While the package is invalid, no version advice is given: fix the errors first.

    \b
    Example:
        misti-data ci                      # against the latest release in releases/
        misti-data ci --base main          # against a branch (or a commit)
        misti-data ci . --base origin/main --format github --summary "$GITHUB_STEP_SUMMARY"
    """
    from pathlib import Path

    from misti_data.atomic import write_text
    from misti_data.gate import run_gate
    from misti_data.render import render

    result = run_gate(
        package,
        base,
        strict=strict,
        profiles=profiles,
        **_reading(quiet),
    )
    if summary:
        path = Path(summary)
        before = path.read_text(encoding="utf-8") if path.is_file() else ""
        write_text(path, before + render(result, "markdown", limit=limit)[0])
    emit(result, fmt, limit=limit)
