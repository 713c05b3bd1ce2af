#!/bin/sh
# Stub nixpkgs' node: the host's node, logging each call to $STUB_NODE_LOG when
# that is set (the test uses it to see that nothing ran the server unasked).
if [ -n "${STUB_NODE_LOG:-}" ]; then
  printf 'node %s\n' "$*" >>"$STUB_NODE_LOG"
fi
exec @hostTool@ "$@"
