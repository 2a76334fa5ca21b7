"""A physically decrypted copy of a SQLCipher 4 database, page by page.

`sqlcipher_export` copies only live rows; this copy keeps every byte of every
page (free pages, slack space inside pages), so a test can look for traces of
deleted text the way someone holding the key and the file could.
SQLCipher 4 defaults: 4096-byte pages, a 16-byte salt at the start of the file,
PBKDF2-HMAC-SHA512 with 256,000 iterations, AES-256-CBC, and 80 reserved bytes
at the end of each page (16-byte IV, then a 64-byte HMAC).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
SALT = 16
RESERVE = 80
IV = 16


def decrypt_pages(path: Path, passphrase: str) -> bytes:
    raw = path.read_bytes()
    salt = raw[:SALT]
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode(), salt, 256000, 32)
    out = bytearray()
    for start in range(0, len(raw), PAGE):
        page = raw[start:start + PAGE]
        first = start == 0
        body = page[SALT if first else 0:PAGE - RESERVE]
        iv = page[PAGE - RESERVE:PAGE - RESERVE + IV]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        plain = decryptor.update(body) + decryptor.finalize()
        out += (b"SQLite format 3\x00" if first else b"") + plain + bytes(RESERVE)
    return bytes(out)
