#!/usr/bin/env bash
# Frozen-app smoke test (called by .ci/run): build the Linux bundle from this checkout in its
# own virtual environment, then run the frozen app offscreen, and fail if anything fails.
#
#   bash packaging/ci_smoke.sh            # build from this checkout (CI's is a fresh clone)
#   bash packaging/ci_smoke.sh --clone    # build from a clean clone of HEAD in a temp folder
#
# Checks, against ./dist/hipmap/hipmap:
#   --version                                              the bundle starts, metadata is in
#   assess examples/sciatica.hipmap.json --format json     the assets (atlas, knowledge) are in
#   render examples/bursitis.hipmap.json -o ...            Qt renders headless in the bundle
#   report examples/sciatica.hipmap.json -o ...            the PDF report (QPdfWriter)
#   --self-test                                            the GUI paints, assesses, renders
#                                                          (run when `--help` lists it)
#   --kiosk --self-test --db URL; inbox                    the kiosk by touch, its submission
# Environment: HIPMAP_BUILD_VENV (default: <checkout>/.venv-build), PYTHON (default python3).
set -euo pipefail
t0=$(date +%s)
src="$(cd "$(dirname "$0")/.." && pwd)"
export QT_QPA_PLATFORM=offscreen PIP_DISABLE_PIP_VERSION_CHECK=1

if [ "${1:-}" = "--clone" ]; then
  work="$(mktemp -d -t hipmap-smoke-XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  git clone --quiet --no-hardlinks "$src" "$work/hipmap"
  src="$work/hipmap"
fi
cd "$src"

# PyInstaller needs objdump and uses strip (binutils); the frozen Qt needs the same runtime
# libraries as the test suite (.ci/run installs those).
if ! command -v objdump >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends binutils
fi

venv="${HIPMAP_BUILD_VENV:-$src/.venv-build}"
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# Not editable: the bundle must be built from what pip installs. Lower bounds as in the
# "package" extra of pyproject.toml.
"$venv/bin/python" -m pip install --quiet "$src" "pyinstaller>=6.10" "pillow>=10"
t_setup=$(date +%s)

"$venv/bin/python" packaging/build.py --bundle-only
t_build=$(date +%s)

app=./dist/hipmap/hipmap
fail() { echo "ci_smoke: FAILED: $*" >&2; exit 1; }

out="$("$app" --version)" || fail "hipmap --version exited $?"
echo "ci_smoke: $out"
want="hipmap $("$venv/bin/python" -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
[ "$out" = "$want" ] || fail "the bundle says '$out', pyproject.toml says '$want'"

"$app" assess examples/sciatica.hipmap.json --format json > build/smoke-assess.json \
  || fail "hipmap assess exited $?"
"$venv/bin/python" - <<'EOF' || fail "the frozen assessment is wrong"
import json
a = json.load(open("build/smoke-assess.json"))
assert a["format"].startswith("hipmap.assessment/"), a["format"]
assert a["ranking"][0]["cause"] == "lumbar_radiculopathy", a["ranking"][0]
print(f"ci_smoke: assess OK: top cause {a['ranking'][0]['cause']}, urgency {a['urgency']}")
EOF

"$app" render examples/bursitis.hipmap.json -o build/smoke-render.png || fail "hipmap render exited $?"
[ "$(stat -c %s build/smoke-render.png)" -gt 10000 ] || fail "the rendered PNG is too small"
echo "ci_smoke: render OK ($(stat -c %s build/smoke-render.png) bytes)"

"$app" report examples/sciatica.hipmap.json -o build/smoke-report.pdf || fail "hipmap report exited $?"
[ "$(head -c 5 build/smoke-report.pdf)" = "%PDF-" ] || fail "the report is not a PDF"
echo "ci_smoke: report OK ($(stat -c %s build/smoke-report.pdf) bytes)"

# The clinic record in the bundle: SQLAlchemy, the Alembic migrations and sqlite3 are there.
db="sqlite:///$PWD/build/smoke-record.db"
rm -f build/smoke-record.db*
"$app" db upgrade --db "$db" > /dev/null || fail "hipmap db upgrade exited $?"
"$app" visits add examples/sciatica.hipmap.json --patient SMOKE-1 --format json --db "$db" \
  > build/smoke-visit.json || fail "hipmap visits add exited $?"
"$app" visits show 1 --db "$db" | grep -q '"marks"' || fail "the stored visit did not read back"
"$app" db check --db "$db" > /dev/null || fail "hipmap db check exited $?"
echo "ci_smoke: record OK (SQLite: upgrade, add, show, check)"

if "$app" --help | grep -q -- "--self-test"; then
  "$app" --self-test || fail "hipmap --self-test exited $?"
else
  echo "ci_smoke: this hipmap has no --self-test yet: skipped"
fi

# the patient kiosk, through its real widgets by synthetic touch, submitting to a record
rm -f build/smoke-kiosk.db*
"$app" --kiosk --self-test --db "sqlite:///$PWD/build/smoke-kiosk.db" \
  || fail "hipmap --kiosk --self-test exited $?"
"$app" inbox --format json --db "sqlite:///$PWD/build/smoke-kiosk.db" | grep -q '"kiosk"' \
  || fail "the kiosk's submission is not in the frozen app's inbox"
echo "ci_smoke: kiosk OK (the flow by touch, one submission in the inbox)"

t_end=$(date +%s)
echo "ci_smoke: bundle $(du -sm dist/hipmap | cut -f1) MB; setup $((t_setup - t0)) s," \
     "build $((t_build - t_setup)) s, checks $((t_end - t_build)) s, total $((t_end - t0)) s"
