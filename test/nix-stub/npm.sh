#!/bin/sh
# Stub nixpkgs' npm: the host's npm, logging each call to $STUB_NPM_LOG when that
# is set.  With STUB_NPM_FAKE=1 nothing is installed or started for real:
#   npm ci     creates node_modules/ and succeeds (fails with STUB_NPM_FAIL=1)
#   npm start  succeeds at once; with STUB_NPM_SERVE=1 it serves "stub" on
#              127.0.0.1:$CARDTRAIL_PORT instead, for at most 20 s
#   others     succeed doing nothing
if [ -n "${STUB_NPM_LOG:-}" ]; then
  printf 'npm %s\n' "$*" >>"$STUB_NPM_LOG"
fi
if [ "${STUB_NPM_FAKE:-}" = 1 ]; then
  case "${1:-}" in
    ci)
      if [ "${STUB_NPM_FAIL:-}" = 1 ]; then
        echo "stub npm: ci failed on purpose (STUB_NPM_FAIL=1)" >&2
        exit 1
      fi
      mkdir -p node_modules
      echo "stub npm: pretended to install"
      exit 0
      ;;
    start)
      [ "${STUB_NPM_SERVE:-}" = 1 ] || exit 0
      exec node -e '
        const server = require("http").createServer((req, res) => res.end("stub"));
        server.listen(Number(process.env.CARDTRAIL_PORT || 5001), "127.0.0.1");
        setTimeout(() => process.exit(0), 20000);
      '
      ;;
    *)
      exit 0
      ;;
  esac
fi
exec @hostTool@ "$@"
