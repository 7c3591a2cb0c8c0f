"""The machinery of the specification: the claims registry, the implementation under test, the report."""
