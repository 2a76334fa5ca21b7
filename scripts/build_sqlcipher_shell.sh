#!/usr/bin/env bash
# Build a SQLCipher 4 command-line shell for the tests (Debian's `sqlcipher`
# package is SQLCipher 3 and cannot read SQLCipher 4 databases).
# Sources are two npm packages: the SQLCipher 4.5.5 amalgamation and the
# matching SQLite shell.c (3.41.1, bundled in node-sqlite3 5.1.6). They are
# fetched with Python, not npm (a minimal Debian has no npm, and Debian's npm
# conflicts with a Node.js from elsewhere), and checked against the registry's
# sha512 integrity values pinned here. Needs gcc, libc6-dev and libssl-dev
# (scripts/system-packages.txt lists them).
set -euo pipefail
out="$(realpath -m "${1:?usage: build_sqlcipher_shell.sh OUTPUT}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - <<'PY'
import base64, hashlib, os, ssl, sys, urllib.request

registry = (os.environ.get("npm_config_registry") or "https://registry.npmjs.org/").rstrip("/")
tarballs = {
    "commapp-sqlcipher-amalgamation-4.5.5.tgz": (
        "@commapp/sqlcipher-amalgamation/-/sqlcipher-amalgamation-4.5.5.tgz",
        "Ebi6aNWlh5qr2fWGaHVvahCBRZtbs63hStQmUOIA8zhfiJT3S0ZgQ0Oby0Pwh12DWP2uRs03am1LFuxgcdegoQ=="),
    "sqlite3-5.1.6.tgz": (
        "sqlite3/-/sqlite3-5.1.6.tgz",
        "olYkWoKFVNSSSQNvxVUfjiVbz3YtBwTJj+mfV5zpHmqW3sELx2Cf4QCdirMelhM5Zh+KDVaKgQHqCxrqiWHybw=="),
}
cafile = next((f for f in (os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt")
               if f and os.path.exists(f)), None)
context = ssl.create_default_context(cafile=cafile)
for name, (path, integrity) in tarballs.items():
    with urllib.request.urlopen(f"{registry}/{path}", timeout=120, context=context) as response:
        data = response.read()
    if base64.b64encode(hashlib.sha512(data).digest()).decode() != integrity:
        sys.exit(f"{name}: the download does not match its pinned sha512; not used")
    with open(name, "wb") as f:
        f.write(data)
PY
tar xzf commapp-sqlcipher-amalgamation-4.5.5.tgz
mv package amalgamation
tar xzf sqlite3-5.1.6.tgz package/deps/sqlite-autoconf-3410100.tar.gz
tar xzf package/deps/sqlite-autoconf-3410100.tar.gz sqlite-autoconf-3410100/shell.c
gcc -O1 -w -o sqlcipher4 -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_OPENSSL -DSQLITE_TEMP_STORE=2 \
    -DSQLITE_ENABLE_FTS5 -Iamalgamation/src \
    sqlite-autoconf-3410100/shell.c amalgamation/src/sqlite3.c -lcrypto -lpthread -ldl -lm
install -m 0755 sqlcipher4 "$out"
