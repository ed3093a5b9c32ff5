"""Item pipelines, in the order they run: clean, filter, site templates, store."""
