#!/usr/bin/env bash
# Installs what Chipwatch needs to build, run and test on Debian/Ubuntu.
# Idempotent: packages already present are skipped, so `make run` stays fast.
set -euo pipefail

APT_PACKAGES=(
  # build and the WebKitGTK webview (Tauri v2 on Linux)
  build-essential pkg-config curl wget file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev librsvg2-dev
  # Chinese text must render in the UI
  fonts-noto-cjk
  # end-to-end tests: a virtual display, WebKit's WebDriver, screenshots
  xvfb xauth webkit2gtk-driver imagemagick
  # the E2E harness finds the app's web process with pgrep
  procps
  # the import benchmark compares against the sqlite3 shell
  sqlite3
  # the team workspace tests (crates/sync) start their own throwaway PostgreSQL cluster
  postgresql
  # the citation export tests render the exported bibliographies with pandoc --citeproc (2.11+; Debian 12: 2.17)
  pandoc
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Toolchains are not apt packages here: Debian 12's rustc and nodejs are too old for Tauri v2 and Vite 8.
command -v cargo >/dev/null || { echo "error: Rust is missing; install it with rustup (https://rustup.rs), then run this again." >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  echo "error: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none)); install it, then run this again." >&2
  exit 1
fi

if ! command -v tauri-driver >/dev/null; then
  echo "Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked
fi
