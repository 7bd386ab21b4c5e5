import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { canConnect, freePort, until } from './servers.js';

/** Debian's rabbitmq-server scripts; the /usr/sbin wrappers would switch to the `rabbitmq` user and its home. */
const RABBIT_BIN = process.env.PANTAU_RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin';
const START_TIMEOUT_MS = 300_000;

/**
 * The MQTT plugin (3.10) keeps a persistent session's subscription in a classic queue on the node
 * the client first connected to; with that node down, the client can connect elsewhere but its
 * SUBSCRIBE fails and the connection is closed. Mirroring those queues on every node lets a
 * surviving mirror take over (docs/scaling.md).
 */
export const MQTT_SESSION_POLICY = [
  'pantau-mqtt-sessions',
  '^mqtt-subscription-',
  '{"ha-mode":"all","ha-sync-mode":"automatic"}',
];

export interface RabbitNode {
  readonly name: string;
  readonly amqpUrl: string;
  readonly mqttPort: number;
  readonly mqttUrl: string;
  /** The Erlang VM's process id (for CPU and memory figures). */
  beamPid(): number | null;
  /** SIGKILL to the node's whole process group: a crash, no goodbye to the cluster. */
  kill(): Promise<void>;
  running(): boolean;
}

export interface RabbitCluster {
  readonly nodes: readonly RabbitNode[];
  /** `rabbitmqctl cluster_status` of a running node: the nodes it sees running. */
  runningNodes(): Promise<string[]>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

interface NodePlan {
  readonly name: string;
  readonly amqpPort: number;
  readonly mqttPort: number;
  readonly distPort: number;
}

function nodeConfig(plan: NodePlan, peers: readonly string[]): string {
  return [
    `listeners.tcp.default = 127.0.0.1:${plan.amqpPort}`,
    `mqtt.listeners.tcp.default = 127.0.0.1:${plan.mqttPort}`,
    ...(peers.length === 0
      ? []
      : [
          'cluster_formation.peer_discovery_backend = classic_config',
          ...peers.map((peer, i) => `cluster_formation.classic_config.nodes.${i + 1} = ${peer}`),
        ]),
    '',
  ].join('\n');
}

/** Whether any process of a group is left. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL to a process group (a detached child leads its own), resolved once every member is gone. */
async function killGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const exited = child.exitCode === null && child.signalCode === null ? once(child, 'exit') : null;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await exited;
  await until(`process group ${pgid} gone`, async () => !groupAlive(pgid), 30_000);
}

/**
 * Starts a RabbitMQ cluster of `size` nodes on 127.0.0.1 with the MQTT plugin (MQTT 3.1.1).
 * Everything lives in one temporary folder: the Erlang cookie (HOME), each node's mnesia and logs,
 * and an epmd of the cluster's own on a free port (ERL_EPMD_PORT), so nothing is shared with the
 * system's RabbitMQ or another test's; Erlang distribution listens on loopback, on a free port per
 * node (RABBITMQ_DIST_PORT). The first node starts alone; the others find it through classic-config
 * peer discovery and join its cluster as they boot (what `rabbitmqctl join_cluster` does, without
 * three CLI round trips of ~20 s each). Each node runs in a process group of its own, so a kill
 * takes its helpers (erl_child_setup, inet_gethost) with it.
 */
export async function startRabbitCluster(size = 3): Promise<RabbitCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-rabbit-'));
  writeFileSync(join(dir, '.erlang.cookie'), `PANTAU${Math.random().toString(36).slice(2).toUpperCase()}`);
  chmodSync(join(dir, '.erlang.cookie'), 0o400);
  // What `rabbitmq-plugins --offline enable rabbitmq_mqtt` writes, without its ~30 s start.
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  const epmdPort = await freePort();
  const tag = Math.random().toString(36).slice(2, 8);
  const plans: NodePlan[] = [];
  for (let i = 0; i < size; i++) {
    const [amqpPort, mqttPort, distPort] = [await freePort(), await freePort(), await freePort()];
    plans.push({ name: `pantau${tag}${i}@localhost`, amqpPort, mqttPort, distPort });
  }
  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    ERL_EPMD_PORT: String(epmdPort),
    LANG: 'C.UTF-8',
  };
  const children: ChildProcess[] = [];
  const stderr = new Map<string, string>();
  const spawnGroup = (cmd: string, args: string[], env: NodeJS.ProcessEnv, name: string) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
    child.stderr?.on('data', (chunk) => stderr.set(name, ((stderr.get(name) ?? '') + String(chunk)).slice(-2000)));
    children.push(child);
    return child;
  };
  const epmd = spawnGroup('epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], baseEnv, 'epmd');

  function startNode(plan: NodePlan, peers: readonly string[]): ChildProcess {
    const short = plan.name.split('@')[0] ?? plan.name;
    const configFile = join(dir, `${short}.conf`);
    writeFileSync(configFile, nodeConfig(plan, peers));
    return spawnGroup(
      join(RABBIT_BIN, 'rabbitmq-server'),
      [],
      {
        ...baseEnv,
        RABBITMQ_NODENAME: plan.name,
        RABBITMQ_DIST_PORT: String(plan.distPort),
        RABBITMQ_CONFIG_FILE: configFile,
        RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
        RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
        RABBITMQ_LOG_BASE: join(dir, 'log'),
        RABBITMQ_PID_FILE: join(dir, `${short}.pid`),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      },
      plan.name,
    );
  }

  async function answers(plan: NodePlan, child: ChildProcess): Promise<boolean> {
    if (child.exitCode !== null) {
      throw new Error(`rabbitmq node ${plan.name} exited (${child.exitCode}): ${stderr.get(plan.name) ?? ''}`);
    }
    try {
      const c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${plan.amqpPort}`);
      await c.close();
      return true;
    } catch {
      return false;
    }
  }

  async function stopAll(): Promise<void> {
    // The nodes first: a node that sees its epmd gone starts `epmd -daemon` again (rabbit_epmd_monitor),
    // and a daemon would outlive the cluster.
    await Promise.all(children.filter((c) => c !== epmd).map(killGroup));
    await killGroup(epmd);
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }

  const ctl = async (node: string, args: string[]) =>
    (await run(join(RABBIT_BIN, 'rabbitmqctl'), ['-n', node, ...args], { env: baseEnv, timeout: 120_000 })).stdout;

  const processes: ChildProcess[] = [];
  try {
    await until('epmd', async () => {
      if (epmd.exitCode !== null) throw new Error(`epmd exited (${epmd.exitCode}): ${stderr.get('epmd') ?? ''}`);
      return canConnect(epmdPort);
    });
    const [first, ...rest] = plans;
    if (first === undefined) throw new Error('a cluster needs a node');
    const firstChild = startNode(first, []);
    processes.push(firstChild);
    await until(`rabbitmq node ${first.name}`, () => answers(first, firstChild), START_TIMEOUT_MS);
    const joiners = rest.map((plan) =>
      startNode(
        plan,
        plans.map((p) => p.name),
      ),
    );
    processes.push(...joiners);
    await Promise.all(
      rest.map((plan, i) =>
        until(`rabbitmq node ${plan.name}`, () => answers(plan, joiners[i] as ChildProcess), START_TIMEOUT_MS),
      ),
    );
    await ctl(first.name, ['set_policy', '--apply-to', 'queues', ...MQTT_SESSION_POLICY]);
  } catch (error) {
    await stopAll();
    throw error;
  }

  const nodes: RabbitNode[] = plans.map((plan, i) => {
    const child = processes[i] as ChildProcess;
    const short = plan.name.split('@')[0] ?? plan.name;
    return {
      name: plan.name,
      amqpUrl: `amqp://guest:guest@127.0.0.1:${plan.amqpPort}`,
      mqttPort: plan.mqttPort,
      mqttUrl: `mqtt://127.0.0.1:${plan.mqttPort}`,
      beamPid() {
        try {
          return Number(readFileSync(join(dir, `${short}.pid`), 'utf8').trim()) || null;
        } catch {
          return null;
        }
      },
      running: () => child.exitCode === null && child.signalCode === null,
      kill: () => killGroup(child),
    };
  });

  return {
    nodes,
    async runningNodes() {
      const up = nodes.find((n) => n.running());
      if (up === undefined) return [];
      const stdout = await ctl(up.name, ['cluster_status', '--formatter', 'json']);
      return (JSON.parse(stdout) as { running_nodes?: string[] }).running_nodes ?? [];
    },
    stop: stopAll,
  };
}
