// The dashboard's fixture fleet and stand-in API server, for its browser test and first-load bench.
export * from './fixture-fleet.js';
export * from './fixture-series.js';
export * from './stand-in-server.js';
