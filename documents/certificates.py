"""Issuing certificates with ``cryptography``: the demo CA and its leaf certificates for
the demo provinces, and the certificates the tests sign with. Real units upload the
certificates their certification authority issued."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def _name(common_name, organization):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, signing, ca=False):
    return x509.KeyUsage(
        digital_signature=signing or ca,
        content_commitment=signing,
        key_encipherment=not signing and not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def issue_ca(
    common_name="CA thử nghiệm Cổng thi đua",
    organization="Tổng Liên đoàn Lao động Việt Nam",
    years=10,
):
    """A self-signed root: (certificate, private key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(common_name, organization)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(signing=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def issue_certificate(ca, ca_key, common_name, organization, *, days=730, starts_days_ago=1, signing=True):
    """A leaf certificate issued by ``ca``: (certificate, private key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    start = now - datetime.timedelta(days=starts_days_ago)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signing=signing), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return certificate, key


def to_pkcs12(certificate, key, chain, passphrase, friendly_name="chu-ky-so"):
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode(),
        key,
        certificate,
        list(chain),
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def to_pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def fingerprint(certificate):
    return certificate.fingerprint(hashes.SHA256()).hex()
