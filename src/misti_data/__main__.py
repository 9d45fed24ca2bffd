from misti_data.cli import cli

cli()
