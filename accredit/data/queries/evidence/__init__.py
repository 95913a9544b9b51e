"""Evidence library queries."""
