"""Queries behind reports: the pack cache and the peer benchmark's read."""
