#!/usr/bin/env node
// Runs the built CLI (the package is built on pack; in the workspace, `pnpm build` first).
await import('../dist/cli-entry.js');
