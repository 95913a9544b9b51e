"""Background jobs (evidence packs, bulk exports): one interface for pages (``jobs``), the
handlers registered by kind (``handlers``), each job's unit of work (``runner``), the thread
pool and RQ backends (``backends``) and the RQ worker (``worker``). ``running_app`` is this
package's one look-up of the app it is submitted from or runs in.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "backends",
    "handlers",
    "jobs",
    "worker",
]
