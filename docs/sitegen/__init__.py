"""Generates the site's pages at build time; mkdocs loads it through sitegen/hooks.py."""
