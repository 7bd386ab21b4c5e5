import type { ProbeName, ProbeSectionInput } from '@pantau/shared';

/**
 * A probe measures one thing. It never throws for an expected failure: it returns its section with
 * null values and an error code. The sampler bounds it in time and aborts `signal` when time is up.
 * A probe that has nothing this time (a rare test that has not run) returns `undefined`, and the
 * sample carries no section for it.
 */
export interface Probe<N extends ProbeName = ProbeName> {
  readonly name: N;
  measure(signal: AbortSignal): Promise<ProbeSectionInput<N> | undefined>;
  /** Probes with background work (their own schedule, a device to open) start and stop with the agent. */
  start?(): void;
  stop?(): Promise<void>;
}

/** Any probe, whatever its name; the sampler needs nothing more. */
export type AnyProbe = { [N in ProbeName]: Probe<N> }[ProbeName];
