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
set -euo pipefail
version="${1:?usage: build_dmg.sh VERSION ARCH}"
arch="${2:-$(uname -m)}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/dist/hipmap.app"
dmg="$root/dist/hipmap-$version-macos-$arch.dmg"
entitlements="$root/packaging/macos/entitlements.plist"
[ -d "$app" ] || { echo "build_dmg.sh: $app not found: run packaging/build.py first" >&2; exit 1; }

identity="${HIPMAP_CODESIGN_IDENTITY:-}"
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
       "unsigned: Gatekeeper will block it until the user right-clicks hipmap.app > Open."
fi

stage="$(mktemp -d -t hipmap-dmg)"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "hipmap $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
rm -rf "$stage"

if [ -n "$identity" ]; then
  codesign --force --timestamp --sign "$identity" "$dmg"
fi

if [ -n "$identity" ] && [ -n "${HIPMAP_NOTARY_APPLE_ID:-}" ] && [ -n "${HIPMAP_NOTARY_TEAM_ID:-}" ] \
   && [ -n "${HIPMAP_NOTARY_PASSWORD:-}" ]; then
  echo "build_dmg.sh: notarizing $(basename "$dmg") (waits for Apple's answer)"
  xcrun notarytool submit "$dmg" --apple-id "$HIPMAP_NOTARY_APPLE_ID" \
    --team-id "$HIPMAP_NOTARY_TEAM_ID" --password "$HIPMAP_NOTARY_PASSWORD" --wait
  xcrun stapler staple "$dmg"
  xcrun stapler validate "$dmg"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg" || true
else
  echo "build_dmg.sh: skipping notarization: needs HIPMAP_CODESIGN_IDENTITY," \
       "HIPMAP_NOTARY_APPLE_ID, HIPMAP_NOTARY_TEAM_ID and HIPMAP_NOTARY_PASSWORD."
fi
echo "build_dmg.sh: $dmg"
