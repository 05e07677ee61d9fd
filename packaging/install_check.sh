#!/usr/bin/env bash
# Install a built package the way a user does, check the installed app, upgrade, uninstall.
# Run by the release workflow's "install" job on a fresh runner (Windows: Git Bash):
#
#   bash packaging/install_check.sh NEW_PACKAGE [PREVIOUS_PACKAGE]
#
# NEW_PACKAGE       dist/hipmap-<v>-setup.exe | hipmap-<v>-macos-<arch>.dmg | hipmap-<v>-linux-<arch>.tar.xz
# PREVIOUS_PACKAGE  the previous release's package of the same kind (optional): installed
#                   first, so that NEW_PACKAGE is installed over it as an upgrade.
#
# Checks, in order: (previous installed, its --version) -> new installed silently over it ->
# --version is the new one (Windows: one hipmap-*.dist-info in _internal) -> --self-test
# (Windows: the console hipmapc.exe and the windowed hipmap.exe) and assess -> signatures
# (when signed; required when HIPMAP_REQUIRE_SIGNING=1) -> uninstall -> nothing left in the
# install folder. Needs QT_QPA_PLATFORM=offscreen (the workflow sets it).
set -euo pipefail
new="${1:?usage: install_check.sh NEW_PACKAGE [PREVIOUS_PACKAGE]}"
previous="${2:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" MSYS_NO_PATHCONV=1
require_signing="${HIPMAP_REQUIRE_SIGNING:-}"
fail() { echo "install_check: FAILED: $*" >&2; echo "::error::install_check: $*"; exit 1; }
say() { echo "install_check: $*"; }

version_of() {  # hipmap-0.2.0rc1-setup.exe -> 0.2.0rc1
  basename "$1" | sed -E 's/^hipmap-([^-]+)-.*/\1/'
}
want="hipmap $(version_of "$new")"

case "$(basename "$new")" in
  *-setup.exe) kind=windows ;;
  *.dmg) kind=macos ;;
  *.tar.xz | *.tar.gz) kind=linux ;;
  *) fail "unknown package $new" ;;
esac

# ---- per-OS install / uninstall ---------------------------------------------------------
if [ "$kind" = windows ]; then
  app_dir="$(cygpath -u "$LOCALAPPDATA")/Programs/hipmap"
  cli="$app_dir/hipmapc.exe"
  install_pkg() {
    say "installing $(basename "$1") (silent, current user)"
    log="$RUNNER_TEMP/$(basename "$1").log"
    "$1" /VERYSILENT /CURRENTUSER /SUPPRESSMSGBOXES /NORESTART "/LOG=$(cygpath -w "$log")" \
      || { rc=$?; cat "$log" || true; fail "setup exited $rc"; }
  }
  uninstall_pkg() {
    [ -x "$app_dir/unins000.exe" ] || fail "no uninstaller in $app_dir"
    "$app_dir/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
    # the uninstaller re-launches itself from a temporary copy and returns at once: wait
    for _ in $(seq 1 120); do [ -d "$app_dir" ] || break; sleep 1; done
  }
elif [ "$kind" = macos ]; then
  app_dir="/Applications/hipmap.app"
  cli="$app_dir/Contents/MacOS/hipmap"
  install_pkg() {
    say "installing $(basename "$1") (mount, copy to /Applications, eject)"
    mnt="$(mktemp -d)"
    hdiutil attach -nobrowse -readonly -noautoopen -mountpoint "$mnt" "$1" >/dev/null
    [ -d "$mnt/hipmap.app" ] || fail "the DMG has no hipmap.app"
    rm -rf "$app_dir"            # what Finder's "Replace" does
    ditto "$mnt/hipmap.app" "$app_dir"
    for i in 1 2 3 4 5; do hdiutil detach "$mnt" >/dev/null && break; sleep $((i * 2)); done
  }
  uninstall_pkg() { rm -rf "$app_dir"; }
else
  prefix="$HOME/.local/opt"
  export XDG_DATA_HOME="${RUNNER_TEMP:-/tmp}/xdg-data"
  app_dir=""
  install_pkg() {
    say "installing $(basename "$1") (unpack to $prefix, desktop integration)"
    mkdir -p "$prefix"
    [ -n "$app_dir" ] && [ -d "$app_dir" ] && "$app_dir/install-desktop-integration.sh" --uninstall && rm -rf "$app_dir"
    top="hipmap-$(version_of "$1")"      # build.py's tarballs unpack into hipmap-<version>/
    tar -xf "$1" -C "$prefix"
    app_dir="$prefix/$top"
    cli="$app_dir/hipmap"
    sh "$app_dir/install-desktop-integration.sh"
    grep -q "^Exec=$app_dir/hipmap %f" "$XDG_DATA_HOME/applications/hipmap.desktop" \
      || fail "the menu entry does not start $app_dir/hipmap"
  }
  uninstall_pkg() {
    sh "$app_dir/install-desktop-integration.sh" --uninstall
    rm -rf "$app_dir"
    [ ! -e "$XDG_DATA_HOME/applications/hipmap.desktop" ] || fail "the menu entry is left"
  }
fi

# ---- previous release, then the upgrade -------------------------------------------------
if [ -n "$previous" ]; then
  install_pkg "$previous"
  say "previous release installed: $("$cli" --version)"
else
  say "no previous release given: installing on a clean machine (no upgrade check)"
fi
install_pkg "$new"
got="$("$cli" --version | tr -d '\r')"
[ "$got" = "$want" ] || fail "the installed app says '$got', expected '$want'"
say "--version: $got"
if [ "$kind" = windows ]; then
  n="$(find "$app_dir/_internal" -maxdepth 1 -name 'hipmap-*.dist-info' | wc -l)"
  [ "$n" -eq 1 ] || fail "$n hipmap-*.dist-info folders in _internal (old files left by the upgrade)"
fi

# ---- the installed app works ------------------------------------------------------------
"$cli" --self-test || fail "the installed app's --self-test exited $?"
if [ "$kind" = windows ]; then
  # the windowed program has no console: its exit code is the whole answer
  "$app_dir/hipmap.exe" --self-test || fail "the windowed hipmap.exe --self-test exited $?"
  say "windowed hipmap.exe --self-test: OK"
fi
"$cli" assess "$here/examples/sciatica.hipmap.json" --format json > "${RUNNER_TEMP:-/tmp}/assess.json" \
  || fail "assess exited $?"
grep -q '"lumbar_radiculopathy"' "${RUNNER_TEMP:-/tmp}/assess.json" || fail "assess gave a wrong ranking"
say "assess: OK"

# ---- signatures -------------------------------------------------------------------------
if [ "$kind" = windows ]; then
  w() { cygpath -w "$1"; }
  status="$(powershell -NoProfile -Command "@('$(w "$new")','$(w "$app_dir/hipmap.exe")','$(w "$app_dir/hipmapc.exe")','$(w "$app_dir/unins000.exe")') | ForEach-Object { (Get-AuthenticodeSignature \$_).Status } | Sort-Object -Unique")"
  say "Authenticode: $status"
  if [ "$(echo "$status" | tr -d '\r')" = "Valid" ]; then say "signed: setup, hipmap.exe, hipmapc.exe, uninstaller"
  elif [ -n "$require_signing" ]; then fail "a release must be signed; signature status: $status"
  else say "unsigned build (no certificate secret): signatures not checked"; fi
elif [ "$kind" = macos ]; then
  if codesign --verify --deep --strict "$app_dir" 2>/dev/null && \
     codesign -dv "$app_dir" 2>&1 | grep -q "Authority=Developer ID Application"; then
    spctl --assess --type execute --verbose=2 "$app_dir" || fail "Gatekeeper rejects the app"
    xcrun stapler validate "$new" || fail "the DMG has no stapled notarization ticket"
    say "signed, notarized and stapled: Gatekeeper accepts it"
  elif [ -n "$require_signing" ]; then fail "a release must be signed and notarized"
  else say "unsigned build (no signing secrets): Gatekeeper not checked"; fi
fi

# ---- uninstall leaves nothing behind ----------------------------------------------------
uninstall_pkg
if [ -e "$app_dir" ]; then
  find "$app_dir" | head -20
  fail "the uninstall left files in $app_dir"
fi
if [ "$kind" = windows ]; then
  if reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\{F444C9D2-5D40-43C5-92B8-94C549F5C4F2}_is1' >/dev/null 2>&1; then
    fail "the uninstall entry is still registered"
  fi
fi
say "uninstalled: nothing left in $app_dir"
say "all checks passed for $(basename "$new")"
