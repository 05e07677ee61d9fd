#!/bin/sh
# Adds hipmap to this user's application menu and makes *.hipmap.json drawings open in it
# (with hipmap's icon). Run it from the unpacked folder, after moving the folder where it
# stays (e.g. ~/.local/opt/hipmap-<version>). Undo: --uninstall. Nothing needs root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$data/applications/hipmap.desktop" "$data/icons/hicolor/256x256/apps/hipmap.png"
  command -v xdg-mime >/dev/null && xdg-mime uninstall "$data/mime/packages/hipmap-mime.xml" || true
  rm -f "$data/mime/packages/hipmap-mime.xml"
  echo "hipmap: desktop integration removed (the program folder $here is untouched)"
  exit 0
fi
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps" "$data/mime/packages"
sed "s|@HIPMAP_DIR@|$here|g" "$here/hipmap.desktop" > "$data/applications/hipmap.desktop"
cp "$here/hipmap.png" "$data/icons/hicolor/256x256/apps/hipmap.png"
cp "$here/hipmap-mime.xml" "$data/mime/packages/hipmap-mime.xml"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v xdg-mime >/dev/null && xdg-mime default hipmap.desktop application/vnd.hipmap.drawing+json || true
echo "hipmap: added to the application menu; .hipmap.json drawings now open in $here/hipmap"
