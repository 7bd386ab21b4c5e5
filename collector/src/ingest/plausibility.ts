import {
  IMPLAUSIBLE_VALUE,
  implausibleFields,
  type LatencyTarget,
  type PlausibleSection,
  type Sample,
  type TelemetryBatch,
} from '@pantau/shared';
import type { ImplausibleFigure } from '../store/records.js';

const SECTIONS = [
  'uptime',
  'usage',
  'clients',
  'power',
  'throughput',
  'terminal',
  'host',
] as const satisfies readonly PlausibleSection[];

type Section = Readonly<Record<string, unknown>> & { readonly error: string | null };

/** A copy of `section` with `fields` null and the error set, an existing error kept. */
function nulled<S extends Section>(section: S, fields: readonly string[]): S {
  const copy: Record<string, unknown> = { ...section, error: section.error ?? IMPLAUSIBLE_VALUE };
  for (const f of fields) copy[f] = null;
  return copy as S;
}

/**
 * Applies the plausibility rule (docs/protocol.md, "Plausible ranges") to a decoded batch: every
 * figure outside its range becomes null, its section (or latency target) gets the error
 * `implausible_value` unless it already had one, and the figure is listed for counting. The
 * payload as sent keeps the original. A batch with nothing implausible is returned as it is.
 */
export function applyPlausibility(batch: TelemetryBatch): {
  readonly batch: TelemetryBatch;
  readonly implausible: readonly ImplausibleFigure[];
} {
  let implausible: ImplausibleFigure[] | undefined;
  let samples: Sample[] | undefined;
  for (let i = 0; i < batch.samples.length; i++) {
    const sample = batch.samples[i] as Sample;
    let probes: Sample['probes'] | undefined;
    const note = (field: string) => {
      implausible ??= [];
      implausible.push({ sample: i, field });
    };
    for (const name of SECTIONS) {
      const section = sample.probes[name];
      if (section === undefined) continue;
      const bad = implausibleFields(name, section);
      if (bad.length === 0) continue;
      for (const f of bad) note(`${name}.${f}`);
      probes ??= { ...sample.probes };
      (probes as Record<string, unknown>)[name] = nulled(section, bad);
    }
    const latency = sample.probes.latency;
    if (latency !== undefined) {
      let targets: LatencyTarget[] | undefined;
      for (let t = 0; t < latency.targets.length; t++) {
        const target = latency.targets[t] as LatencyTarget;
        const bad = implausibleFields('latency', target);
        if (bad.length === 0) continue;
        for (const f of bad) note(`latency.${f}`);
        targets ??= [...latency.targets];
        targets[t] = nulled(target, bad);
      }
      if (targets !== undefined) {
        probes ??= { ...sample.probes };
        probes.latency = { ...latency, targets };
      }
    }
    if (probes === undefined) continue;
    samples ??= [...batch.samples];
    samples[i] = { ...sample, probes };
  }
  if (samples === undefined || implausible === undefined) return { batch, implausible: [] };
  return { batch: { ...batch, samples }, implausible };
}
