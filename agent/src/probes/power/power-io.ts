import { type CommandRunner, execFileRunner } from '../../host/command-runner.js';
import { createNodeSerialOpener, type SerialPortOpener } from './serial-port.js';
import { nodeSysfsReader, type SysfsReader } from './sysfs-reader.js';

/** The IO edges the power probe reaches through; main.ts passes the real ones, tests fakes. */
export interface PowerIo {
  readonly serial: SerialPortOpener;
  readonly commands: CommandRunner;
  readonly sysfs: SysfsReader;
}

export function createNodePowerIo(): PowerIo {
  return { serial: createNodeSerialOpener(), commands: execFileRunner, sysfs: nodeSysfsReader };
}
