"""The public register of accredited organisations: what a search asks and what may be shown.
Pure Python."""
