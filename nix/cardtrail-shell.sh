# shellcheck shell=bash
# Shared by flake.nix: the dev shell's shellHook and the `nix run` app both
# start with this file.  In the dev shell it is evaluated inside the user's own
# interactive bash, so it only defines functions: nothing here may `exit`,
# `cd` the caller, leak variables (everything is `local`), or stop a process it
# did not start itself.  Messages go to stderr, so that
# `nix develop --command ...` keeps the command's stdout clean.

__cardtrail_say() {
  printf 'cardtrail: %s\n' "$*" >&2
}

# The checkout this shell is for: the nearest directory, from $PWD upward,
# holding flake.nix, package.json and package-lock.json.
__cardtrail_find_root() {
  local dir=$PWD
  while :; do
    if [ -f "$dir/flake.nix" ] && [ -f "$dir/package.json" ] && [ -f "$dir/package-lock.json" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
    if [ -z "$dir" ] || [ "$dir" = / ]; then
      return 1
    fi
    dir=$(dirname "$dir")
  done
}

# What node_modules was installed for: the SHA-256 of package-lock.json plus
# the Node ABI and platform, because better-sqlite3 is a native addon that has
# to be rebuilt when the Node major version changes.
__cardtrail_deps_key() {
  # shellcheck disable=SC2016 # ${...} below is JavaScript, not shell
  node -e '
    const fs = require("fs");
    const crypto = require("crypto");
    const hash = crypto.createHash("sha256").update(fs.readFileSync(process.argv[1])).digest("hex");
    process.stdout.write(`sha256:${hash} node-abi:${process.versions.modules} ${process.platform}-${process.arch}\n`);
  ' "$1/package-lock.json"
}

# Runs `npm ci` only when node_modules/.cardtrail-lock-hash does not match the
# current package-lock.json (and Node); a second shell entry costs one `node -e`.
__cardtrail_ensure_deps() {
  local root=$1 marker key reason
  marker=$root/node_modules/.cardtrail-lock-hash
  if ! key=$(__cardtrail_deps_key "$root"); then
    __cardtrail_say "could not hash package-lock.json; not installing dependencies"
    return 1
  fi
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$key" ]; then
    return 0
  fi
  if [ -f "$marker" ]; then
    reason="package-lock.json or the Node version changed"
  else
    reason="no install recorded yet"
  fi
  __cardtrail_say "installing npm dependencies with npm ci ($reason) ..."
  if (cd "$root" && npm ci) >&2; then
    mkdir -p "$root/node_modules"
    printf '%s\n' "$key" >"$marker"
    __cardtrail_say "dependencies installed"
  else
    __cardtrail_say "npm ci failed (see above); fix it and re-enter the shell, or run npm ci yourself"
    return 1
  fi
}

# CARDTRAIL_UPDATE=1: fast-forward the checkout, but only when no tracked file
# is modified.  Never resets, never stashes, never merges.
__cardtrail_update() {
  local root=$1
  [ "${CARDTRAIL_UPDATE:-0}" = 1 ] || return 0
  if ! command -v git >/dev/null 2>&1 || ! git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    __cardtrail_say "CARDTRAIL_UPDATE=1: not a git checkout (or git missing); not updating"
    return 0
  fi
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    __cardtrail_say "CARDTRAIL_UPDATE=1: the work tree has local changes; not pulling"
    return 0
  fi
  __cardtrail_say "CARDTRAIL_UPDATE=1: git pull --ff-only"
  if ! git -C "$root" pull --ff-only >&2; then
    __cardtrail_say "git pull --ff-only failed; carrying on with the current checkout"
  fi
  return 0
}

# True when something answers HTTP at $1 (any status counts).
__cardtrail_answers() {
  node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then(() => process.exit(0), () => process.exit(1));
  ' "$1" >/dev/null 2>&1
}

__cardtrail_open_browser() {
  local url=$1
  if [ "$(uname -s 2>/dev/null)" = Darwin ]; then
    open "$url"
  elif [ -n "${WSL_DISTRO_NAME:-}" ] || grep -qi microsoft /proc/sys/kernel/osrelease 2>/dev/null; then
    if command -v wslview >/dev/null 2>&1; then
      wslview "$url"
    elif command -v cmd.exe >/dev/null 2>&1; then
      # cmd.exe warns about a UNC working directory; start it from /.
      (cd / && cmd.exe /c start "" "$url")
    else
      return 1
    fi
  elif command -v xdg-open >/dev/null 2>&1; then
    xdg-open "$url"
  else
    return 1
  fi
}

# Background helper: waits (up to about a minute) for the server started by
# __cardtrail_autostart to answer, then opens the browser once.
__cardtrail_open_when_ready() {
  local url=$1 pid=$2 tries=0
  while [ "$tries" -lt 120 ]; do
    if __cardtrail_answers "$url"; then
      if __cardtrail_open_browser "$url"; then
        echo "cardtrail: opened $url"
      else
        echo "cardtrail: could not open a browser; visit $url"
      fi
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "cardtrail: the server (pid $pid) exited before answering at $url"
      return 1
    fi
    tries=$((tries + 1))
    sleep 0.5
  done
  echo "cardtrail: nothing answered at $url within a minute"
  return 1
}

# CARDTRAIL_AUTOSTART=1: start the server in the background (it is told
# --no-open; this hook opens the browser once the server answers).
__cardtrail_autostart() {
  local root=$1 port url log pidfile pid
  [ "${CARDTRAIL_AUTOSTART:-0}" = 1 ] || return 0
  port=${CARDTRAIL_PORT:-5001}
  url="http://127.0.0.1:$port/"
  mkdir -p "$root/node_modules"
  log=$root/node_modules/.cardtrail-server.log
  pidfile=$root/node_modules/.cardtrail-server.pid
  if __cardtrail_answers "$url"; then
    __cardtrail_say "CARDTRAIL_AUTOSTART=1: something already answers at $url; not starting a second server"
    (__cardtrail_open_browser "$url" </dev/null >/dev/null 2>&1 &)
    return 0
  fi
  # The subshells detach the server and the watcher from this shell's job
  # table; their output goes to the log so they never hold the terminal.
  (
    cd "$root" || exit 1
    if command -v nohup >/dev/null 2>&1; then
      CARDTRAIL_PORT=$port nohup npm start -- --no-open </dev/null >"$log" 2>&1 &
    else
      CARDTRAIL_PORT=$port npm start -- --no-open </dev/null >"$log" 2>&1 &
    fi
    echo "$!" >"$pidfile"
  )
  pid=$(cat "$pidfile" 2>/dev/null)
  (__cardtrail_open_when_ready "$url" "$pid" </dev/null >>"$log" 2>&1 &)
  __cardtrail_say "CARDTRAIL_AUTOSTART=1: server starting in the background (pid $pid, log $log);"
  __cardtrail_say "  the browser opens at $url once it answers; stop the server with: kill $pid"
}

__cardtrail_banner() {
  local node_version
  node_version=$(node --version 2>/dev/null || echo "?")
  cat >&2 <<EOF
Cardtrail dev shell (Node $node_version)
  start the app:  npm start     (then http://127.0.0.1:${CARDTRAIL_PORT:-5001}/)
  run the tests:  npm test
  opt-in on entry: CARDTRAIL_AUTOSTART=1 starts the server and opens the browser,
                   CARDTRAIL_UPDATE=1 runs git pull --ff-only when the work tree is clean
EOF
}

# Entry point of the dev shell's shellHook.
__cardtrail_shell_hook() {
  local root
  if ! root=$(__cardtrail_find_root); then
    __cardtrail_say "no Cardtrail checkout (flake.nix + package-lock.json) at or above $PWD; skipping npm ci"
    __cardtrail_banner
    return 0
  fi
  __cardtrail_update "$root"
  if __cardtrail_ensure_deps "$root"; then
    __cardtrail_banner
    __cardtrail_autostart "$root"
  else
    __cardtrail_banner
    if [ "${CARDTRAIL_AUTOSTART:-0}" = 1 ]; then
      __cardtrail_say "CARDTRAIL_AUTOSTART=1: not starting the server, dependencies are not installed"
    fi
  fi
  return 0
}

# Leaves the user's interactive shell without these helpers once the hook ran
# (background subshells keep their own copies).
__cardtrail_forget() {
  unset -f __cardtrail_say __cardtrail_find_root __cardtrail_deps_key \
    __cardtrail_ensure_deps __cardtrail_update __cardtrail_answers \
    __cardtrail_open_browser __cardtrail_open_when_ready __cardtrail_autostart \
    __cardtrail_banner __cardtrail_shell_hook __cardtrail_run __cardtrail_forget
}

# Entry point of `nix run`: install what is needed, then `npm start` (which
# opens the browser itself; extra arguments are passed on to the server).
__cardtrail_run() {
  local root
  if ! root=$(__cardtrail_find_root); then
    __cardtrail_say "run this inside a Cardtrail checkout: no flake.nix + package-lock.json at or above $PWD"
    return 1
  fi
  __cardtrail_update "$root"
  __cardtrail_ensure_deps "$root" || return 1
  cd "$root" || return 1
  __cardtrail_say "starting: npm start${*:+ -- $*}"
  exec npm start -- "$@"
}
