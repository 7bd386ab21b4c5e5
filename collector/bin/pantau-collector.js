#!/usr/bin/env node
// The `pantau-collector` command. It is a file of its own, committed with its executable bit, so
// that the bin exists (and pnpm links it) before anything is built, and a build never loses the bit.
import '../dist/main.js';
