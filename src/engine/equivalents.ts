// Pure: the title of each lab action and the real command it stands for, so people learn the real thing.
import type { LabAction } from '../cluster/actions.js';
import { describeFault, type FaultSpec } from '../cluster/fabric/plan.js';
import { nodeById, publicAddress, redisCliLine, type Topology } from '../cluster/topology.js';

export interface Described {
  title: string;
  equivalent: string;
}

export function faultSpecOf(a: LabAction): FaultSpec | undefined {
  switch (a.kind) {
    case 'partition':
      return { kind: 'partition', groups: a.groups, mode: a.mode ?? 'drop' };
    case 'isolate':
      return { kind: 'isolate', host: a.host, mode: a.mode ?? 'drop' };
    case 'cut':
      return { kind: 'cut', from: a.from, to: a.to, mode: a.mode ?? 'drop' };
    case 'latency':
      return {
        kind: 'latency',
        from: a.from,
        to: a.to,
        latencyMs: a.latencyMs,
        jitterMs: a.jitterMs ?? 0,
        bothWays: a.bothWays ?? true,
      };
    case 'bandwidth':
      return { kind: 'bandwidth', from: a.from, to: a.to, bytesPerSec: a.bytesPerSec, bothWays: a.bothWays ?? true };
    default:
      return undefined;
  }
}

function ipsOf(t: Topology, hosts: readonly string[]): string {
  return hosts.map((h) => t.hosts.find((x) => x.id === h)?.ip ?? h).join(',');
}

export function describeAction(t: Topology, a: LabAction, ctx: { pid?: number; confPath?: string } = {}): Described {
  const pid = ctx.pid ?? '<pid>';
  const cli = (node: string) => redisCliLine(t, node);
  const name = t.sentinel.masterName;
  switch (a.kind) {
    case 'kill':
      return { title: `kill ${a.node}`, equivalent: `kill -9 ${pid}   # SIGKILL: ${a.node} crashes, no SHUTDOWN` };
    case 'stop':
      return {
        title: `stop ${a.node}`,
        equivalent: `kill -TERM ${pid}   # same as: ${cli(a.node)} SHUTDOWN`,
      };
    case 'freeze':
      return { title: `freeze ${a.node}`, equivalent: `kill -STOP ${pid}   # alive but silent, like a hung machine` };
    case 'thaw':
      return { title: `thaw ${a.node}`, equivalent: `kill -CONT ${pid}` };
    case 'restart': {
      const node = nodeById(t, a.node);
      const conf = ctx.confPath ?? '<conf>';
      return {
        title: `restart ${a.node}`,
        equivalent: node?.kind === 'sentinel' ? `redis-server ${conf} --sentinel` : `redis-server ${conf}`,
      };
    }
    case 'partition':
    case 'isolate':
    case 'cut':
    case 'latency':
    case 'bandwidth': {
      const spec = faultSpecOf(a);
      const title = spec ? describeFault(spec) : a.kind;
      return { title, equivalent: networkEquivalent(t, a) };
    }
    case 'heal':
      return { title: `heal ${a.fault}`, equivalent: '# remove the iptables/tc rules of that fault' };
    case 'heal-all':
      return { title: 'heal all faults', equivalent: 'iptables -F; tc qdisc del dev lo root   # on a real network' };
    case 'write': {
      const c = t.clients[a.client];
      return {
        title: `client ${a.client} SET ${a.key}`,
        equivalent: `${clientCli(t, a.client)} SET ${a.key} ${a.value}   # from ${c.host}`,
      };
    }
    case 'read':
      return { title: `client ${a.client} GET ${a.key}`, equivalent: `${clientCli(t, a.client)} GET ${a.key}` };
    case 'workload-start':
      return {
        title: `start workload (client ${a.client})`,
        equivalent: `while true; do ${clientCli(t, a.client)} SADD rsl:ledger <unique-id>; done`,
      };
    case 'workload-stop':
      return {
        title: 'stop workload',
        equivalent: `${clientCli(t, 'A')} SMEMBERS rsl:ledger   # then compare with the acknowledged ids`,
      };
    case 'failover': {
      const s = a.sentinel ?? 'sentinel-1';
      return { title: `SENTINEL FAILOVER via ${s}`, equivalent: `${cli(s)} SENTINEL FAILOVER ${name}` };
    }
    case 'min-replicas': {
      const target = a.node ?? 'every Redis node';
      const lag = a.maxLagSec ?? t.replication.minReplicasMaxLagSec;
      return {
        title: `min-replicas-to-write ${a.toWrite}, max-lag ${lag} on ${target}`,
        equivalent: `${a.node ? cli(a.node) : 'redis-cli -a redis'} CONFIG SET min-replicas-to-write ${a.toWrite}   # old name: min-slaves-to-write; and CONFIG SET min-replicas-max-lag ${lag}`,
      };
    }
    case 'masterauth':
      return {
        title: `${a.enabled ? 'set' : 'remove'} masterauth on ${a.node}`,
        equivalent: `${cli(a.node)} CONFIG SET masterauth ${a.enabled ? t.password : '""'}`,
      };
    case 'sentinel-set':
      return {
        title: `SENTINEL SET ${a.option} ${a.value}`,
        equivalent: `redis-cli -p <each sentinel> SENTINEL SET ${name} ${a.option} ${a.value}`,
      };
    case 'reset':
      return {
        title: 'reset the cluster',
        equivalent: '# stop every process, rewrite every config from scratch, start again',
      };
  }
}

function clientCli(t: Topology, client: 'A' | 'B'): string {
  const c = t.clients[client];
  if (c.target.kind === 'node') {
    const { host, port } = publicAddress(t, c.target.node);
    return `redis-cli -h ${host} -p ${port} -a ${t.password}`;
  }
  return `redis-cli -h $(redis-cli -p <sentinel> SENTINEL GET-MASTER-ADDR-BY-NAME ${t.sentinel.masterName} | head -1) -a ${t.password}`;
}

function networkEquivalent(t: Topology, a: LabAction): string {
  switch (a.kind) {
    case 'partition': {
      const [g1 = [], g2 = []] = a.groups;
      const verb = (a.mode ?? 'drop') === 'drop' ? 'DROP' : 'REJECT --reject-with tcp-reset';
      return `iptables -A INPUT -s ${ipsOf(t, g2)} -d ${ipsOf(t, g1)} -j ${verb}   # and the reverse, on each host`;
    }
    case 'isolate': {
      const ip = ipsOf(t, [a.host]);
      const verb = (a.mode ?? 'drop') === 'drop' ? 'DROP' : 'REJECT --reject-with tcp-reset';
      return `iptables -A INPUT ! -s ${ip} -j ${verb}; iptables -A OUTPUT ! -d ${ip} -j ${verb}   # on ${a.host}`;
    }
    case 'cut': {
      const verb = (a.mode ?? 'drop') === 'drop' ? 'DROP' : 'REJECT --reject-with tcp-reset';
      return `iptables -A OUTPUT -s ${ipsOf(t, [a.from])} -d ${ipsOf(t, [a.to])} -j ${verb}   # one way only`;
    }
    case 'latency':
      return `tc qdisc add dev eth0 root netem delay ${a.latencyMs}ms ${a.jitterMs ?? 0}ms   # on ${a.from}${a.bothWays === false ? '' : ` and ${a.to}`}`;
    case 'bandwidth':
      return `tc qdisc add dev eth0 root tbf rate ${Math.round((a.bytesPerSec * 8) / 1000)}kbit burst 32kbit latency 400ms   # on ${a.from}`;
    default:
      return '';
  }
}
