"""Seed data, never used by a request: the demo cohort (`accredit demo`) and the benchmark cohort
(`accredit seed-bench`).
"""
