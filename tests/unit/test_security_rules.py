"""Same-site redirects and password rules."""

from __future__ import annotations

import os
import signal
import sys
import threading

import pytest

from accredit.services.accounts import passwords
from accredit.services.accounts.passwords import hash_password, password_problem, verify_password
from accredit.web.safe_redirect import is_safe_next


@pytest.mark.parametrize("target", ["/home", "/organisations/3?tab=people", "/"])
def test_local_paths_are_safe(target):
    assert is_safe_next(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "home",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\x00x",
        "http:/evil.example",
        " /home",
    ],
)
def test_anything_leaving_the_site_is_unsafe(target):
    assert not is_safe_next(target)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "12 characters or more"),
        ("password1234", "too common"),
        ("qwertyuiop12", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("x" * 300, "256 characters or fewer"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    problem = password_problem(password)
    assert problem is not None and message in problem


def test_personal_details_count_against_a_password():
    assert password_problem("jo.bloggs@trust.nhs.uk", user_inputs=("jo.bloggs@trust.nhs.uk",))


def test_strong_password_is_accepted_and_hashed_slowly_with_a_salt():
    password = "velvet-compass-orchard-19"
    assert password_problem(password) is None
    first, second = hash_password(password), hash_password(password)
    assert first != second and first.startswith("scrypt:")
    assert verify_password(first, password) and not verify_password(first, password + "x")
    assert not verify_password(None, password)


@pytest.mark.skipif(sys.platform != "linux", reason="threads have their own nice value on Linux")
def test_hashes_run_on_threads_of_lower_priority_so_pages_go_first_when_the_cpu_is_busy():
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    theirs = passwords._hashing_pool().submit(
        lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    )
    assert theirs.result() == min(19, mine + passwords.HASHING_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need fork")
def test_a_forked_worker_hashes_on_a_pool_of_its_own():
    stored = hash_password("velvet-compass-orchard-19")  # the parent's pool has its threads
    child = os.fork()
    if child == 0:  # gunicorn's worker, forked after the pool was made
        signal.alarm(20)  # the parent's pool, copied without its threads, would hang here
        ok = verify_password(stored, "velvet-compass-orchard-19")
        os._exit(0 if ok else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
