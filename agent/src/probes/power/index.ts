export * from './command-driver.js';
// The power probe's runner predates the shared host/command-runner.ts; its names are prefixed here
// until the two are one.
export {
  type CommandErrorCode as PowerCommandErrorCode,
  type CommandRequest as PowerCommandRequest,
  type CommandRunner as PowerCommandRunner,
  createNodeCommandRunner,
} from './command-runner.js';
export * from './create-power-driver.js';
export * from './epever-driver.js';
export * from './hwmon-driver.js';
export * from './iio-driver.js';
export * from './modbus-client.js';
export * from './modbus-frame.js';
export * from './power-io.js';
export * from './power-probe.js';
export * from './power-values.js';
export * from './rate-limited-log.js';
export * from './serial-keeper.js';
export * from './serial-port.js';
export * from './sysfs-reader.js';
export * from './throttled.js';
export * from './vedirect-driver.js';
export * from './vedirect-mapping.js';
export * from './vedirect-parser.js';
