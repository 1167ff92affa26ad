#!/usr/bin/env bash
# golden/bench/run.sh: sendfix's performance against ast-grep, a bare
# tree-sitter parse and grep, on the Rust crate sources Debian installs.
#
# Usage (from the repository root, after the README's set-up):
#   golden/bench/run.sh            # RUNS=5 timed runs of each command
#   RUNS=7 JOBS=2 golden/bench/run.sh
#
# Needs: go, npm, and /usr/share/cargo/registry (apt-get install -y
# librust-tokio-dev), tar and awk. Installs GNU time when /usr/bin/time is
# missing, and ast-grep 0.51.1 into a temporary folder (npm's platform
# package ships the binary). Every timing is wall-clock, the median of RUNS runs, the commands
# alternating so that a disturbance of the machine hits each alike.
set -euo pipefail

CORPUS=${CORPUS:-/usr/share/cargo/registry}
RUNS=${RUNS:-5}
JOBS=${JOBS:-$(nproc)}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sendfix-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

die() { echo "run.sh: $*" >&2; exit 2; }
[ -d "$CORPUS" ] || die "$CORPUS is missing: apt-get install -y librust-tokio-dev"
TOKIO=$(ls -d "$CORPUS"/tokio-[0-9]* 2>/dev/null | head -1)
[ -n "$TOKIO" ] || die "no tokio sources under $CORPUS"
command -v go >/dev/null || die "go is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH (apt-get install -y npm)"
if [ ! -x /usr/bin/time ]; then
	apt-get install -y time >/dev/null || die "cannot install GNU time"
fi

echo "== building"
(cd "$ROOT" && go build -o "$WORK/sendfix" ./cmd/sendfix && go build -o "$WORK/corpus" ./golden/bench/corpus)
echo "== installing ast-grep 0.51.1 into $WORK/ast-grep"
mkdir -p "$WORK/ast-grep"
(cd "$WORK/ast-grep" && npm install --no-audit --no-fund --loglevel=error @ast-grep/cli@0.51.1 >/dev/null)
AG="$WORK/ast-grep/node_modules/.bin/ast-grep"
"$AG" --version >/dev/null || die "ast-grep does not run here"

# elapsed CMD...: wall seconds of one run, output discarded. sendfix and
# ast-grep exit non-zero when they find something; only 2 and up is an error.
elapsed() {
	local t0 t1 rc=0
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || rc=$?
	t1=$(date +%s.%N)
	[ "$rc" -le 1 ] || die "exit $rc: $*"
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", b - a}'
}
median() { sort -g | awk '{v[NR]=$1} END {m=int((NR+1)/2); if (NR%2) print v[m]; else print (v[m]+v[m+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
rsbytes() { find "$@" -name '*.rs' -type f -print0 | du -cb --files0-from=- | tail -1 | awk '{printf "%.1f", $1/1048576}'; }

sendfix_run() { "$WORK/sendfix" -q --color=never -j "$JOBS" "$1"; }
astgrep_run() { "$AG" run --pattern '$A.lock().unwrap()' --lang rust --threads "$JOBS" --color never "$1"; }
parse_run() { "$WORK/corpus" parse -j "$JOBS" "$1"; }
grep_run() { grep -rl -F .await --include='*.rs' "$1"; }

# bench DIR CMD...: time each CMD on DIR, alternating, RUNS times; sets
# MED_<CMD> to the medians.
bench() {
	local dir=$1
	shift
	local f
	for f in "$@"; do : >"$WORK/t.$f"; done
	# One untimed run of each warms the page cache.
	for f in "$@"; do "$f" "$dir" >/dev/null 2>&1 || true; done
	for _ in $(seq "$RUNS"); do
		for f in "$@"; do elapsed "$f" "$dir" >>"$WORK/t.$f"; done
	done
	for f in "$@"; do
		printf -v "MED_$f" '%s' "$(median <"$WORK/t.$f")"
	done
}

echo
echo "== machine: $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr); $(date -u +%Y-%m-%d)"
echo "== corpus: $CORPUS: $(find "$CORPUS" -name '*.rs' -type f | wc -l) .rs files, $(rsbytes "$CORPUS") MB; jobs $JOBS; median of $RUNS"
"$WORK/corpus" stats -j "$JOBS" "$CORPUS"

bench "$CORPUS" sendfix_run astgrep_run parse_run grep_run
a=$MED_sendfix_run b=$MED_astgrep_run c=$MED_parse_run d=$MED_grep_run
rss=$(/usr/bin/time -f %M "$WORK/sendfix" -q --color=never -j "$JOBS" "$CORPUS" 2>&1 >/dev/null | tail -1)
echo
printf '(a) sendfix dry run, all rules     %8.3f s\n' "$a"
printf '(b) ast-grep $A.lock().unwrap()    %8.3f s\n' "$b"
printf '(c) tree-sitter parse of every file %7.3f s\n' "$c"
printf '(d) grep -rl -F .await             %8.3f s\n' "$d"
printf 'a/b %s (target <= 0.1)   a/c %s   a/d %s (target <= 3)\n' "$(ratio "$a" "$b")" "$(ratio "$a" "$c")" "$(ratio "$a" "$d")"
printf 'peak RSS of (a): %d MB (target < 100)\n' "$((rss / 1024))"

echo
echo "== async-heavy: $TOKIO ($(find "$TOKIO" -name '*.rs' | wc -l) files, $(rsbytes "$TOKIO") MB)"
"$WORK/corpus" stats -j "$JOBS" "$TOKIO"
bench "$TOKIO" sendfix_run parse_run
printf '(a) sendfix %.3f s   (c) parse-only %.3f s   a/c %s (target <= 1.25)\n' \
	"$MED_sendfix_run" "$MED_parse_run" "$(ratio "$MED_sendfix_run" "$MED_parse_run")"

echo
echo "== scaling: the corpus copied 1x, 4x, 16x"
first=""
for k in 1 4 16; do
	dir="$WORK/scale$k"
	mkdir -p "$dir"
	for i in $(seq "$k"); do
		mkdir -p "$dir/copy$i"
		(cd "$CORPUS" && find . -name '*.rs' -type f -print0 | tar --null -T - -cf -) | tar -xf - -C "$dir/copy$i"
	done
	size=$(rsbytes "$dir")
	bench "$dir" sendfix_run
	spm=$(awk -v t="$MED_sendfix_run" -v m="$size" 'BEGIN {printf "%.6f", t / m}')
	[ -n "$first" ] || first=$spm
	printf '%3dx %8.1f MB %8.3f s %9.5f s/MB (%s of 1x)\n' "$k" "$size" "$MED_sendfix_run" "$spm" "$(ratio "$spm" "$first")"
	rm -rf "$dir"
done
