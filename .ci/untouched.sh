# Sourced by .ci/run: tests, lesson proofs and the soak never write into the repository. `untouched_snapshot` records
# `git status --porcelain` (empty on a fresh checkout) and the time; `untouched_check WHAT` fails, printing what
# appeared, went away or was written, when the status differs or any path outside .git and node_modules (npm's) was
# written since, ignored ones included (dist/ too: the build test bundles into a temporary directory). Outside a git
# checkout both do nothing but say so. `untouched_cleanup` removes the time marker (the caller's EXIT trap).
untouched_before=""
untouched_in_git=false
untouched_marker=""

untouched_snapshot() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    untouched_in_git=true
    untouched_before=$(git status --porcelain --untracked-files=all)
    untouched_marker=$(mktemp)
  else
    untouched_in_git=false
    echo "ci: not a git checkout; the repository-is-untouched checks are skipped"
  fi
}

untouched_check() {
  $untouched_in_git || return 0
  local now written
  now=$(git status --porcelain --untracked-files=all)
  if [ "$now" != "$untouched_before" ]; then
    echo "ci: $1 changed the repository (git status --porcelain; '>' appeared, '<' went away):" >&2
    diff <(printf '%s\n' "$untouched_before") <(printf '%s\n' "$now") | grep '^[<>]' >&2
    return 1
  fi
  written=$(find . \( -path ./.git -o -path ./node_modules \) -prune -o -newer "$untouched_marker" -print)
  if [ -n "$written" ]; then
    echo "ci: $1 wrote into the repository (paths modified since the tests began):" >&2
    printf '%s\n' "$written" | head -50 >&2
    return 1
  fi
}

untouched_cleanup() {
  if [ -n "$untouched_marker" ]; then rm -f "$untouched_marker"; fi
}
