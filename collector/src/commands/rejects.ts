import type { StoredReject } from '../store/records.js';

/** `pantau-collector rejects`: the quarantine, newest first, for a person at a terminal. */
export function formatRejectsTable(rejects: readonly StoredReject[]): string {
  if (rejects.length === 0) return 'No message has been rejected.\n';
  const lines = rejects.map((r) => {
    const text = Buffer.from(r.firstBytesHex, 'hex')
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '.');
    const head = `${new Date(r.receivedMs).toISOString()}  ${r.reason.padEnd(19)}  ${r.topic}`;
    return `${head}\n    ${r.detail}\n    first bytes: ${text}`;
  });
  return `${lines.join('\n')}\n`;
}
