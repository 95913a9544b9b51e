"""Password rules and hashing: a slow salted hash, 12 characters or more, no common ones.

The hash is slow on purpose: about 100 ms of CPU. When many people sign in at once (a class
told to sign in now, the load test's 50 users arriving in five seconds) those hashes would
take the CPU from every page being served. So each process hashes in a small pool of threads
that run at a lower scheduling priority (a thread's own nice value, on Linux): with a core to
spare they run as fast as before; when the CPU is busy, pages go first and sign-ins wait.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn scores 0-4; 3 means "safely unguessable" for an online attack with throttling.
MIN_STRENGTH = 3


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, in words a user can act on, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    result = zxcvbn(password, user_inputs=[i for i in user_inputs if i])
    if result["score"] < MIN_STRENGTH:
        return "Password is too common or easy to guess. Try three or four unrelated words"
    return None


#: How much lower the hashing threads' priority is (nice values run 0 to 19).
HASHING_NICENESS = 10
#: Hashes one process works on at once; more sign-ins wait their turn.
HASHING_THREADS = 2

_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _lower_priority() -> None:
    # Raising a nice value needs no privilege. Where threads have none of their own (not
    # Linux), the hash runs at the usual priority.
    with contextlib.suppress(OSError, AttributeError):
        own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), own + HASHING_NICENESS)


def _hashing_pool() -> ThreadPoolExecutor:
    """This process's pool: made on first use, and again in a forked worker, whose copy of
    the parent's pool would have no threads."""
    with _pools_lock:
        pool = _pools.get(os.getpid())
        if pool is None:
            pool = ThreadPoolExecutor(
                max_workers=HASHING_THREADS,
                thread_name_prefix="password-hash",
                initializer=_lower_priority,
            )
            _pools.clear()
            _pools[os.getpid()] = pool
        return pool


def hash_password(password: str) -> str:
    return _hashing_pool().submit(generate_password_hash, password, method="scrypt").result()


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return _hashing_pool().submit(check_password_hash, password_hash, password).result()


@functools.cache
def dummy_hash() -> str:
    """Checked against when the email is unknown, so the response time does not reveal
    accounts. Made on first use, not at import: it costs a full scrypt run."""
    return hash_password("not-a-real-password-for-timing")
