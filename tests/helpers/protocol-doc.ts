import { readFileSync } from 'node:fs';
import type { PayloadKind } from '@pantau/shared';

export interface DocExample {
  readonly kind: PayloadKind;
  readonly topic: string;
  readonly json: string;
}

/** Every `<!-- example: KIND TOPIC -->` marker followed by a ```json block in docs/protocol.md. */
export function protocolExamples(): DocExample[] {
  const text = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const pattern = /<!-- example: (\S+) (\S+) -->\s*```json\n([\s\S]*?)```/g;
  return [...text.matchAll(pattern)].map((m) => ({ kind: m[1] as PayloadKind, topic: m[2] ?? '', json: m[3] ?? '' }));
}
