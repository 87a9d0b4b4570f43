#!/usr/bin/env bash
# Installs a real VS Code for the editor tests: code-server (VS Code's own server and web
# workbench, from npm, built against the system Node 20) plus playwright-core, driven with
# Debian's Chromium. Nothing is fetched except from apt and the npm registry.
#
# Usage: scripts/install-vscode-rig.sh [RIG_DIR]
#   RIG_DIR defaults to $RBL_VSCODE_RIG_DIR, else ~/.cache/remote-build-lens/vscode-rig-<version>:
#   outside the repository, so it survives fresh clones and CI runs on the same machine, and
#   keyed by version, so a version bump installs next to the old one instead of over it.
#   test/e2e/rig.ts computes the same default.
#
# Idempotent: every finished step leaves a marker in RIG_DIR/.done/, so a warm re-run only
# checks (about 2 s); a cold run takes about 2 min on 2 cores (mostly native module builds).
# Prints the rig directory as its last stdout line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3 # the last release that runs on Node 20 (VS Code 1.100.3)
PLAYWRIGHT_CORE_VERSION=1.65.1 # verified with Debian's Chromium 156; downloads no browser
RIG_DIR=${1:-${RBL_VSCODE_RIG_DIR:-${HOME}/.cache/remote-build-lens/vscode-rig-${CODE_SERVER_VERSION}}}
mkdir -p "$RIG_DIR"
RIG_DIR=$(cd "$RIG_DIR" && pwd)
DONE="$RIG_DIR/.done"
mkdir -p "$DONE" "$RIG_DIR/xdg/config" "$RIG_DIR/xdg/data"
CS="$RIG_DIR/node_modules/code-server"
VS="$CS/lib/vscode"

started=$(date +%s)
step_name='start'
step_started=$started
say() { printf 'install-vscode-rig: %s\n' "$*" >&2; }
reported=0
fail() {
  reported=1
  say "FAILED in step '$step_name': $*"
  exit 1
}
trap 'rc=$?; ((rc == 0 || reported)) || say "FAILED in step '"'"'$step_name'"'"' (exit $rc, see output above)"' EXIT
begin() {
  step_name=$1
  step_started=$(date +%s)
}
finish() {
  touch "$DONE/$1"
  say "$step_name: done in $(($(date +%s) - step_started))s"
}
done_already() { [[ -e "$DONE/$1" ]]; }

[[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" == 20 ]] ||
  fail "code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version 2>&1)"

# 1. System packages: Chromium and fonts (screenshots need text), Debian's ripgrep (copied in
#    so @vscode/ripgrep downloads nothing) and the toolchain for the server's native modules.
begin 'apt packages'
APT_PACKAGES=(chromium ripgrep fonts-dejavu-core curl build-essential python3 pkg-config
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ "$(id -u)" == 0 ]] || fail "missing apt packages: ${missing[*]} (run as root or install them)"
  say "installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The lock timeout waits for another apt run instead of failing at once.
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get -o DPkg::Lock::Timeout=600 update -q >&2 &&
      apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
    fail 'apt-get install failed'
fi
for b in /usr/bin/chromium /usr/bin/rg /usr/include/node/node.h; do
  [[ -e "$b" ]] || fail "$b is missing"
done
finish apt

# Native addons build from source against Debian's Node headers: no header or prebuilt
# downloads. XDG dirs keep code-server from writing into the user's ~/.config.
export npm_config_nodedir=/usr
export npm_config_yes=true
export npm_config_build_from_source=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
export XDG_CONFIG_HOME="$RIG_DIR/xdg/config"
export XDG_DATA_HOME="$RIG_DIR/xdg/data"
export JOBS=${JOBS:-$(nproc)}

# 2. The packages themselves, without install scripts: code-server's postinstall would run
#    npm install in lib/vscode, where @vscode/ripgrep downloads a binary. We do it by hand.
begin 'npm install'
if done_already "npm-$CODE_SERVER_VERSION" && [[ -f "$CS/package.json" ]]; then :; else
  rm -f "$DONE"/{argon2,vscode-deps,vscode-rebuild,extensions,smoke}
  [[ -f "$RIG_DIR/package.json" ]] || echo '{"name":"rbl-vscode-rig","private":true}' >"$RIG_DIR/package.json"
  (cd "$RIG_DIR" && npm install --ignore-scripts --save-exact --no-audit --no-fund \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2) ||
    fail 'npm install failed'
  finish "npm-$CODE_SERVER_VERSION"
fi

# 3. argon2 is hoisted to RIG_DIR/node_modules in a local install: rebuilding it inside the
#    code-server folder reports success and does nothing.
begin 'argon2'
if ! done_already argon2; then
  (cd "$RIG_DIR" && npm rebuild --foreground-scripts argon2 >&2) || fail 'argon2 build failed'
  (cd "$CS" && node -e 'require("argon2")') || fail 'argon2 was built but does not load'
  finish argon2
fi

# 4. The server's own dependencies, again without scripts.
begin 'lib/vscode dependencies'
if ! done_already vscode-deps; then
  (cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >&2) ||
    fail 'npm install in lib/vscode failed'
  finish vscode-deps
fi

# 5. Debian's rg where @vscode/ripgrep looks (its postinstall then skips the download), then
#    the native modules (node-pty, spdlog, kerberos, watcher...): the slow step, ~1 min.
begin 'native modules'
if ! done_already vscode-rebuild; then
  mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
  cp -f /usr/bin/rg "$VS/node_modules/@vscode/ripgrep/bin/rg"
  (cd "$VS" && npm rebuild --foreground-scripts >&2) || fail 'npm rebuild in lib/vscode failed'
  finish vscode-rebuild
fi

# 6. The symlinks code-server's postinstall.sh would make (cheap, so always re-made).
begin 'symlinks'
ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"
finish links

# 7. The built-in extensions' shared TypeScript (its postinstall needs no network).
begin 'built-in extensions'
if ! done_already extensions; then
  (cd "$VS/extensions" && npm install --omit=dev --no-audit --no-fund >&2) ||
    fail 'npm install in lib/vscode/extensions failed'
  finish extensions
fi

# 8. Smoke check: every part loads. Skipped when warm so a warm run stays at ~2 s; delete
#    RIG_DIR/.done/smoke to force it.
begin 'smoke check'
if ! done_already smoke; then
  # The first run also prints an info line about its config file, so look for the version line.
  version=$(node "$CS/out/node/entry.js" --version 2>/dev/null) || fail 'code-server --version failed'
  grep -q "^$CODE_SERVER_VERSION " <<<"$version" || fail "unexpected code-server version: $version"
  (cd "$VS" && node -e '
    for (const m of ["node-pty", "@vscode/spdlog", "kerberos", "native-watchdog",
                     "@parcel/watcher", "@vscode/deviceid"]) {
      try { require(m); } catch (e) { console.error("cannot load " + m + ": " + e.message); process.exit(1); }
    }') || fail 'a native module does not load'
  [[ -x "$VS/node_modules/@vscode/ripgrep/bin/rg" ]] || fail 'ripgrep is missing'
  node -e 'require(process.argv[1])' "$RIG_DIR/node_modules/playwright-core" ||
    fail 'playwright-core does not load'
  finish smoke
fi
for f in "$CS/out/node/entry.js" "$RIG_DIR/node_modules/playwright-core/package.json" /usr/bin/chromium; do
  [[ -e "$f" ]] || fail "$f is missing (delete $DONE to reinstall)"
done

say "ready in $(($(date +%s) - started))s: $RIG_DIR"
echo "$RIG_DIR"
