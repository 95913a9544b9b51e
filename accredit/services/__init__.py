"""Use cases: glue between the data layer and the domain. Views call these."""
