"""Shared fixtures: paths and a validator for records."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from cleaners import load_schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def record_validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)
