#!/usr/bin/env node
// The `medscale` command: runs the built CLI (npm ci / npm install build it via `prepare`).
import '../dist/cli/entry.js';
