"""Downloader middlewares of the cleancrawl project."""
