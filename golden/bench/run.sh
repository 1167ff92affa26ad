#!/usr/bin/env bash
# golden/bench/run.sh: sendfix's performance against ast-grep and a bare
# tree-sitter parse on three corpora: Debian's Rust crate sources, and the
# vector and deno applications (async-heavy; ../shared/corpora).
#
# Usage (from the repository root, after the README's set-up):
#   golden/bench/run.sh                 # RUNS=5 timed runs of each command
#   RUNS=7 JOBS=2 golden/bench/run.sh
#   SCALING=1 golden/bench/run.sh       # also Debian's sources copied 1x, 4x, 16x
#
# Needs: go, /usr/share/cargo/registry (apt-get install -y
# librust-tokio-dev), tar, xz and awk; GNU time (installed when missing).
# The application corpora are the tar.xz files of ../shared/corpora, found
# next to the repository (or its main worktree), or in $SENDFIX_CORPORA;
# without them their rows are skipped, with a message.
#
# ast-grep 0.51.1 is the comparison: `ast-grep` on PATH (or $AST_GREP) is
# used when it is 0.51.x, else it is installed into a temporary folder
# with npm (`npm install @ast-grep/cli@0.51.1`, whose platform package
# ships the binary). Without either, the ast-grep column is skipped with a
# message saying how to get it.
#
# Every timing is wall-clock, the median of RUNS runs, the commands
# alternating so that a disturbance of the machine hits each alike. For
# each corpus it also checks the schedule's promise: the findings and the
# diffs of a run are those of a run that parses every file
# (SENDFIX_EXHAUSTIVE=1).
set -euo pipefail

DEBIAN=${DEBIAN:-/usr/share/cargo/registry}
RUNS=${RUNS:-5}
JOBS=${JOBS:-$(nproc)}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sendfix-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

die() { echo "run.sh: $*" >&2; exit 2; }
note() { echo "run.sh: $*" >&2; }
[ -d "$DEBIAN" ] || die "$DEBIAN is missing: apt-get install -y librust-tokio-dev"
command -v go >/dev/null || die "go is not on PATH"
if [ ! -x /usr/bin/time ]; then
	apt-get install -y time >/dev/null || die "cannot install GNU time (apt-get install -y time)"
fi

echo "== building"
(cd "$ROOT" && go build -o "$WORK/sendfix" ./cmd/sendfix && go build -o "$WORK/corpus" ./golden/bench/corpus)

# ast-grep: a 0.51.x on PATH or in $AST_GREP, else one npm installs here.
AG=${AST_GREP:-$(command -v ast-grep || true)}
if [ -n "$AG" ] && ! "$AG" --version 2>/dev/null | grep -q ' 0\.51\.'; then
	AG=""
fi
if [ -z "$AG" ] && command -v npm >/dev/null; then
	echo "== installing ast-grep 0.51.1 into $WORK/ast-grep"
	mkdir -p "$WORK/ast-grep"
	if (cd "$WORK/ast-grep" && npm install --no-audit --no-fund --loglevel=error @ast-grep/cli@0.51.1 >/dev/null); then
		AG="$WORK/ast-grep/node_modules/.bin/ast-grep"
	fi
fi
if [ -z "$AG" ] || ! "$AG" --version >/dev/null 2>&1; then
	note "no ast-grep 0.51.x: its column is skipped (npm install -g @ast-grep/cli@0.51.1, or AST_GREP=/path/to/ast-grep)"
	AG=""
fi

# The application corpora: $SENDFIX_CORPORA, or ../shared/corpora next to
# the repository or to its main worktree.
CORPORA=${SENDFIX_CORPORA:-}
if [ -z "$CORPORA" ]; then
	common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
	for c in "$ROOT/../shared/corpora" ${common:+"$(dirname "$common")/../shared/corpora"}; do
		if [ -d "$c" ]; then
			CORPORA=$(cd "$c" && pwd)
			break
		fi
	done
fi
mkdir -p "$WORK/corpora"
APPS=()
for app in vector deno; do
	if [ -n "$CORPORA" ] && [ -f "$CORPORA/$app-rs.tar.xz" ]; then
		tar -xJf "$CORPORA/$app-rs.tar.xz" -C "$WORK/corpora"
		APPS+=("$app")
	else
		note "skipping $app: no $app-rs.tar.xz (set SENDFIX_CORPORA to the folder holding ../shared/corpora's files)"
	fi
done

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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "-"}'; }
rsfiles() { find "$@" -name '*.rs' -type f | wc -l; }
rsbytes() { find "$@" -name '*.rs' -type f -print0 | du -cb --files0-from=- | tail -1 | awk '{printf "%.1f", $1/1048576}'; }

sendfix_run() { "$WORK/sendfix" -q --color=never --no-ignore -j "$JOBS" "$1"; }
astgrep_run() { "$AG" run --pattern '$A.lock().unwrap()' --lang rust --threads "$JOBS" --color never "$1"; }
parse_run() { "$WORK/corpus" parse -j "$JOBS" "$1"; }

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

# same DIR: the findings (--format short) and the diffs of a run, and of a
# run that parses every file, are the same. Sets FINDINGS, CHANGED, SAME.
same() {
	local dir=$1 rc
	for mode in plan all; do
		local env=()
		[ "$mode" = all ] && env=(env SENDFIX_EXHAUSTIVE=1)
		rc=0
		"${env[@]}" "$WORK/sendfix" -q --color=never --no-ignore -j "$JOBS" --format short "$dir" >"$WORK/f.$mode" 2>/dev/null || rc=$?
		[ "$rc" -le 1 ] || die "exit $rc: sendfix --format short $dir ($mode)"
		rc=0
		"${env[@]}" "$WORK/sendfix" -q --color=never --no-ignore -j "$JOBS" "$dir" >"$WORK/d.$mode" 2>/dev/null || rc=$?
		[ "$rc" -le 1 ] || die "exit $rc: sendfix $dir ($mode)"
	done
	FINDINGS=$(wc -l <"$WORK/f.plan")
	CHANGED=$(grep -c '^+++ ' "$WORK/d.plan" || true)
	if cmp -s "$WORK/f.plan" "$WORK/f.all" && cmp -s "$WORK/d.plan" "$WORK/d.all"; then
		SAME=same
	else
		SAME=DIFFERENT
		diff "$WORK/f.plan" "$WORK/f.all" | head -20 >&2 || true
	fi
}

echo
echo "== machine: $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== jobs $JOBS, median of $RUNS alternating runs; sendfix -q --no-ignore -j $JOBS (dry run, all rules)"

ROWS=()
run_corpus() {
	local name=$1 dir=$2
	echo
	echo "== $name: $dir: $(rsfiles "$dir") .rs files, $(rsbytes "$dir") MB"
	"$WORK/corpus" stats -j "$JOBS" "$dir"
	local cmds=(sendfix_run parse_run)
	[ -n "$AG" ] && cmds+=(astgrep_run)
	bench "$dir" "${cmds[@]}"
	local a=$MED_sendfix_run c=$MED_parse_run b="" r="-"
	if [ -n "$AG" ]; then
		b=$MED_astgrep_run
		r=$(ratio "$a" "$b")
	fi
	local rss
	rss=$(/usr/bin/time -f %M "$WORK/sendfix" -q --color=never --no-ignore -j "$JOBS" "$dir" 2>&1 >/dev/null | tail -1)
	same "$dir"
	printf 'sendfix %.3f s   ast-grep %s   parse every file %.3f s   sendfix/ast-grep %s   peak RSS %.1f MiB\n' \
		"$a" "${b:+$(printf '%.3f s' "$b")}" "$c" "$r" "$(awk -v k="$rss" 'BEGIN {print k/1024}')"
	printf 'findings %d, files changed %d; with every file parsed (SENDFIX_EXHAUSTIVE=1): %s\n' "$FINDINGS" "$CHANGED" "$SAME"
	ROWS+=("$(printf '| %s | %s | %s (%.2f s vs %s) | %.1f MiB | %.2f s | %d / %d | %s |' \
		"$name" "$(rsfiles "$dir")" "$r" "$a" "${b:+$(printf '%.2f s' "$b")}" "$(awk -v k="$rss" 'BEGIN {print k/1024}')" "$c" \
		"$FINDINGS" "$CHANGED" "$SAME")")
}

run_corpus "Debian crate sources" "$DEBIAN"
for app in "${APPS[@]}"; do
	run_corpus "$app (../shared/corpora)" "$WORK/corpora/$app"
done

echo
echo "| corpus | files | sendfix / ast-grep | sendfix peak RSS | tree-sitter parse of every file | findings / files changed | with every file parsed |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${ROWS[@]}"
echo "targets: sendfix/ast-grep <= 0.33 on vector and deno, <= 0.1 on Debian's sources; peak RSS < 64 MiB; 0 findings and 0 files changed (the corpora compile)"

if [ "${SCALING:-}" = 1 ]; then
	echo
	echo "== scaling: Debian's sources copied 1x, 4x, 16x"
	first=""
	for k in 1 4 16; do
		dir="$WORK/scale$k"
		mkdir -p "$dir"
		for i in $(seq "$k"); do
			mkdir -p "$dir/copy$i"
			(cd "$DEBIAN" && find . -name '*.rs' -type f -print0 | tar --null -T - -cf -) | tar -xf - -C "$dir/copy$i"
		done
		size=$(rsbytes "$dir")
		bench "$dir" sendfix_run
		spm=$(awk -v t="$MED_sendfix_run" -v m="$size" 'BEGIN {printf "%.6f", t / m}')
		[ -n "$first" ] || first=$spm
		printf '%3dx %8.1f MB %8.3f s %9.5f s/MB (%s of 1x)\n' "$k" "$size" "$MED_sendfix_run" "$spm" "$(ratio "$spm" "$first")"
		rm -rf "$dir"
	done
fi
