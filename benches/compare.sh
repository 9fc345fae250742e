#!/usr/bin/env bash
# Side-by-side benchmark of leakhound against its floor and the peer scanners, on the shared
# corpora of shared/BENCH.md. One hyperfine run per scenario with every command in it, then one
# `/usr/bin/time -v` run per command for its peak RSS, then a markdown table on stdout.
#
# Usage: benches/compare.sh SCENARIO
#   SCENARIO  tree     working-tree scan of MOBY_TREE (floor: rg)
#             history  history scan of KAFKA, all refs (floor: git cat-file --batch-all-objects)
#             staged   one staged line in the MOBY clone, pre-commit modes (floor: git diff --cached)
#             all      the three above, in that order
#
# Environment (defaults in brackets):
#   LEAKHOUND  leakhound binary [<repo>/target/release/leakhound]; run as given, even if missing
#   PEERS_BIN  directory holding gitleaks, betterleaks, kingfisher, ripsecrets, detect-secrets-hook
#              [$HOME/.cache/leakhound-peers/bin] (shared/peers/install.sh installs them there);
#              a peer that is absent is left out with a note
#   MOBY_TREE  `git archive` tree of moby [$HOME/corpora/moby-tree]; a checkout with `.git` works
#              too (BENCH.md's peer figures were taken on one)
#   KAFKA      non-bare clone of kafka [$HOME/corpora/kafka]
#   MOBY       non-bare clone of moby, absent blobs replaced [$HOME/corpora/moby]
#   RESULTS    results directory [/tmp/leakhound-bench]: SCENARIO.json (hyperfine),
#              SCENARIO.N.time (time -v), SCENARIO.md (the table)
#   RUNS [5], WARMUP [1]  hyperfine --runs / --warmup
#   STAGED_FILE  file of MOBY that gets one appended, staged line [README.md]; it must be
#              unmodified, and the index clean, before the run; both are restored on exit
#
# Exit codes of the commands are not checked (hyperfine -i): scanners exit non-zero on findings
# (leakhound and gitleaks 1, kingfisher 200). The table shows each command's exit code from its
# time -v run, so a command that did not run (127) is visible.
# Peak RSS is the largest single process of the command's tree (getrusage), not the sum; gitleaks
# reads `git log -p` from a child git, so its column is max(gitleaks, git).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LEAKHOUND=${LEAKHOUND:-$here/target/release/leakhound}
PEERS_BIN=${PEERS_BIN:-$HOME/.cache/leakhound-peers/bin}
MOBY_TREE=${MOBY_TREE:-$HOME/corpora/moby-tree}
KAFKA=${KAFKA:-$HOME/corpora/kafka}
MOBY=${MOBY:-$HOME/corpora/moby}
RESULTS=${RESULTS:-/tmp/leakhound-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
STAGED_FILE=${STAGED_FILE:-README.md}

die() { echo "compare.sh: $*" >&2; exit 2; }
note() { echo "compare.sh: $*" >&2; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

for tool in hyperfine python3 git; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"

# Commands of the scenario being built: labels[i] runs cmds[i]; the first one is the floor.
labels=()
cmds=()
add() { labels+=("$1"); cmds+=("$2"); }
# add_peer LABEL BINARY COMMAND: only when PEERS_BIN/BINARY is there.
add_peer() {
  if [ -x "$PEERS_BIN/$2" ]; then add "$1" "$3"; else note "$2 not in $PEERS_BIN: $1 left out"; fi
}
q() { printf '%q' "$1"; } # quote a path for a command line

run_scenario() { # name: runs labels/cmds through hyperfine and time -v, prints the table
  local name=$1 i hf_args=()
  mkdir -p "$RESULTS"
  for i in "${!cmds[@]}"; do hf_args+=(-n "${labels[$i]}" "${cmds[$i]}"); done
  echo "## $name" >&2
  hyperfine -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$RESULTS/$name.json" "${hf_args[@]}" >&2
  for i in "${!cmds[@]}"; do
    /usr/bin/time -v -o "$RESULTS/$name.$i.time" sh -c "${cmds[$i]}" >/dev/null 2>&1 || true
  done
  python3 - "$RESULTS" "$name" "${#cmds[@]}" <<'PY' | tee "$RESULTS/$name.md"
import json, re, sys
results, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(f"{results}/{name}.json") as f:
    rows = json.load(f)["results"]
floor = rows[0]["median"]
print(f"\n### {name}: median of {len(rows[0]['times'])} runs; peak RSS and exit code of one run\n")
print("| command | median s | ratio to floor | peak MiB | exit |")
print("|---|---:|---:|---:|---:|")
for i, row in enumerate(rows[:count]):
    text = open(f"{results}/{name}.{i}.time").read()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    code = re.search(r"Exit status: (\d+)", text)
    mib = f"{int(rss.group(1)) / 1024:.0f}" if rss else "?"
    exit_code = code.group(1) if code else ("signal" if "signal" in text else "?")
    ratio = row["median"] / floor if floor > 0 else float("nan")
    print(f"| {row['command']} | {row['median']:.3f} | {ratio:.1f}x | {mib} | {exit_code} |")
print()
PY
  echo "commands:"
  for i in "${!cmds[@]}"; do echo "- ${labels[$i]}: \`${cmds[$i]}\`"; done
  echo
  labels=()
  cmds=()
}

scenario_tree() {
  [ -d "$MOBY_TREE" ] || die "MOBY_TREE=$MOBY_TREE is not a directory"
  local dir lh pb
  dir=$(q "$MOBY_TREE"); lh=$(q "$LEAKHOUND"); pb=$(q "$PEERS_BIN")
  add "floor rg" "rg -F -c -uu -g '!.git' password $dir"
  add "leakhound" "$lh scan $dir"
  add_peer "gitleaks dir" gitleaks "$pb/gitleaks dir --no-banner $dir"
  add_peer "betterleaks fs" betterleaks "$pb/betterleaks filesystem --no-banner $dir"
  # On a checkout (BENCH.md's peer figures), kingfisher is told to skip `.git` as leakhound and
  # the floor do; gitleaks and betterleaks have no such flag and read it.
  local kf_exclude=""
  [ -e "$MOBY_TREE/.git" ] && kf_exclude=" --exclude .git"
  add_peer "kingfisher" kingfisher "$pb/kingfisher scan $dir --no-validate --no-update-check$kf_exclude"
  run_scenario tree
}

scenario_history() {
  git -C "$KAFKA" rev-parse --git-dir >/dev/null 2>&1 || die "KAFKA=$KAFKA is not a git repository"
  local dir lh pb
  dir=$(q "$KAFKA"); lh=$(q "$LEAKHOUND"); pb=$(q "$PEERS_BIN")
  add "floor cat-file" "git -C $dir cat-file --batch-all-objects --batch > /dev/null"
  add "leakhound" "$lh scan --git $dir"
  add_peer "gitleaks git" gitleaks "$pb/gitleaks git --no-banner $dir"
  add_peer "betterleaks git" betterleaks "$pb/betterleaks git --no-banner $dir"
  add_peer "kingfisher" kingfisher "$pb/kingfisher scan $dir --git-history full --no-validate --no-update-check"
  run_scenario history
}

staged_path=""
restore_staged() {
  [ -n "$staged_path" ] || return 0
  git -C "$MOBY" reset -q -- "$staged_path" || note "git reset of $staged_path in $MOBY failed"
  git -C "$MOBY" checkout -q -- "$staged_path" || note "git checkout of $staged_path in $MOBY failed"
  staged_path=""
}
trap restore_staged EXIT
trap 'exit 130' INT TERM

scenario_staged() {
  git -C "$MOBY" rev-parse --git-dir >/dev/null 2>&1 || die "MOBY=$MOBY is not a git repository"
  git -C "$MOBY" diff --cached --quiet || die "the index of $MOBY has staged changes already"
  git -C "$MOBY" diff --quiet -- "$STAGED_FILE" || die "$MOBY/$STAGED_FILE is modified already"
  [ -f "$MOBY/$STAGED_FILE" ] || die "$MOBY/$STAGED_FILE does not exist"
  staged_path=$STAGED_FILE
  echo "leakhound benchmark: one staged line" >> "$MOBY/$STAGED_FILE"
  git -C "$MOBY" add -- "$STAGED_FILE"
  local dir lh pb
  dir=$(q "$MOBY"); lh=$(q "$LEAKHOUND"); pb=$(q "$PEERS_BIN")
  # Every command starts in the repository, as a pre-commit hook does.
  add "floor git diff" "cd $dir && git diff --cached --quiet"
  add "leakhound" "cd $dir && $lh scan --staged"
  add_peer "gitleaks" gitleaks "cd $dir && $pb/gitleaks git --pre-commit --staged --no-banner ."
  add_peer "betterleaks" betterleaks "cd $dir && $pb/betterleaks git --staged --no-banner ."
  add_peer "kingfisher" kingfisher "cd $dir && $pb/kingfisher scan . --staged --no-validate --no-update-check"
  if command -v git-secrets >/dev/null && git -C "$MOBY" config --get-all secrets.patterns >/dev/null; then
    add "git-secrets" "cd $dir && git secrets --pre_commit_hook"
  else
    note "git-secrets absent or no secrets.patterns in $MOBY (git -C $MOBY secrets --register-aws): left out"
  fi
  # These two take the staged file names, as the pre-commit framework passes them.
  add_peer "ripsecrets" ripsecrets "cd $dir && git diff --cached --name-only -z | xargs -0 $pb/ripsecrets"
  add_peer "detect-secrets-hook" detect-secrets-hook \
    "cd $dir && git diff --cached --name-only -z | xargs -0 $pb/detect-secrets-hook"
  run_scenario staged
  restore_staged
}

case ${1:-} in
  tree) scenario_tree ;;
  history) scenario_history ;;
  staged) scenario_staged ;;
  all) scenario_tree; scenario_history; scenario_staged ;;
  -h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
