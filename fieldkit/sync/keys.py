"""Signing keys: ed25519 key pairs whose private half is stored encrypted with a passphrase.

A key file is JSON: the public key in TUF's own form (so the metadata can name
it), and the private key (PKCS#8 DER) encrypted with AES-256-GCM under a key
derived from the passphrase with scrypt. OpenSSL's encrypted PEM would use a
PBKDF2 of 2,048 rounds; scrypt makes a stolen key file expensive to guess.
Files are written atomically, 0600. Scripts give the passphrase in
FIELDKIT_KEY_PASSPHRASE.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from securesystemslib.signer import CryptoSigner, SSlibKey

from fieldkit.errors import FieldkitError, NotFound, UsageError, WrongPassphrase
from fieldkit.files import write_atomic
from fieldkit.i18n import _

KEY_FORMAT = "fieldkit-signing-key-1"
PASSPHRASE_ENV = "FIELDKIT_KEY_PASSPHRASE"
MIN_KEY_PASSPHRASE = 8
# scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and ~0.1 s per attempt.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


@dataclass(frozen=True)
class KeyPair:
    signer: CryptoSigner

    @property
    def public(self) -> SSlibKey:
        return self.signer.public_key

    @property
    def keyid(self) -> str:
        return self.signer.public_key.keyid


def generate() -> KeyPair:
    return KeyPair(CryptoSigner.generate_ed25519())


def _kdf(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        passphrase.encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def save(pair: KeyPair, path: Path, passphrase: str, role: str) -> None:
    """Write the key pair to `path`, encrypted; refuses to overwrite a key file."""
    if len(passphrase) < MIN_KEY_PASSPHRASE:
        raise UsageError(_("Choose a key passphrase of at least {n} characters.").format(
            n=MIN_KEY_PASSPHRASE))
    if path.exists():
        raise UsageError(_("{path} already exists; a key file is never overwritten.").format(
            path=path))
    private = pair.signer._private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kdf(passphrase, salt)).encrypt(nonce, private, KEY_FORMAT.encode())
    document = {
        "format": KEY_FORMAT,
        "role": role,
        "public": {"keyid": pair.keyid, **pair.public.to_dict()},
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                "salt": _b64(salt)},
        "cipher": {"name": "aes-256-gcm", "nonce": _b64(nonce)},
        "private": _b64(sealed),
    }
    write_atomic(path, (json.dumps(document, indent=1) + "\n").encode("utf-8"), mode=0o600)


def load(path: Path, passphrase: str) -> KeyPair:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != KEY_FORMAT:
            raise ValueError("format")
        kdf = document["kdf"]
        salt = base64.b64decode(kdf["salt"])
        nonce = base64.b64decode(document["cipher"]["nonce"])
        sealed = base64.b64decode(document["private"])
        public_dict = dict(document["public"])
        keyid = public_dict.pop("keyid")
        public = SSlibKey.from_dict(keyid, public_dict)
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    except FileNotFoundError:
        raise NotFound(_("There is no key file at {path}.").format(path=path)) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise FieldkitError(_("{path} is not a Fieldkit key file.").format(path=path)) from None
    try:
        secret = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
        private = AESGCM(secret).decrypt(nonce, sealed, KEY_FORMAT.encode())
    except InvalidTag:
        raise WrongPassphrase(_("The key passphrase is not correct for {path}; nothing was "
                                "changed.").format(path=path)) from None
    key = serialization.load_der_private_key(private, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise FieldkitError(_("{path} is not a Fieldkit key file.").format(path=path))
    return KeyPair(CryptoSigner(key, public))


def public_key(path: Path) -> SSlibKey:
    """The public half, read without the passphrase."""
    try:
        public_dict = dict(json.loads(path.read_text(encoding="utf-8"))["public"])
        keyid = public_dict.pop("keyid")
        return SSlibKey.from_dict(keyid, public_dict)
    except FileNotFoundError:
        raise NotFound(_("There is no key file at {path}.").format(path=path)) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise FieldkitError(_("{path} is not a Fieldkit key file.").format(path=path)) from None
