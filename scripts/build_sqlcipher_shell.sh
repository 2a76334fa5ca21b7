#!/usr/bin/env bash
# Build a SQLCipher 4 command-line shell for the tests (Debian's `sqlcipher`
# package is SQLCipher 3 and cannot read SQLCipher 4 databases).
# Sources come from the npm registry: the SQLCipher 4.5.5 amalgamation and the
# matching SQLite shell.c (3.41.1, bundled in node-sqlite3 5.1.6).
set -euo pipefail
out="$(realpath -m "${1:?usage: build_sqlcipher_shell.sh OUTPUT}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @commapp/sqlcipher-amalgamation@4.5.5 sqlite3@5.1.6 >/dev/null
tar xzf commapp-sqlcipher-amalgamation-4.5.5.tgz
mv package amalgamation
tar xzf sqlite3-5.1.6.tgz package/deps/sqlite-autoconf-3410100.tar.gz
tar xzf package/deps/sqlite-autoconf-3410100.tar.gz sqlite-autoconf-3410100/shell.c
gcc -O1 -w -o sqlcipher4 -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_OPENSSL -DSQLITE_TEMP_STORE=2 \
    -DSQLITE_ENABLE_FTS5 -Iamalgamation/src \
    sqlite-autoconf-3410100/shell.c amalgamation/src/sqlite3.c -lcrypto -lpthread -ldl -lm
install -m 0755 sqlcipher4 "$out"
