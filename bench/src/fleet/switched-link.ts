import type { MqttConnect, MqttLink } from '@pantau/agent';

/**
 * The site's uplink between the agent and the real MQTT connection: while it is down (an outage, a
 * site without power) every attempt fails as an unreachable broker would, and `cut()` drops the
 * connections that are up without a word, as a dead link does (the broker then sends the will).
 */
export interface SwitchedLink {
  readonly connect: MqttConnect;
  /** Drops every open connection's socket at once. */
  cut(): void;
}

export function createSwitchedLink(inner: MqttConnect, isUp: () => boolean): SwitchedLink {
  const open = new Set<MqttLink>();
  return {
    connect(url, options, events) {
      if (!isUp()) {
        setImmediate(() => {
          events.error({ message: 'simulated: no route to the broker', code: null, tls: null });
          events.close();
        });
        return deadLink;
      }
      const link = inner(url, options, {
        ...events,
        close() {
          open.delete(link);
          events.close();
        },
      });
      open.add(link);
      return link;
    },
    cut() {
      for (const link of [...open]) link.destroy();
    },
  };
}

const notConnected = () => Promise.reject(new Error('simulated: not connected'));

const deadLink: MqttLink = {
  subscribe: notConnected,
  publish: notConnected,
  socketBytes: () => ({ txBytes: 0, rxBytes: 0 }),
  destroy() {},
  abandon() {},
  end: async () => {},
};
