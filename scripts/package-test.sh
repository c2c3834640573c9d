#!/usr/bin/env bash
# Smoke test of the .deb on a disposable machine (CI): build it, install it,
# start the installed app under Xvfb with a fresh HOME, check through the
# installed CLI that the app made and seeded the default workspace in the XDG
# data folder, then remove the package.
#
# It installs software system-wide, so it refuses to run unless it is root AND
# either CI is set or CHIPWATCH_PACKAGE_TEST=1 says you mean it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) -ne 0 || ( -z ${CI:-} && ${CHIPWATCH_PACKAGE_TEST:-} != 1 ) ]]; then
  cat >&2 <<'EOF'
package-test: refused. This test installs the Chipwatch .deb system-wide (apt-get),
starts it and removes it again, so it runs only as root on a machine meant for it:
in CI (CI is set), or when you ask for it with CHIPWATCH_PACKAGE_TEST=1, e.g.
  sudo CHIPWATCH_PACKAGE_TEST=1 make package-test
To only build the packages, run `make package`.
EOF
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

if [[ ${CHIPWATCH_PACKAGE_TEST_NO_BUILD:-} != 1 ]]; then
  step "building the packages (make package)"
  make package
fi
deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1)
[[ -n $deb ]] || fail "no .deb in target/release/bundle/deb/"
package=$(dpkg-deb -f "$deb" Package)
echo "package: $deb ($(du -h "$deb" | cut -f1), $package $(dpkg-deb -f "$deb" Version))"

work=$(mktemp -d)
app_pid=""
xvfb_pid=""
installed=0
cleanup() {
  [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
  if ((installed)); then
    step "removing $package"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$package" >/dev/null || dpkg -r "$package" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "installing $deb (apt-get resolves its dependencies)"
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  echo "note: $package was installed already; it is replaced and removed at the end"
fi
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$PWD/$deb"

step "checking the installed files"
for file in /usr/bin/chipwatch-app /usr/bin/chipwatch; do
  [[ -x $file ]] || fail "$file is missing"
done
desktop=$(dpkg -L "$package" | grep '^/usr/share/applications/.*\.desktop$' | head -n 1)
[[ -n $desktop ]] || fail "no desktop entry installed"
grep -q '^Exec=chipwatch-app' "$desktop" || fail "$desktop does not start chipwatch-app"
grep -q '^Categories=Office;Science;' "$desktop" || fail "$desktop has no Office;Science; category"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop"; fi
dpkg -L "$package" | grep -q '^/usr/share/icons/hicolor/.*/apps/chipwatch-app.png$' || fail "no icons installed"
/usr/bin/chipwatch --version

step "first launch of the installed app with an empty HOME"
home="$work/home"
mkdir -p "$home" "$work/run"
chmod 700 "$work/run"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 50); do [[ -s $work/display ]] && break; sleep 0.1; done
[[ -s $work/display ]] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
display=":$(head -n 1 "$work/display")"
# A clean environment: no CHIPWATCH_WORKSPACE or XDG_DATA_HOME from the caller.
clean_env=(env -i "HOME=$home" "PATH=/usr/bin:/bin" "XDG_RUNTIME_DIR=$work/run" "LANG=C.UTF-8")
"${clean_env[@]}" "DISPLAY=$display" NO_AT_BRIDGE=1 /usr/bin/chipwatch-app >"$work/app.log" 2>&1 &
app_pid=$!
workspace="$home/.local/share/org.chipwatch.desktop/workspace.db"
for _ in $(seq 200); do [[ -s $workspace ]] && break; sleep 0.1; done
[[ -s $workspace ]] || fail "the app made no workspace at $workspace; its log: $(cat "$work/app.log")"
sleep 3
kill -0 "$app_pid" 2>/dev/null || fail "the app exited; its log: $(cat "$work/app.log")"
echo "the app runs (pid $app_pid) and made $workspace"

step "checking the workspace through the installed CLI (while the app has it open)"
stats=$("${clean_env[@]}" /usr/bin/chipwatch stats --json)
echo "$stats"
"${clean_env[@]}" /usr/bin/chipwatch --workspace "$workspace" check
firms=$(grep -o '"firms": *[0-9]*' <<<"$stats" | grep -o '[0-9]*$')
[[ $firms -ge 10 ]] || fail "the default workspace is not seeded (firms: ${firms:-none})"

"${clean_env[@]}" /usr/bin/chipwatch backup
[[ -n $(ls "$workspace.backups/"*-manual-v*.db 2>/dev/null) ]] || fail "chipwatch backup wrote nothing into $workspace.backups/"

step "a second window on the same workspace (it shows who has it open; nothing breaks)"
[[ -e $(dirname "$workspace")/.workspace.db.lock ]] || fail "the app holds no workspace lock"
"${clean_env[@]}" "DISPLAY=$display" NO_AT_BRIDGE=1 /usr/bin/chipwatch-app >"$work/second.log" 2>&1 &
second_pid=$!
sleep 3
kill -0 "$second_pid" 2>/dev/null || fail "the second window crashed; its log: $(cat "$work/second.log")"
kill "$second_pid"
wait "$second_pid" 2>/dev/null || true
"${clean_env[@]}" /usr/bin/chipwatch --workspace "$workspace" check

kill "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=""
"${clean_env[@]}" /usr/bin/chipwatch --workspace "$workspace" check >/dev/null

step "removing the package"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$package" >/dev/null
installed=0
[[ ! -e /usr/bin/chipwatch-app && ! -e /usr/bin/chipwatch ]] || fail "files left after removal"
echo
echo "package-test: ok ($deb installs, starts, seeds $workspace, and removes cleanly)"
