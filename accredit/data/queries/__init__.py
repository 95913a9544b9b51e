"""The only modules that build ``select()``. Anything reading organisation data takes a scope."""
