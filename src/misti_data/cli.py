"""The command line: parse options, call one library function, render, pick the exit code.

Heavy libraries (frictionless, pandera, polars) are imported inside the library functions,
so `misti-data --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from misti_data import __version__
from misti_data.errors import CannotRun

FORMATS = ["text", "json", "markdown", "github", "junit"]


class Cli(click.Group):
    """The one place where failures become exit codes: 2 = cannot run, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CannotRun as e:
            raise _fail(str(e)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            raise _fail("interrupted") from None
        except Exception as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise _fail(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)") from None


def _fail(message: str) -> click.ClickException:
    err = click.ClickException(message)
    err.exit_code = 2
    return err


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="misti-data")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Validate, diff and version Frictionless Data Packages.

    Exit codes: 0 valid / no differences, 1 invalid / differences, 2 cannot run.
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("package", default=".", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N findings per check (all are counted).")
@click.option("--allow-remote", is_flag=True, help="Read resources given as URLs.")
@click.option("--allow-outside", is_flag=True, help="Read resource paths outside the package folder.")
def validate(package, fmt, strict, limit, allow_remote, allow_outside):
    """Validate a Data Package: descriptor, tables, keys, hashes and provenance.

    PACKAGE is a folder, a datapackage.json or a .zip of a package (default: the current folder).

    \b
    Example:
        misti-data validate .
        misti-data validate releases/misti-indicators-1.0.0.zip --format json
        misti-data validate . --format github   # annotations in a GitHub Actions log
    """
    from misti_data.render import renderer
    from misti_data.validate import validate_package

    report = validate_package(package, allow_remote=allow_remote, allow_outside=allow_outside, strict=strict, limit=limit)
    click.echo(renderer(fmt).render(report), nl=False)
    sys.exit(0 if report.valid else 1)


@cli.command()
@click.argument("package", default=".", type=click.Path(exists=True))
def stamp(package):
    """Write each resource's current `hash` and `bytes` into datapackage.json.

    Run it after editing a CSV; `misti-data release` does it too.

    \b
    Example:
        misti-data stamp .
    """
    from misti_data.package import load_package
    from misti_data.stamp import stamp_package

    with load_package(package) as pkg:
        if pkg.from_archive:
            raise CannotRun(f"{package}: cannot stamp inside an archive")
        changed = stamp_package(pkg)
    click.echo(f"updated hash and bytes of: {', '.join(changed)}" if changed else "hash and bytes already up to date")


@cli.command()
def checks():
    """Print every check code, its severity and meaning, as the Markdown table in the README.

    \b
    Example:
        misti-data checks
    """
    from misti_data.checks import CATALOGUE
    from misti_data.render import catalogue

    click.echo(catalogue.render(CATALOGUE), nl=False)
