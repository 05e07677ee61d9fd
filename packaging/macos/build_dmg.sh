#!/usr/bin/env bash
# macOS: sign (when the secrets are there), package dist/hipmap.app into a DMG, notarize and
# staple it (when the secrets are there). Called by packaging/build.py after PyInstaller:
#
#   bash packaging/macos/build_dmg.sh VERSION ARCH      -> dist/hipmap-VERSION-macos-ARCH.dmg
#
# Signing secrets (all optional; without them the DMG is unsigned and says so):
#   HIPMAP_CODESIGN_IDENTITY       "Developer ID Application: Name (TEAMID)"
#   HIPMAP_MACOS_CERT_P12_BASE64   that certificate + key as a base64 .p12 (CI: imported into
#   HIPMAP_MACOS_CERT_PASSWORD     a temporary keychain); leave unset if it is in your keychain
# Notarization (needs the signing identity too):
#   HIPMAP_NOTARY_APPLE_ID, HIPMAP_NOTARY_TEAM_ID, HIPMAP_NOTARY_PASSWORD (app-specific password)
# HIPMAP_REQUIRE_SIGNING=1 (the release workflow sets it for version tags): fail instead of
# building an unsigned or un-notarized DMG.
set -euo pipefail
version="${1:?usage: build_dmg.sh VERSION ARCH}"
arch="${2:-$(uname -m)}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/dist/hipmap.app"
dmg="$root/dist/hipmap-$version-macos-$arch.dmg"
entitlements="$root/packaging/macos/entitlements.plist"
[ -d "$app" ] || { echo "build_dmg.sh: $app not found: run packaging/build.py first" >&2; exit 1; }

identity="${HIPMAP_CODESIGN_IDENTITY:-}"
notary_ok=""
if [ -n "$identity" ] && [ -n "${HIPMAP_NOTARY_APPLE_ID:-}" ] && [ -n "${HIPMAP_NOTARY_TEAM_ID:-}" ] \
   && [ -n "${HIPMAP_NOTARY_PASSWORD:-}" ]; then
  notary_ok=1
fi
if [ -n "${HIPMAP_REQUIRE_SIGNING:-}" ] && { [ -z "$identity" ] || [ -z "$notary_ok" ]; }; then
  echo "build_dmg.sh: this is a release build (HIPMAP_REQUIRE_SIGNING=1) but the signing or" \
       "notary secrets are missing (HIPMAP_CODESIGN_IDENTITY, HIPMAP_NOTARY_APPLE_ID," \
       "HIPMAP_NOTARY_TEAM_ID, HIPMAP_NOTARY_PASSWORD): refusing to build an unsigned DMG" >&2
  exit 1
fi
keychain=""
cleanup() { if [ -n "$keychain" ]; then security delete-keychain "$keychain" || true; fi; }
trap cleanup EXIT

if [ -n "$identity" ] && [ -n "${HIPMAP_MACOS_CERT_P12_BASE64:-}" ]; then
  # CI: a throw-away keychain holding only the Developer ID certificate.
  keychain="${RUNNER_TEMP:-$(mktemp -d)}/hipmap-signing.keychain-db"
  kc_pass="$(uuidgen)"
  p12="$(mktemp -t hipmap-cert).p12"
  printf '%s' "$HIPMAP_MACOS_CERT_P12_BASE64" | base64 --decode > "$p12"
  security create-keychain -p "$kc_pass" "$keychain"
  security set-keychain-settings -lut 21600 "$keychain"
  security unlock-keychain -p "$kc_pass" "$keychain"
  security import "$p12" -k "$keychain" -P "${HIPMAP_MACOS_CERT_PASSWORD:-}" \
    -T /usr/bin/codesign -T /usr/bin/security
  security set-key-partition-list -S apple-tool:,apple: -s -k "$kc_pass" "$keychain" >/dev/null
  # shellcheck disable=SC2046  # the existing keychains, one word each
  security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
  rm -f "$p12"
fi

if [ -n "$identity" ]; then
  echo "build_dmg.sh: signing hipmap.app as '$identity' (hardened runtime, timestamp)"
  # --deep re-signs every nested Mach-O (Qt frameworks, Python extensions) with our identity.
  codesign --force --deep --options runtime --timestamp \
    --entitlements "$entitlements" --sign "$identity" "$app"
  codesign --verify --deep --strict --verbose=2 "$app"
else
  echo "build_dmg.sh: skipping signing: HIPMAP_CODESIGN_IDENTITY is not set. The DMG will be" \
       "unsigned: macOS blocks it at first start; since macOS 15 the user allows it in" \
       "System Settings > Privacy & Security > Open Anyway (right-click > Open no longer does)."
fi

stage="$(mktemp -d -t hipmap-dmg)"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
if [ -z "$identity" ]; then
  cat > "$stage/If macOS blocks hipmap.txt" <<'TXT'
This copy of hipmap is not signed by its developers, so macOS blocks it the first time.

1. Drag hipmap into Applications and open it once; macOS says it cannot be opened. Click Done.
2. Open System Settings > Privacy & Security, scroll to Security: "hipmap was blocked to
   protect your Mac". Click Open Anyway and confirm with your password.
   (Since macOS 15 Sequoia, right-click > Open no longer offers this.)
3. hipmap opens, and from then on opens normally.

Signed and notarized releases open without these steps.
TXT
fi
rm -f "$dmg"
# ULMO: LZMA-compressed (the smallest DMG format; macOS 10.15+, below hipmap's minimum).
# hdiutil fails now and then on hosted runners ("Resource busy"): retry, detaching strays.
for attempt in 1 2 3 4 5; do
  if hdiutil create -volname "hipmap $version" -srcfolder "$stage" -fs HFS+ -format ULMO \
       -ov "$dmg"; then
    break
  fi
  if [ "$attempt" -eq 5 ]; then
    echo "build_dmg.sh: hdiutil create failed 5 times" >&2
    exit 1
  fi
  echo "build_dmg.sh: hdiutil create failed (attempt $attempt); retrying in $((attempt * 10)) s"
  hdiutil info | awk '/\/Volumes\/hipmap/ {print $1}' | xargs -n1 hdiutil detach -force \
    2>/dev/null || true
  sleep $((attempt * 10))
done
rm -rf "$stage"

if [ -n "$identity" ]; then
  codesign --force --timestamp --sign "$identity" "$dmg"
fi

if [ -n "$notary_ok" ]; then
  echo "build_dmg.sh: notarizing $(basename "$dmg") (waits for Apple's answer)"
  auth=(--apple-id "$HIPMAP_NOTARY_APPLE_ID" --team-id "$HIPMAP_NOTARY_TEAM_ID"
        --password "$HIPMAP_NOTARY_PASSWORD")
  # `submit --wait` exits 0 for an "Invalid" result too: read the status from its JSON.
  result="$(xcrun notarytool submit "$dmg" "${auth[@]}" --wait --output-format json)" || true
  echo "$result"
  field() { printf '%s' "$result" | python3 -c \
    "import json, sys; print(json.load(sys.stdin).get('$1', ''))" 2>/dev/null || true; }
  status="$(field status)"
  sub_id="$(field id)"
  if [ "$status" != "Accepted" ]; then
    echo "build_dmg.sh: notarization: $status. Apple's log:" >&2
    if [ -n "$sub_id" ]; then xcrun notarytool log "$sub_id" "${auth[@]}" >&2 || true; fi
    exit 1
  fi
  # the ticket can take a moment to reach Apple's CDN: retry stapling
  for attempt in 1 2 3 4 5; do
    if xcrun stapler staple "$dmg"; then break; fi
    if [ "$attempt" -eq 5 ]; then
      echo "build_dmg.sh: stapling failed 5 times" >&2
      exit 1
    fi
    echo "build_dmg.sh: stapling failed (attempt $attempt); retrying in $((attempt * 15)) s"
    sleep $((attempt * 15))
  done
  xcrun stapler validate "$dmg"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
else
  echo "build_dmg.sh: skipping notarization: needs HIPMAP_CODESIGN_IDENTITY," \
       "HIPMAP_NOTARY_APPLE_ID, HIPMAP_NOTARY_TEAM_ID and HIPMAP_NOTARY_PASSWORD."
fi
echo "build_dmg.sh: $dmg"
