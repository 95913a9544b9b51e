"""The public register of accredited organisations: search and an organisation's entry.

Read-only, for anyone, signed in or not.
"""

# The modules other packages may import (the public_faces contract in pyproject.toml).
__all__ = ["badges", "open_data", "register"]
