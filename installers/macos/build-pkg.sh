#!/usr/bin/env bash
# macOS release: Discreet.app from the PyInstaller spec, signed inside out with the
# hardened runtime, packaged as a signed .pkg, notarized and stapled.
#
# Runs on a Mac with Xcode's command-line tools; it cannot run on the Linux build
# machine, and has not been run there. Needs:
#   APP_IDENTITY  "Developer ID Application: …"   PKG_IDENTITY  "Developer ID Installer: …"
#   NOTARY_PROFILE  a `xcrun notarytool store-credentials` profile name
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=$(python3 -c 'import sys; sys.path.insert(0, "app"); import discreet; print(discreet.__version__)')
HERE=installers/macos
APP=dist/Discreet.app

export DISCREET_BUNDLE_MODELS="$(python3 -c 'from discreet.core.paths import app_paths; print(app_paths().models)')"
python3 -m PyInstaller --noconfirm --distpath dist installers/discreet.spec
# Wrap the onedir bundle as an .app whose executable opens the window.
rm -rf "$APP" && mkdir -p "$APP/Contents/MacOS" "$APP/Contents/Resources"
cp -R dist/discreet/. "$APP/Contents/MacOS/"
cp "$HERE/Info.plist" "$APP/Contents/Info.plist"
sed -i '' "s/@VERSION@/$VERSION/" "$APP/Contents/Info.plist"

# Sign every nested binary first (deepest first), then the app, all with the
# hardened runtime; --deep is not used because it signs in the wrong order.
find "$APP/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
  sort -rz | xargs -0 codesign --force --timestamp --options runtime \
    --entitlements "$HERE/entitlements.plist" --sign "$APP_IDENTITY"
codesign --force --timestamp --options runtime --entitlements "$HERE/entitlements.plist" \
  --sign "$APP_IDENTITY" "$APP"
codesign --verify --strict --deep --verbose=2 "$APP"

PKG="dist/Discreet-$VERSION.pkg"
productbuild --component "$APP" /Applications --sign "$PKG_IDENTITY" "$PKG"
xcrun notarytool submit "$PKG" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$PKG"
spctl --assess --type install --verbose "$PKG"
echo "Built, signed, notarized and stapled $PKG"
