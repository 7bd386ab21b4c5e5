/**
 * Counters kept in the store, each written in the same transaction as the data it counts, so a
 * crash can neither lose one nor count one twice (docs/storage.md, "Counters"). A counter is a
 * (name, key) pair: the key is a reject reason or a figure's `section.field`, else empty.
 */
export type CounterName =
  /** Samples received again after they were stored. */
  | 'duplicates'
  /** Rejected messages, by reason (each kept in the quarantine in the same transaction). */
  | 'rejects'
  /** Figures nulled as implausible in newly stored samples, by `section.field`. */
  | 'implausible'
  /** Resend requests published to sites. */
  | 'resend_requests'
  /** Newly stored samples that filled a hole the collector had asked a site to resend. */
  | 'recovered'
  /** Sequence numbers sites declared gone (they no longer hold them). */
  | 'gone_seqs'
  /** Statuses older than the site's current connection epoch (a late will). */
  | 'stale_statuses';

export interface CounterRow {
  readonly name: CounterName;
  readonly key: string;
  readonly value: number;
}

/** What `pantau-collector stats` shows: the store's counters and a few totals it holds anyway. */
export interface StoredCounters {
  readonly sites: number;
  readonly samples: number;
  readonly duplicates: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  /** Rejects kept in the quarantine now (the newest `ingest.quarantineSize`). */
  readonly quarantined: number;
  readonly implausibleByField: Readonly<Record<string, number>>;
  readonly resendRequests: number;
  readonly recoveredSamples: number;
  readonly goneSeqs: number;
  readonly staleStatuses: number;
}

/** Counts gathered over one transaction, written once per (name, key) at its end. */
export class CounterDelta {
  private readonly counts = new Map<string, CounterRow>();

  add(name: CounterName, key: string, n: number): void {
    if (n === 0) return;
    const id = `${name}\u0000${key}`;
    const row = this.counts.get(id);
    this.counts.set(id, { name, key, value: (row?.value ?? 0) + n });
  }

  /** In (name, key) order, so that concurrent transactions lock counter rows in the same order. */
  rows(): CounterRow[] {
    return [...this.counts.values()].sort((a, b) =>
      a.name === b.name ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.name < b.name ? -1 : 1,
    );
  }
}

export function countersFromRows(
  rows: readonly CounterRow[],
  totals: { readonly sites: number; readonly samples: number; readonly quarantined: number },
): StoredCounters {
  const single = (name: CounterName) => rows.find((r) => r.name === name && r.key === '')?.value ?? 0;
  const byKey = (name: CounterName) =>
    Object.fromEntries(
      rows
        .filter((r) => r.name === name)
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map((r) => [r.key, r.value]),
    );
  return {
    ...totals,
    duplicates: single('duplicates'),
    rejectsByReason: byKey('rejects'),
    implausibleByField: byKey('implausible'),
    resendRequests: single('resend_requests'),
    recoveredSamples: single('recovered'),
    goneSeqs: single('gone_seqs'),
    staleStatuses: single('stale_statuses'),
  };
}
