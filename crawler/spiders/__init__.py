"""Spiders of the cleancrawl project."""
