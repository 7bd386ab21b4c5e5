import { powerSourceSchema } from '@pantau/shared';
import { z } from 'zod';

const channelSchema = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'a channel is a sysfs name part such as in1 or voltage0');

/** `probes.power`: which driver reads the battery, and each driver's settings (README, "Power"). */
export const powerConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    driver: powerSourceSchema.default('none'),
    /** The whole read, whatever the driver; keep it below `sample.probeTimeoutMs`. */
    timeoutMs: z.int().min(100).max(60_000).default(5000),
    /** The same failure is logged at most once per this interval. */
    errorLogIntervalMs: z.int().min(0).max(86_400_000).default(900_000),
    /** Where sysfs is mounted; tests point it at a temporary tree. */
    sysfsRoot: z.string().min(1).default('/sys'),
    hwmon: z
      .strictObject({
        chip: z.string().min(1).max(64).default('ina219'),
        measures: z.enum(['battery', 'panel']).default('battery'),
        voltageChannel: channelSchema.default('in1'),
        currentChannel: channelSchema.default('curr1'),
        powerChannel: channelSchema.default('power1'),
        invertCurrent: z.boolean().default(false),
      })
      .prefault({}),
    iio: z
      .strictObject({
        device: z.string().min(1).max(64).default('ads1115'),
        batteryChannel: channelSchema.default('voltage0'),
        batteryDividerRatio: z.number().min(1).max(1000).default(1),
        panelChannel: channelSchema.nullable().default(null),
        panelDividerRatio: z.number().min(1).max(1000).default(1),
      })
      .prefault({}),
    vedirect: z
      .strictObject({
        path: z.string().min(1).default('/dev/ttyUSB0'),
        baudRate: z.int().min(1200).max(921_600).default(19_200),
        maxAgeMs: z.int().min(1000).max(600_000).default(10_000),
        waitMs: z.int().min(100).max(60_000).default(2500),
      })
      .prefault({}),
    epever: z
      .strictObject({
        path: z.string().min(1).default('/dev/ttyUSB0'),
        baudRate: z.int().min(1200).max(921_600).default(115_200),
        unitId: z.int().min(1).max(247).default(1),
        timeoutMs: z.int().min(50).max(10_000).default(1000),
      })
      .prefault({}),
    command: z
      .strictObject({
        file: z.string().min(1).optional(),
        args: z.array(z.string()).max(32).default([]),
        timeoutMs: z.int().min(100).max(60_000).default(3000),
        maxOutputBytes: z.int().min(64).max(1_048_576).default(16_384),
      })
      .prefault({}),
    throttled: z
      .strictObject({
        source: z.enum(['auto', 'file', 'vcgencmd', 'none']).default('auto'),
        /** Relative paths are under `sysfsRoot`. */
        file: z.string().min(1).default('devices/platform/soc/soc:firmware/get_throttled'),
        command: z.string().min(1).default('vcgencmd'),
      })
      .prefault({}),
  })
  .refine((power) => !(power.enabled && power.driver === 'command' && power.command.file === undefined), {
    message: 'the command driver needs probes.power.command.file',
    path: ['command', 'file'],
  });
export type PowerConfig = z.infer<typeof powerConfigSchema>;
