import type { ProbeName, ProbeSectionInput } from '@pantau/shared';

/**
 * A probe measures one thing. It never throws for an expected failure: it returns its section with
 * null values and an error code. The sampler bounds it in time and aborts `signal` when time is up.
 */
export interface Probe<N extends ProbeName = ProbeName> {
  readonly name: N;
  measure(signal: AbortSignal): Promise<ProbeSectionInput<N>>;
  /** Releases what the probe keeps between cycles (a serial port, a timer); the agent calls it on stop. */
  stop?(): Promise<void>;
}

/** Any probe, whatever its name; the sampler needs nothing more. */
export type AnyProbe = { [N in ProbeName]: Probe<N> }[ProbeName];
