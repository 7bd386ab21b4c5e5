import { runEvalPasses } from './health/eval-pass.js';

/** `pnpm bench:health [--sites N]`: one evaluation pass of site health over a registered fleet. */
const sitesArg = process.argv.indexOf('--sites');
const sites = sitesArg > 0 ? Number(process.argv[sitesArg + 1]) : 100_000;
const { lines, summary } = runEvalPasses(sites);
for (const line of lines) process.stdout.write(`${line}\n`);
process.stdout.write(`${JSON.stringify({ bench: 'health-eval', ...summary })}\n`);
