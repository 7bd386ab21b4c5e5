import { describe, expect, it } from 'vitest';
import { createProtocolVersion } from '../../../../agent/src/delivery/mqtt/protocol-version.js';
import { captureLogger } from '../../../helpers/fakes.js';

describe('MQTT version', () => {
  it('speaks 5 until the broker refuses it, then 3.1.1 for good, and says so once', () => {
    const { log, lines } = captureLogger('info');
    const version = createProtocolVersion(log);
    expect(version.current).toBe(5);
    // Bad credentials (5) or a socket error (null) are not about the version.
    expect(version.refused(5)).toBe(false);
    expect(version.refused(null)).toBe(false);
    expect(version.current).toBe(5);
    expect(version.refused(1)).toBe(true);
    expect(version.current).toBe(4);
    expect(version.refused(1)).toBe(false);
    expect(lines.filter((l) => l.event === 'mqtt_downgrade')).toHaveLength(1);
  });
});
