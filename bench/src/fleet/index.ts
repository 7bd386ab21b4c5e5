// The fleet simulator's parts, for `pnpm simulate`, bench:storm and the tests.
export * from './battery-model.js';
export * from './draw.js';
export * from './fleet.js';
export * from './registry-file.js';
export * from './sim-clock.js';
export * from './site-plan.js';
export * from './site-world.js';
export * from './sun.js';
export * from './usage-model.js';
export * from './virtual-site.js';
