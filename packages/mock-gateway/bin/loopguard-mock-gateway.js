#!/usr/bin/env node
// Runs the built CLI (`pnpm build` first).
await import('../dist/cli.js');
