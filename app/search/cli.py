"""`flask search ...` (being built)."""
import click


@click.group("search", help="Maintain the search index.")
def search_cli():
    pass
