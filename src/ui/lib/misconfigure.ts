// Pure: the misconfigure menu (the sandbox's M key). For the selected node and its host it offers each
// misconfiguration Sentinel users most often make, with its state now read from the probes and the lab's facts, and
// the one action Enter performs: the misconfiguration, or its undo when it is already in place. Below, everything
// misconfigured elsewhere in the cluster, each with its undo. Every entry carries the action, so the picker shows the
// real command it stands for (describeAction) and the keymap performs exactly that.
import { describeAction, type LabAction, requiredCapability } from '../../actions/catalog.js';
import { type ClientName, NAT_PORT_OFFSET, type NodeSpec, natPort } from '../../cluster/topology.js';
import type { MissingCapabilities } from '../../deployments/deployment.js';
import type { LabState } from '../../state/store.js';

export interface MisconfigEntry {
  /** Stable key: the misconfiguration and what it is about (`masterauth:redis-2`). */
  id: string;
  /** What it is about, in words: "masterauth on redis-2". */
  subject: string;
  /** The state now: "set", "missing", "off", "behind the NAT (+200)". */
  now: string;
  /** In place right now, so Enter undoes it. */
  misconfigured: boolean;
  /** What Enter does, in words: "drop it", "set it again". */
  verb: string;
  action: LabAction;
  /** Why Enter cannot do it here (the deployment lacks the capability), if so. */
  unavailable?: string;
}

export interface MisconfigMenu {
  /** The node the menu is about, and its host. */
  node: string;
  host: string;
  /** Entries about the selected node and its host. */
  here: MisconfigEntry[];
  /** Misconfigurations in place elsewhere (each offers its undo). */
  elsewhere: MisconfigEntry[];
}

const DOWN = new Set(['stopped', 'exited']);

/**
 * Whether the node is down because it was removed for good (the decommission action), rather than killed, stopped or
 * crashed: of the lab's records that remove or start it, the last one removes it.
 */
function removedForGood(s: LabState, id: string): boolean {
  const removal = describeAction({ kind: 'decommission', node: id }, s.topology).title;
  const start = describeAction({ kind: 'restart', node: id }, s.topology).title;
  const last = s.actions.findLast((a) => a.status !== 'failed' && (a.title === removal || a.title === start));
  return last?.title === removal;
}

/** Every entry about one node (and, once per host, the host's NAT). */
function entriesFor(s: LabState, n: NodeSpec, withHost: boolean): MisconfigEntry[] {
  const out: Omit<MisconfigEntry, 'unavailable'>[] = [];
  const t = s.topology;
  const natOffset = s.nat[n.host];
  if (n.kind === 'redis') {
    const obs = s.redis[n.id];
    const missing = obs?.reachable === true && obs.hasMasterauth === false;
    out.push({
      id: `masterauth:${n.id}`,
      subject: `masterauth on ${n.id}`,
      now: obs?.hasMasterauth === undefined ? 'unknown' : missing ? 'missing' : 'set',
      misconfigured: missing,
      verb: missing ? 'set it again' : 'drop it',
      action: { kind: 'masterauth', node: n.id, enabled: missing },
    });
    // Priority 0: never promoted. Harmless on one replica; with every replica at 0 a failover finds no candidate
    // (-failover-abort-no-good-slave).
    const zero = obs?.reachable === true && obs.replicaPriority === 0;
    out.push({
      id: `replica-priority:${n.id}`,
      subject: `replica-priority of ${n.id}`,
      now: obs?.replicaPriority === undefined ? 'unknown' : zero ? '0 (never promoted)' : String(obs.replicaPriority),
      misconfigured: zero,
      verb: zero ? 'set it back to 100' : 'set it to 0',
      action: { kind: 'replica-priority', node: n.id, priority: zero ? 100 : 0 },
    });
    // The lab runs without persistence by default. It is a misconfiguration on the master: restarted, it comes back
    // empty and its replicas copy the empty dataset (redis.io, "Safety of replication when master has persistence
    // turned off").
    const off = obs?.reachable === true && obs.persistence === false;
    const isMaster = obs?.replication?.role === 'master';
    out.push({
      id: `persistence:${n.id}`,
      subject: `persistence on ${n.id}`,
      now:
        obs?.persistence === undefined
          ? 'unknown'
          : off
            ? `off${isMaster ? ' (the master: restarted, it comes back empty)' : ''}`
            : 'on (appendonly)',
      misconfigured: off && isMaster,
      verb: off ? 'turn it on' : 'turn it off',
      action: { kind: 'persistence', node: n.id, enabled: off },
    });
  } else if (t.sentinelAuth.password) {
    const without = s.sentinels[n.id]?.passwordless === true;
    out.push({
      id: `sentinel-password:${n.id}`,
      subject: `${n.id}'s password`,
      now: without ? 'missing' : 'set',
      misconfigured: without,
      verb: without ? 'restart it with the password' : 'restart it without',
      action: { kind: 'sentinel-password', sentinel: n.id, enabled: without },
    });
  }
  // Removed for good (the decommission action), yet still listed by a Sentinel that runs: nobody told the Sentinels
  // (SENTINEL RESET). A node that is down because it was killed, stopped or crashed is not removed: R starts it again,
  // and resetting a Sentinel (it forgets every replica and Sentinel, then finds them again) is no answer to a crash.
  const proc = s.processes[n.id];
  const state = proc?.state;
  const down = state !== undefined && DOWN.has(state);
  const removed = down && removedForGood(s, n.id);
  const listedBy = Object.values(s.sentinels).filter(
    (o) =>
      o.reachable &&
      o.id !== n.id &&
      s.processes[o.id]?.state === 'running' &&
      [...o.replicas, ...o.sentinels].some((i) => i.nodeId === n.id),
  );
  const stale = removed && listedBy.length > 0;
  const first = listedBy[0]?.id;
  let action: LabAction = { kind: 'decommission', node: n.id };
  if (stale && first) action = { kind: 'sentinel-reset', sentinel: first };
  else if (down) action = { kind: 'restart', node: n.id };
  const downWord = state === 'stopped' ? 'stopped' : proc?.lastExit?.signal === 'SIGKILL' ? 'killed' : 'exited';
  out.push({
    id: `decommission:${n.id}`,
    subject: `${n.id} removed for good`,
    now: stale
      ? `removed, still listed by ${listedBy.map((o) => o.id).join(', ')}`
      : removed
        ? 'removed'
        : down
          ? `not removed: ${downWord} (R restarts it)`
          : 'running',
    misconfigured: stale,
    // The fix for "forgot SENTINEL RESET": reset the Sentinels that still list it, one at a time, as redis.io says
    // ("Adding or removing Sentinels"): each press resets the next one. Once none lists it, Enter restarts it.
    verb: stale
      ? `SENTINEL RESET on ${first} (${listedBy.length} still list it)`
      : down
        ? 'start it again'
        : 'remove it (no SENTINEL RESET)',
    action,
  });
  // What it announces while its host is (or is not) behind the NAT.
  const announced =
    n.kind === 'redis'
      ? s.redis[n.id]?.announcePort
      : Object.values(s.sentinels)
          .flatMap((o) => o.sentinels)
          .find((i) => i.nodeId === n.id)?.port;
  // Only while it matters: behind the NAT, or announcing the published port without one. Announcing its own port
  // with no NAT is simply right, and offers nothing to do.
  const publishedNow = announced !== undefined && announced === natPort(n.port);
  if (announced !== undefined && announced !== 0 && (natOffset !== undefined || publishedNow)) {
    const published = publishedNow;
    const wrong = natOffset !== undefined ? !published : published;
    out.push({
      id: `announce:${n.id}`,
      subject: `port ${n.id} announces`,
      now: `${announced}${wrong ? ' (nothing answers there)' : ''}`,
      misconfigured: wrong,
      verb: natOffset !== undefined ? 'announce the published port' : 'announce its own port',
      action: { kind: 'announce-port', node: n.id, published: natOffset !== undefined },
    });
  }
  if (withHost) {
    out.push({
      id: `nat:${n.host}`,
      subject: `NAT on ${n.host}`,
      now: natOffset !== undefined ? `ports +${natOffset}` : 'none (ports 1:1)',
      misconfigured: natOffset !== undefined,
      verb: natOffset !== undefined ? 'publish its own ports again' : `remap its ports +${NAT_PORT_OFFSET}`,
      action: { kind: 'nat', host: n.host, enabled: natOffset === undefined },
    });
  }
  return out;
}

/**
 * The application clients' part: the current client pinned to the selected data node (a client configured with a
 * plain address) or asking the Sentinels again, and both clients writing on a timer to watch what each sees.
 */
function clientEntries(s: LabState, node: NodeSpec, client: ClientName): Omit<MisconfigEntry, 'unavailable'>[] {
  const out: Omit<MisconfigEntry, 'unavailable'>[] = [];
  const target = s.clientTargets[client] ?? s.topology.clients[client].target;
  if (target.kind === 'node') {
    out.push({
      id: `client:${client}`,
      subject: `client ${client}`,
      now: `pinned to ${target.node}`,
      misconfigured: true,
      verb: 'ask the Sentinels instead',
      action: { kind: 'client-target', client, target: 'sentinel' },
    });
  } else if (node.kind === 'redis') {
    out.push({
      id: `client:${client}`,
      subject: `client ${client}`,
      now: 'asks the Sentinels',
      misconfigured: false,
      verb: `pin it to ${node.id}`,
      action: { kind: 'client-target', client, target: node.id },
    });
  }
  const hb = s.heartbeat;
  out.push({
    id: 'heartbeat',
    subject: 'both clients writing on a timer',
    now: hb.running ? `every ${hb.everyMs ?? '?'} ms` : 'off',
    misconfigured: false,
    verb: hb.running ? 'stop' : 'start (see each one fail and recover)',
    action: { kind: 'heartbeat', running: !hb.running },
  });
  return out;
}

/** The menu for the selected node; entries the deployment cannot perform say why. */
export function misconfigureMenu(
  s: LabState,
  selected: string,
  missing: MissingCapabilities = {},
  client: ClientName = 'A',
): MisconfigMenu {
  const t = s.topology;
  const node = t.nodes.find((n) => n.id === selected) ?? t.nodes[0];
  if (!node) return { node: selected, host: '', here: [], elsewhere: [] };
  const mark = (e: Omit<MisconfigEntry, 'unavailable'>): MisconfigEntry => {
    const cap = requiredCapability(e.action.kind);
    const why = cap === undefined ? undefined : missing[cap];
    return why ? { ...e, unavailable: why.reason } : e;
  };
  const here = [...entriesFor(s, node, true), ...clientEntries(s, node, client)].map(mark);
  const seen = new Set(here.map((e) => e.id));
  const hostsDone = new Set([node.host]);
  const elsewhere: MisconfigEntry[] = [];
  const other: ClientName = client === 'A' ? 'B' : 'A';
  for (const e of clientEntries(s, node, other)) {
    if (e.misconfigured && !seen.has(e.id)) elsewhere.push(mark(e));
  }
  for (const n of t.nodes) {
    if (n.id === node.id) continue;
    const withHost = !hostsDone.has(n.host);
    hostsDone.add(n.host);
    for (const e of entriesFor(s, n, withHost)) {
      if (e.misconfigured && !seen.has(e.id)) {
        seen.add(e.id);
        elsewhere.push(mark(e));
      }
    }
  }
  return { node: node.id, host: node.host, here, elsewhere };
}

/** The entry at `cursor` across both sections (here first). */
export function entryAt(menu: MisconfigMenu, cursor: number): MisconfigEntry | undefined {
  return [...menu.here, ...menu.elsewhere][cursor];
}

/** How many entries the cursor moves over. */
export function entryCount(menu: MisconfigMenu): number {
  return menu.here.length + menu.elsewhere.length;
}
