import { decodePayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { encodeSiteStatus } from '../../../../agent/src/delivery/mqtt/site-status.js';

describe('site status', () => {
  it('carries the epoch, the identity and the spool state in a valid status message', () => {
    const payload = encodeSiteStatus(
      { siteId: 'kutim-01', bootId: 'b1', agentVersion: '0.1.0', configHash: 'abc' },
      { depth: 12, dropped: 3, fault: 'disk_full' },
      { state: 'offline', reason: 'connection_lost', epoch: 7, atMs: 1_795_392_000_000.4 },
    );
    const status = decodePayload('status', payload);
    expect(status.ok && status.value).toMatchObject({
      siteId: 'kutim-01',
      state: 'offline',
      reason: 'connection_lost',
      epoch: 7,
      atMs: 1_795_392_000_000,
      bootId: 'b1',
      spoolDepth: 12,
      droppedSamples: 3,
      spoolFault: 'disk_full',
    });
  });
});
