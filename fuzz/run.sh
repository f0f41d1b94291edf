#!/usr/bin/env bash
# Bounded coverage-guided fuzzing of one parser: fuzz/run.sh TARGET SECONDS
# Builds the harness (Release), instruments the Onshi assemblies with sharpfuzz, runs afl-fuzz for SECONDS and prints
# executions and crashes from fuzzer_stats. Findings stay in a private directory under /tmp (printed at the end).
set -euo pipefail
target="${1:?usage: fuzz/run.sh TARGET SECONDS (targets: apdu-tlv oqs-xml jpki-der dpop csv)}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS}"
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus/$target"
[ -d "$corpus" ] || { echo "no seed corpus at $corpus" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }

work="$(mktemp -d /tmp/onshi-fuzz-"$target".XXXXXX)"
out="$work/publish"
cd "$root"
dotnet tool restore >/dev/null
# Publish once into a clean folder (incremental on later runs), then instrument a private copy: sharpfuzz rewrites
# assemblies in place, and an assembly must never be instrumented twice.
build="${TMPDIR:-/tmp}/onshi-fuzz-build-$(id -u)"
dotnet publish fuzz/Onshi.Fuzz/Onshi.Fuzz.csproj -c Release -o "$build" -nologo -clp:ErrorsOnly >/dev/null
cp -r "$build" "$out"

# Only our parsers' assemblies are instrumented (never the build output the tests use: this is a private publish).
for dll in Onshi.Card Onshi.OqsXml Onshi.Jpki Onshi.Server Onshi.Core; do
  dotnet sharpfuzz "$out/$dll.dll" >/dev/null
done

# .NET needs more than AFL's default memory limit. The time-out is fixed (no "+"): with "-t N+" AFL 4.04c calibrates it
# from the first runs (it chose 40 ms), and on a machine shared with builds a slow but finished run then counted as a
# failure of the out-of-process child. 2 s is still far below anything a parser should take on these input sizes.
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 \
  timeout --kill-after=30 $((seconds + 120)) \
  afl-fuzz -V "$seconds" -m none -t 2000 -i "$corpus" -o "$work/findings" -- "$out/Onshi.Fuzz" "$target" >"$work/afl.log" 2>&1 || true

stats="$work/findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  echo "afl-fuzz produced no fuzzer_stats; last lines of its log ($work/afl.log):" >&2
  tail -20 "$work/afl.log" >&2
  exit 1
fi
execs="$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")"
crashes="$(awk -F' *: *' '$1=="saved_crashes"||$1=="unique_crashes"{print $2}' "$stats" | head -1)"
hangs="$(awk -F' *: *' '$1=="saved_hangs"||$1=="unique_hangs"{print $2}' "$stats" | head -1)"
paths="$(awk -F' *: *' '$1=="corpus_count"||$1=="paths_total"{print $2}' "$stats" | head -1)"
# Replay every saved crash once through the uninstrumented build, outside AFL: a crash that reproduces prints its
# exception; one that does not (the out-of-process child died for another reason, e.g. the machine under load) is
# counted apart so that it is neither hidden nor mistaken for a parser defect.
reproducible=0
mkdir -p "$work/replay"
for crash in "$work/findings/default/crashes"/id:*; do
  [ -e "$crash" ] || continue
  log="$work/replay/$(basename "$crash").log"
  if ! timeout 60 dotnet "$build/Onshi.Fuzz.dll" "$target" --replay "$crash" >"$log" 2>&1; then
    reproducible=$((reproducible + 1))
    echo "reproduces: $crash: $(grep -m1 -E 'Exception|exception' "$log" || tail -1 "$log")"
  fi
done

started="$(awk -F' *: *' '$1=="start_time"{print $2}' "$stats")"
updated="$(awk -F' *: *' '$1=="last_update"{print $2}' "$stats")"
echo "date=$(date -u -d "@$started" +%Y-%m-%dT%H:%MZ) target=$target seconds=$((updated - started)) execs_done=$execs crashes=$crashes reproducible=$reproducible hangs=$hangs corpus=$paths findings=$work/findings/default"
