"""TOTP against RFC 6238's SHA-1 vectors, the ±1 step window, replays, and the key URI."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from accredit.domain.accounts import recovery_codes, totp

#: RFC 6238 appendix B's SHA-1 seed, the ASCII "12345678901234567890", in base32.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()

#: (time, 8-digit value from the RFC); a 6-digit code is the same number mod 10^6.
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("t", "expected"), RFC_VECTORS)
def test_the_rfc_6238_sha1_vectors(t: int, expected: str) -> None:
    assert totp.code_at(RFC_SECRET, t, digits=8) == expected
    assert totp.code_at(RFC_SECRET, t) == expected[-6:]


def test_a_new_secret_is_the_base32_of_the_bytes_given() -> None:
    secret = totp.new_secret(bytes(range(20)))
    assert secret == "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT"
    assert "=" not in secret
    assert base64.b32decode(secret) == bytes(range(20))


def test_too_few_random_bytes_are_refused() -> None:
    with pytest.raises(ValueError, match="128 random bits"):
        totp.new_secret(b"short")


def test_codes_one_step_either_side_are_accepted_and_further_ones_are_not() -> None:
    t = 1111111111.0
    step = totp.time_step(t)
    for offset in (-1, 0, 1):
        code = totp.code_for_step(RFC_SECRET, step + offset)
        assert totp.matching_step(RFC_SECRET, code, t, None) == step + offset
    for offset in (-2, 2):
        code = totp.code_for_step(RFC_SECRET, step + offset)
        assert totp.matching_step(RFC_SECRET, code, t, None) is None


def test_the_window_edges_follow_the_30_second_boundaries() -> None:
    # 59 is the last second of step 1; 60 starts step 2, when step 0's code falls out.
    code_step_0 = totp.code_for_step(RFC_SECRET, 0)
    assert totp.matching_step(RFC_SECRET, code_step_0, 59, None) == 0
    assert totp.matching_step(RFC_SECRET, code_step_0, 60, None) is None


def test_a_code_already_used_or_older_is_refused() -> None:
    t = 1234567890.0
    step = totp.time_step(t)
    code = totp.code_at(RFC_SECRET, t)
    assert totp.matching_step(RFC_SECRET, code, t, None) == step
    assert totp.matching_step(RFC_SECRET, code, t, step) is None  # replay
    previous = totp.code_for_step(RFC_SECRET, step - 1)
    assert totp.matching_step(RFC_SECRET, previous, t, step) is None  # older than the last
    following = totp.code_for_step(RFC_SECRET, step + 1)
    assert totp.matching_step(RFC_SECRET, following, t, step) == step + 1


@pytest.mark.parametrize(
    "typed", ["", "12345", "1234567", "abcdef", "12 34 5x", "\u0661\u0662\u0663\u0664\u0665\u0666"]
)
def test_malformed_codes_match_nothing(typed: str) -> None:
    assert totp.matching_step(RFC_SECRET, typed, 59, None) is None


def test_spaces_and_a_hyphen_in_a_typed_code_are_ignored() -> None:
    code = totp.code_at(RFC_SECRET, 59)
    assert totp.matching_step(RFC_SECRET, f" {code[:3]} {code[3:]} ", 59, None) == 1
    assert totp.matching_step(RFC_SECRET, f"{code[:3]}-{code[3:]}", 59, None) == 1


def test_the_key_uri_names_the_issuer_and_account() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "pat.admin@hee.nhs.uk")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/Work%20experience%20accreditation:pat.admin@hee.nhs.uk"
    query = parse_qs(parts.query)
    assert query["secret"] == ["JBSWY3DPEHPK3PXP"]
    assert query["issuer"] == ["Work experience accreditation"]  # the service's name
    assert query["digits"] == ["6"] and query["period"] == ["30"]


def test_the_secret_is_shown_in_groups_of_four() -> None:
    assert totp.grouped("JBSWY3DPEHPK3PXPAB") == "JBSW Y3DP EHPK 3PXP AB"


def test_recovery_codes_are_formatted_and_typed_forgivingly() -> None:
    code = recovery_codes.format_code(bytes(range(10)))
    assert code == "AAAQ-EAYE-AUDA-OCAJ"
    assert recovery_codes.normalise(" aaaq eaye-auda ocaj ") == code
    assert recovery_codes.normalise("AAAQ-EAYE-AUDA-OCA") is None  # one short
    assert recovery_codes.normalise("AAAQ-EAYE-AUDA-OCA1") is None  # 1 is not base32
    with pytest.raises(ValueError):
        recovery_codes.format_code(b"123")
