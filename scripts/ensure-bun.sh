#!/bin/sh
# Makes sure the pinned Bun (package.json "engines.bun") is the one on PATH, installing it with
# npm only when it is not: reinstalling a bun that is running (another test run, a server)
# can break it. Needs only Node and npm. Without root, give npm a prefix in your home first:
#   npm config set prefix ~/.npm-global && export PATH=~/.npm-global/bin:$PATH
set -eu
cd "$(dirname "$0")/.."
want="$(node -p 'require("./package.json").engines.bun')"
have="$(bun --version 2>/dev/null || true)"
if [ "$have" = "$want" ]; then
  exit 0
fi
echo "ensure-bun: bun ${have:-not found}; installing bun@$want with npm" >&2
if ! npm install -g "bun@$want" >&2; then
  echo "ensure-bun: npm install -g failed. Without root: npm config set prefix ~/.npm-global," >&2
  echo "ensure-bun: add ~/.npm-global/bin to PATH and run again (or use Bun's installer, see README)." >&2
  exit 1
fi
have="$(bun --version 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  echo "ensure-bun: installed bun@$want, but \"bun\" on PATH is ${have:-missing}: put $(npm prefix -g)/bin first on PATH." >&2
  exit 1
fi
