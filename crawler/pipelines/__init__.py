"""Item pipelines, in the order they run: clean, filter, store."""
