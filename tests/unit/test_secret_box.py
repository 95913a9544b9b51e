"""Sealing secrets the service must read back: round trip, one key per purpose and per
secret key, old unsealed values read as they are, and nothing readable in what is stored."""

from __future__ import annotations

from accredit.services.accounts import secret_box

KEY = "a-long-random-secret-key-for-tests"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_sealed_secret_opens_with_the_same_key_and_purpose():
    sealed = secret_box.seal(KEY, "totp", SECRET)
    assert secret_box.is_sealed(sealed) and SECRET not in sealed
    assert len(sealed) <= 255  # fits the column
    assert secret_box.unseal(KEY, "totp", sealed) == SECRET
    assert secret_box.seal(KEY, "totp", SECRET) != sealed  # a fresh IV each time


def test_another_key_or_purpose_or_a_changed_byte_opens_nothing():
    sealed = secret_box.seal(KEY, "totp", SECRET)
    assert secret_box.unseal("another key", "totp", sealed) is None
    assert secret_box.unseal(KEY, "totp-set-up", sealed) is None
    flipped = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    assert secret_box.unseal(KEY, "totp", flipped) is None
    assert secret_box.unseal(KEY, "totp", "f1:not a token") is None


def test_a_value_stored_before_sealing_is_read_as_it_is():
    assert not secret_box.is_sealed(SECRET)
    assert secret_box.unseal(KEY, "totp", SECRET) == SECRET
