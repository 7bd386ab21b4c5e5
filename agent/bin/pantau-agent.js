#!/usr/bin/env -S node --max-semi-space-size=1 --max-old-space-size=32 --lite-mode --no-expose-wasm
// The `pantau-agent` command. It is a file of its own, committed with its executable bit, so that
// the bin exists (and pnpm links it) before anything is built, and a build never loses the bit.
//
// The shebang's flags, measured by `pnpm bench:agent` (README, "Footprint"); programs that start
// the agent with their own node read them from here (src/launch.ts):
// - --lite-mode: no optimising compiler (it implies --jitless: bytecode only, no WebAssembly,
//   which nothing here uses; --no-expose-wasm says so and spares a warning at every start).
//   The optimiser's code, threads and memory cost ~15 MB of RSS; a cycle's few milliseconds of
//   work do not need it.
// - --max-semi-space-size=1: a 1 MB young generation, so RSS does not grow ~20 MB while the
//   heap warms up.
// - --max-old-space-size=32: about twice the live heap (16.5 MB after a full GC, ~20 MB with a
//   full 30-day spool index), so V8 collects before the old generation grows far past what is
//   live. Everything the agent holds is bounded (the spool index, one batch at a time); a heap
//   past this limit is a bug, and the process exits for systemd to restart it.
import '../dist/main.js';
