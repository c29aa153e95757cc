# Sourced by .ci/run: tests, lesson proofs and the soak never write into the repository. `untouched_snapshot` records
# `git status --porcelain` (empty on a fresh checkout); `untouched_check WHAT` fails, printing what appeared (or went
# away), when it differs. Outside a git checkout both do nothing but say so.
untouched_before=""
untouched_in_git=false

untouched_snapshot() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    untouched_in_git=true
    untouched_before=$(git status --porcelain --untracked-files=all)
  else
    untouched_in_git=false
    echo "ci: not a git checkout; the repository-is-untouched checks are skipped"
  fi
}

untouched_check() {
  $untouched_in_git || return 0
  local now
  now=$(git status --porcelain --untracked-files=all)
  if [ "$now" != "$untouched_before" ]; then
    echo "ci: $1 changed the repository (git status --porcelain; '>' appeared, '<' went away):" >&2
    diff <(printf '%s\n' "$untouched_before") <(printf '%s\n' "$now") | grep '^[<>]' >&2
    return 1
  fi
}
