"""The options several commands share, each a small decorator, so a command names its options
and one place words them."""

from __future__ import annotations

import click

from misti_data.profiles import PROFILES
from misti_data.render import REPORT_FORMATS


def quiet_option(command):
    """--quiet: no progress on stderr (it is shown only on a terminal anyway)."""
    return click.option("--quiet", "-q", is_flag=True, help="Show no progress on stderr.")(command)


def profile_option(command):
    """--profile NAME: judge by a profile's conventions too, besides the standard (repeatable)."""
    names = "; ".join(f"{name}: {meaning}" for name, meaning in PROFILES.items())
    return click.option(
        "--profile",
        "profiles",
        type=click.Choice(list(PROFILES)),
        multiple=True,
        help=f"Also judge by this profile ({names}). A package opts in under misti_data.profile.",
    )(command)


FORMAT = "misti_data.format"  # ctx.meta key: the report format chosen, for how errors are shown


def _remember_format(ctx: click.Context, param, value):
    ctx.meta[FORMAT] = value
    return value


def written_options(what: str, default: str, doing: str):
    """--out and --no-validate: where export and site write `what`, and whether they validate first."""

    def decorate(command):
        command = click.option(
            "--no-validate",
            is_flag=True,
            help=f"{doing} without validating first (not recommended).",
        )(command)
        return click.option(
            "--out",
            type=click.Path(file_okay=False),
            help=f"Folder to write {what}into  [default: PACKAGE/{default}]",
        )(command)

    return decorate


def format_option(subject: str, help: str = "Report format."):
    """--format: the formats misti_data.render offers for this command's result."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(REPORT_FORMATS[subject]),
        default="text",
        show_default=True,
        callback=_remember_format,
        help=help,
    )


def _set_color(ctx: click.Context, param, value: str | None) -> None:
    """auto: colour on a terminal, unless NO_COLOR is set (no-color.org) or TERM is dumb."""
    import os

    if value is None:
        return  # a command without --color keeps the global choice
    if value == "auto":
        ctx.color = (
            False if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb" else None
        )
    else:
        ctx.color = value == "always"


def color_option(default: str | None):
    return click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default=default,
        callback=_set_color,
        expose_value=False,
        is_eager=True,
        show_default=default is not None,
        help="Colour the text report: auto (on a terminal, unless NO_COLOR or TERM=dumb), always, never.",
    )


def _parse_keys(ctx: click.Context, param, values: tuple[str, ...]) -> dict[str, list[str]]:
    """`--key RESOURCE:COL,COL` (repeatable) as {resource: [columns]}."""
    keys: dict[str, list[str]] = {}
    for value in values:
        resource, sep, columns = value.partition(":")
        names = [c.strip() for c in columns.split(",") if c.strip()]
        if not sep or not resource or not names:
            raise click.BadParameter(
                f"{value!r} is not RESOURCE:COLUMN[,COLUMN…] (e.g. annual:Date)", ctx, param
            )
        if resource in keys:
            raise click.BadParameter(f"{resource} is given twice", ctx, param)
        keys[resource] = names
    return keys


def key_option(command):
    """--key RESOURCE:COL,COL: match that resource's rows by these columns (diff and version)."""
    return click.option(
        "--key",
        "keys",
        multiple=True,
        callback=_parse_keys,
        metavar="RESOURCE:COL[,COL…]",
        help="Match RESOURCE's rows by these columns, instead of its primary key or the key inferred "
        "from the data (repeat for several resources; an unnamed resource is named by its path).",
    )(command)


def tolerance_option(name: str, help: str):
    """--atol, --rtol: how close two numbers may be and still be equal in the diff."""
    return click.option(
        name, type=click.FloatRange(min=0), default=0.0, show_default=True, help=help
    )
