"""Pure functions over polars frames and spaCy Docs, one package per concern (docs/architecture.md has the map).

Never imports flows, warehouse or bench (checked by lint-imports).
"""
