"""Queries behind cohorts: cohorts and members, the dashboard, exports, progress and what-if."""
