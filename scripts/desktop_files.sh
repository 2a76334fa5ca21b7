#!/usr/bin/env bash
# Lay out Fieldkit's Linux desktop integration under a share/ folder:
# applications/ (desktop entry), metainfo/ (AppStream), icons/hicolor/ (PNG at
# the usual sizes, and the SVG as scalable). Copy or merge it into ~/.local/share
# or /usr/share; the desktop entry runs `fieldkit gui` from PATH.
# Usage: scripts/desktop_files.sh SHARE_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
share="${1:?usage: desktop_files.sh SHARE_DIR}"
id=org.fieldkit.Fieldkit
install -D -m 0644 "$root/packaging/$id.desktop" "$share/applications/$id.desktop"
install -D -m 0644 "$root/packaging/$id.metainfo.xml" "$share/metainfo/$id.metainfo.xml"
install -D -m 0644 "$root/ui/icons/$id.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
for png in "$root"/ui/icons/"$id"-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -D -m 0644 "$png" "$share/icons/hicolor/${size}x${size}/apps/$id.png"
done
