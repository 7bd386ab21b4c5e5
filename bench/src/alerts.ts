/**
 * `pnpm bench:alerts [--parts 1,2,3] [--cuts sigstop,netns] [--keepalives 60,120,330,930] [--days N] [--sites N] [--seed S]`: site health
 * and alerts.
 * Part 1, detection delay against data cost (real agents, collector, Mosquitto, Alertmanager and a
 * webhook receiver); part 2, one evaluation pass over 100,000 sites (bench:health's); part 3, alert
 * quality over a simulated month of a fleet with injected faults. The last line is one JSON object.
 */
import { type CutMethod, runDetectionDelay } from './alerts/detection-delay.js';
import { reportFleetMonth, runFleetMonth } from './alerts/fleet-month.js';
import { runEvalPasses } from './health/eval-pass.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const parts = new Set(option('parts', '1,2,3').split(','));
  const summary: Record<string, unknown> = { bench: 'alerts' };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let met = true;
  if (parts.has('1')) {
    say('== part 1: detection delay against data cost (silent power cut to the alert; about 25 minutes) ==');
    const cuts = option('cuts', 'sigstop,netns').split(',') as CutMethod[];
    const keepalives = option('keepalives', '60,120,330,930').split(',').map(Number);
    const detection = await runDetectionDelay(cuts, keepalives);
    for (const line of detection.lines) say(line);
    summary.detection = { rows: detection.rows, netnsSkipped: detection.netnsSkipped, met: detection.met };
    met &&= detection.met;
  }
  if (parts.has('2')) {
    say('== part 2: one evaluation pass over 100,000 registered sites ==');
    const pass = runEvalPasses(Number(option('eval-sites', '100000')));
    for (const line of pass.lines) say(line);
    say(
      `one pass <= ${pass.summary.targetPassMs} ms: ${pass.summary.met ? 'PASS' : 'FAIL'} (CPU time of the worst pass)`,
    );
    summary.evaluation = pass.summary;
    met &&= pass.summary.met;
  }
  if (parts.has('3')) {
    say('== part 3: alert quality over a simulated month ==');
    const options = {
      sites: Number(option('sites', '500')),
      days: Number(option('days', '30')),
      seed: Number(option('seed', '11')),
      ...(process.argv.includes('--until-day') ? { untilDays: Number(option('until-day', '30')) } : {}),
      ...(process.argv.includes('--trace') ? { trace: option('trace', '') } : {}),
    };
    const result = await runFleetMonth(options);
    const report = reportFleetMonth(options, result);
    for (const line of report.lines) say(line);
    const { missed, ...figures } = result.score;
    summary.quality = { ...options, ...figures, missed: missed.length, met: report.met };
    met &&= report.met;
  }
  summary.met = met;
  say(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:alerts failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
