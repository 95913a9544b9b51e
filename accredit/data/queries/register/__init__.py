"""Reads for the public register: awards that stand today, and nothing an award does not print."""
