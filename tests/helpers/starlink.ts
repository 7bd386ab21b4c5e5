import { writeMessageField, writeVarint, writeVarintField } from '../../agent/src/probes/terminal/protobuf.js';

/**
 * A dish's Response to get_status as the dish encodes it: an id, then dish_get_status (2004) with
 * device_info (1) and other fields around device_state (2) { uptime_s (1) }.
 */
export function dishStatusResponse(uptimeS: number | bigint): Buffer {
  const deviceInfo = Buffer.concat([
    writeMessageField(1, Buffer.from('ut01000000-00000000-00000000')),
    writeMessageField(3, Buffer.from('2024.01.01.mr1')),
  ]);
  const deviceState = writeVarintField(1, uptimeS);
  // snr (field 1001) is a float: wire type 5, four bytes.
  const snr = Buffer.concat([writeVarint((1001n << 3n) | 5n), Buffer.from([0x00, 0x00, 0x10, 0x41])]);
  const dishStatus = Buffer.concat([writeMessageField(1, deviceInfo), writeMessageField(2, deviceState), snr]);
  return Buffer.concat([writeVarintField(1, 42), writeMessageField(2004, dishStatus)]);
}
