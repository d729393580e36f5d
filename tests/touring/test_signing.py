import pytest

from touring import signing


def test_a_signature_verifies_with_the_museum_public_key():
    data = b'{"venue": "vilnius"}'
    signature = signing.sign(data)
    assert len(signature) == 64
    signing.verify(signing.museum_public_key(), data, signature)


def test_a_changed_byte_fails_verification():
    signature = signing.sign(b"manifest")
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(signing.museum_public_key(), b"manifesT", signature)


def test_another_key_fails_verification():
    other = signing.load_private_key(signing.generate_private_key())
    signature = other.sign(b"manifest")
    with pytest.raises(signing.SignatureError):
        signing.verify(signing.museum_public_key(), b"manifest", signature)


@pytest.mark.parametrize("bad", ["", "not base64 !!", "c2hvcnQ"])
def test_an_unreadable_private_key_is_a_clear_configuration_error(bad):
    with pytest.raises(signing.SigningKeyError, match="PACKAGE_SIGNING_KEY"):
        signing.load_private_key(bad)


def test_an_unreadable_public_key_is_a_signature_error_not_a_crash():
    with pytest.raises(signing.SignatureError, match="32 bytes"):
        signing.verify("c2hvcnQ", b"x", b"y" * 64)


def test_generated_keys_round_trip_and_have_stable_fingerprints():
    private = signing.load_private_key(signing.generate_private_key())
    public = signing.public_key_text(private)
    assert signing.key_id(public) == signing.key_id(public)
    assert len(signing.key_id(public)) == 16
    signing.verify(public, b"data", private.sign(b"data"))


def test_the_system_check_reports_a_bad_key(settings):
    from touring.checks import check_package_signing_key

    settings.PACKAGE_SIGNING_KEY = "bad"
    errors = check_package_signing_key(None)
    assert [error.id for error in errors] == ["touring.E001"]
    settings.PACKAGE_SIGNING_KEY = signing.generate_private_key()
    assert check_package_signing_key(None) == []
