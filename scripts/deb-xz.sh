#!/usr/bin/env bash
# Recompresses .deb files with xz (Tauri's bundler writes gzip): the app and
# the CLI shrink from about 10.3 to 7.5 MiB, well inside the 10 MB budget.
# dpkg has read xz packages since Debian 6 / Ubuntu 10.10.
set -euo pipefail
for deb in "$@"; do
  work=$(mktemp -d)
  dpkg-deb -R "$deb" "$work/root"
  dpkg-deb --root-owner-group -Zxz -z6 -b "$work/root" "$work/new.deb" >/dev/null
  mv "$work/new.deb" "$deb"
  rm -rf "$work"
done
