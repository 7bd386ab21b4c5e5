// The agent's public interface, what other packages use: the composition root and the real world
// (openAgent, realAgentIo) with the config schema; the interfaces of the outside world's edges, so a
// bench or a test can give an agent another world; delivery and the spool on their own (bench:wire,
// bench:spool, reading a site's disk); rttStats for synthetic samples. Tests of one module import it
// from its own file.
export type { Agent, AgentStats } from './agent.js';
export * from './clock.js';
export type { AgentIo } from './compose/agent-io.js';
export { composeAgent, openAgent, type ProbeBuilder } from './compose/open-agent.js';
export { realAgentIo } from './compose/real-io.js';
export * from './config/schema.js';
export { createDelivery, type Delivery } from './delivery/delivery.js';
export * from './delivery/mqtt/broker-tls.js';
export type * from './delivery/mqtt/mqtt-link.js';
export { mqttJsConnect } from './delivery/mqtt/mqtt-link.js';
export { createPublisher, type Publisher, type PublisherListener } from './delivery/mqtt/publisher.js';
export { openFileSpool } from './delivery/spool/file-spool.js';
export { createMemorySpool } from './delivery/spool/memory-spool.js';
export type { Spool } from './delivery/spool/spool.js';
export * from './delivery/spool/spool-io.js';
export * from './host/command-runner.js';
export * from './host/file-reader.js';
export type { HostInfo } from './host/host-info.js';
export { CLEAN_SHUTDOWN_FILE } from './host/run-marker.js';
export type { GatewayDetector } from './probes/latency/gateway.js';
export type { Pinger, PingOutcome, PingRequest } from './probes/latency/pinger.js';
export { rttStats } from './probes/latency/rtt-stats.js';
export type { Connector, ConnectRequest, TcpErrorCode } from './probes/latency/tcp-connector.js';
export type { PowerIo } from './probes/power/power-io.js';
export type { SerialConnection, SerialOpenOptions, SerialPortOpener } from './probes/power/serial-port.js';
export type { AnyProbe, Probe } from './probes/probe.js';
export type { ProbeContext, ProbeDeps, ProbeIo } from './probes/registry.js';
export type { GrpcUnaryClient } from './probes/terminal/grpc-unary.js';
export type { LegResult, ThroughputTransport } from './probes/throughput/http-transport.js';
export type { LinkSnapshot } from './probes/uptime/link-state.js';
export type { TrafficMeter } from './probes/usage/traffic-meter.js';
export type { CalendarWhen, Scheduler } from './schedule/calendar.js';
export { type CycleSchedule, type CycleTick, createCycleScheduler } from './schedule/cycles.js';
export * from './service/sd-notify.js';
export { systemdNotifySend } from './service/systemd-notify.js';
export type * from './snmp/snmp-client.js';
export { AGENT_VERSION } from './version.js';
