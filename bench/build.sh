#!/usr/bin/env bash
# Full-build benchmark: generates corpora with ../shared/bench/gen_corpus.py, builds each
# several times with the binary the release archives hold (profile `dist`) and prints the
# median wall time and peak memory.
# If hugo is installed, it builds the same corpus in Hugo's format in the same run, taking
# turns with pactline, and prints the ratio. Both rebuild over their previous output, as a
# writer does after an edit; the rows "fresh" and "hugo-fresh" are the same builds into an
# empty folder, as on a CI machine, again by turns.
#
#   bench/build.sh [SIZES...]        default: 1000 10000; e.g. bench/build.sh 1000 10000 100000
#   RUNS=5 OUT=/dev/shm bench/build.sh
#   HUGO=0 bench/build.sh 100000      # pactline alone (Hugo needs ~16 GB at 100k sessions)
#   OVERRIDE=0 bench/build.sh          # without the run of a theme that overrides templates
#
# Each size is also built as a site that overrides base.html and session.html with edited
# copies of the default theme's (row "override"), to show that an overriding theme builds
# as fast as the default one.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gen="${GEN:-$here/../shared/bench/gen_corpus.py}"
runs=${RUNS:-5}
out=${OUT:-/dev/shm}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

cargo build --profile dist --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/dist/pactline"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Runs "$@" once; appends "seconds peak_kb" to the file $1 names (the command follows).
once() {
  local log=$1; shift
  local tmp
  tmp=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$tmp" "$@" >/dev/null 2>&1
  tail -1 "$tmp" >>"$log"; rm -f "$tmp"
}

# "median_seconds median_peak_mb" of the runs in file $1.
summary() {
  printf '%s %s\n' "$(cut -d' ' -f1 "$1" | median)" "$(cut -d' ' -f2 "$1" | median | awk '{printf "%.0f", $1/1024}')"
}

# Runs "$@" $runs times; prints "median_seconds median_peak_mb".
measure() {
  local log
  log=$(mktemp)
  for _ in $(seq "$runs"); do once "$log" "$@"; done
  summary "$log"; rm -f "$log"
}

printf '%-9s %-10s %10s %10s %12s %12s\n' sessions tool median_s peak_MB s_per_1k MB_per_1k
for n in "${sizes[@]}"; do
  corpus="$out/pactline-bench-$n"
  [ -d "$corpus/content" ] || python3 "$gen" "$n" "$corpus" --format ours --force >/dev/null 2>&1
  hugo_runs=0
  if [ "${HUGO:-1}" != 0 ] && command -v hugo >/dev/null; then
    hugo_runs=1
    hcorpus="$out/hugo-bench-$n"
    [ -d "$hcorpus" ] || python3 "$gen" "$n" "$hcorpus" --format hugo --force >/dev/null 2>&1
  fi
  # pactline and Hugo take turns, so that a machine that slows down or speeds up during
  # the run weighs on both alike.
  plog=$(mktemp); hlog=$(mktemp)
  for _ in $(seq "$runs"); do
    once "$plog" "$bin" build --root "$corpus" --output "$out/pactline-bench-out-$n"
    [ "$hugo_runs" = 0 ] || once "$hlog" hugo --quiet --source "$hcorpus" --destination "$out/hugo-bench-out-$n"
  done
  read -r secs mb < <(summary "$plog")
  printf '%-9s %-10s %10s %10s %12.3f %12.1f\n' "$n" pactline "$secs" "$mb" \
    "$(echo "$secs * 1000 / $n" | bc -l)" "$(echo "$mb * 1000 / $n" | bc -l)"
  # The same builds into a folder that does not exist yet: nothing to keep from before,
  # neither files nor the digests a build keeps in its output.
  clog=$(mktemp); hclog=$(mktemp)
  for _ in $(seq "$runs"); do
    rm -rf "$out/pactline-bench-cold-$n" "$out/hugo-bench-cold-$n"
    once "$clog" "$bin" build --root "$corpus" --output "$out/pactline-bench-cold-$n"
    [ "$hugo_runs" = 0 ] || once "$hclog" hugo --quiet --source "$hcorpus" --destination "$out/hugo-bench-cold-$n"
  done
  rm -rf "$out/pactline-bench-cold-$n" "$out/hugo-bench-cold-$n"
  read -r csecs cmb < <(summary "$clog")
  printf '%-9s %-10s %10s %10s %12.3f %12.1f\n' "$n" "fresh" "$csecs" "$cmb" \
    "$(echo "$csecs * 1000 / $n" | bc -l)" "$(echo "$cmb * 1000 / $n" | bc -l)"
  if [ "${OVERRIDE:-1}" != 0 ]; then
    ocorpus="$out/pactline-bench-override-$n"
    if [ ! -d "$ocorpus/content" ]; then
      mkdir -p "$ocorpus/themes/default/templates"
      cp -r "$corpus/content" "$ocorpus/"
      for t in base session; do
        sed 's/<main id="main"/<main data-theme="edited" id="main"/; s/<h1 id="session-title"/<h1 data-theme="edited" id="session-title"/' \
          "$here/themes/default/templates/$t.html" > "$ocorpus/themes/default/templates/$t.html"
      done
    fi
    read -r osecs omb < <(measure "$bin" build --root "$ocorpus" --output "$out/pactline-bench-out-override-$n")
    printf '%-9s %-10s %10s %10s %12.3f %12.1f   override/default = %.2f\n' "$n" override "$osecs" "$omb" \
      "$(echo "$osecs * 1000 / $n" | bc -l)" "$(echo "$omb * 1000 / $n" | bc -l)" "$(echo "$osecs / $secs" | bc -l)"
  fi
  if [ "$hugo_runs" = 1 ]; then
    read -r hsecs hmb < <(summary "$hlog")
    printf '%-9s %-10s %10s %10s %12.3f %12.1f   pactline/hugo = %.3f\n' "$n" hugo "$hsecs" "$hmb" \
      "$(echo "$hsecs * 1000 / $n" | bc -l)" "$(echo "$hmb * 1000 / $n" | bc -l)" \
      "$(echo "$secs / $hsecs" | bc -l)"
    read -r hcsecs hcmb < <(summary "$hclog")
    printf '%-9s %-10s %10s %10s %12.3f %12.1f   fresh/hugo-fresh = %.3f\n' "$n" hugo-fresh "$hcsecs" "$hcmb" \
      "$(echo "$hcsecs * 1000 / $n" | bc -l)" "$(echo "$hcmb * 1000 / $n" | bc -l)" \
      "$(echo "$csecs / $hcsecs" | bc -l)"
  fi
  rm -f "$plog" "$hlog" "$clog" "$hclog"
done
# The floor: reading every input, and copying the output, on the same file system.
n=${sizes[-1]}
read -r cat_s _ < <(measure sh -c "cat $out/pactline-bench-$n/content/sessions/* >/dev/null")
read -r cp_s _ < <(measure sh -c "rm -rf $out/pactline-bench-copy && cp -r $out/pactline-bench-out-$n $out/pactline-bench-copy")
echo "floor at $n sessions: cat inputs ${cat_s} s, cp -r output ${cp_s} s"
