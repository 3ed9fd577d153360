import pytest

from tests.licences.licence_world import build_licence_world


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    """One self-signed pair for the whole run (RSA key generation is the slow part)."""
    from yichuang.documents.pki import demo_pki_create

    d = tmp_path_factory.mktemp("pki")
    demo_pki_create(centre_name="测试中心", cert_path=str(d / "cert.pem"), key_path=str(d / "key.pem"))
    return d


@pytest.fixture
def pki(settings, pki_dir):
    settings.YICHUANG_SIGNING_CERT = str(pki_dir / "cert.pem")
    settings.YICHUANG_SIGNING_KEY = str(pki_dir / "key.pem")
    settings.YICHUANG_TRUSTED_CERTS = []
    return pki_dir


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lw(db, fast_hasher):
    return build_licence_world()
