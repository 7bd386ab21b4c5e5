import type { ProbeName, ProbeSectionInput } from '@pantau/shared';

/**
 * A probe measures one thing. It never throws for an expected failure: it returns its section with
 * null values and an error code. The sampler bounds it in time and aborts `signal` when time is up.
 */
export interface Probe<N extends ProbeName = ProbeName> {
  readonly name: N;
  measure(signal: AbortSignal): Promise<ProbeSectionInput<N>>;
  /** Probes with background work (their own schedule, a device to open) start and stop with the agent. */
  start?(): void;
  stop?(): Promise<void>;
}

/**
 * A probe that reports only now and then (a rare test): `undefined` means nothing this time, and
 * the sample carries no section for it. Every `Probe` is also one of these.
 */
export interface OccasionalProbe<N extends ProbeName = ProbeName> extends Omit<Probe<N>, 'measure'> {
  measure(signal: AbortSignal): Promise<ProbeSectionInput<N> | undefined>;
}

/** Any probe, whatever its name; the sampler needs nothing more. */
export type AnyProbe = { [N in ProbeName]: OccasionalProbe<N> }[ProbeName];
