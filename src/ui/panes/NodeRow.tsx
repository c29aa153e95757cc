// One node on one line: selection mark, role tag, id, process state, and what it replicates from / which
// master it names (Sentinels). Subscribes to this node's display segments only, so a probe that changes
// nothing visible does not redraw the screen.
import { Text } from 'ink';
import { memo } from 'react';
import { nodeById } from '../../cluster/topology.js';
import type { LabState } from '../../state/store.js';
import { useController, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { knownRole, sentinelDisagrees, sentinelOpinion } from '../lib/cluster-view.js';
import { hostFaultNotes } from '../lib/fault-view.js';
import { PROCESS_SYMBOL, pad, roleTag } from '../lib/format.js';
import { OBSERVED_SYMBOL, observedDetail, observedState, observesOnly } from '../lib/observed.js';
import type { Token } from '../theme/tokens.js';

export interface NodeRowProps {
  id: string;
  width: number;
  /** Show the host column (compact layout has no host lines). */
  showHost: boolean;
  showPort: boolean;
  /** The lab does not run the nodes (attach mode): the state is what the probes observe (lib/observed.ts). */
  observed?: boolean;
}

export type Seg = { text: string; token?: Token };

/** Below this width the state column is the symbol alone and the word moves into the detail (`✗ exited (SIGKILL)`). */
export const NARROW_ROW = 50;

/** The row's segments after the selection mark; undefined for an unknown node. Pure, for tests and the view hook. */
export function nodeRowSegments(s: LabState, id: string, opts: Omit<NodeRowProps, 'id'>): Seg[] | undefined {
  const { width, showHost, showPort } = opts;
  if (opts.observed) return observedRowSegments(s, id, opts);
  const spec = nodeById(s.topology, id);
  if (!spec) return undefined;
  const proc = s.processes[id];
  const redis = s.redis[id];
  const sentinel = s.sentinels[id];
  const state = proc?.state ?? 'starting';
  const role = spec.kind === 'sentinel' ? 'sentinel' : knownRole(s, id);
  const roleToken: Token = role ? `role.${role}` : 'role.unknown';
  const stateToken: Token =
    state === 'running'
      ? 'status.ok'
      : state === 'frozen'
        ? 'status.warn'
        : state === 'exited'
          ? 'status.error'
          : 'status.muted';
  const narrow = width < NARROW_ROW;
  const segs: Seg[] = [
    { text: `${roleTag(role)} `, token: roleToken },
    { text: pad(id, 11), token: roleToken },
  ];
  if (showHost) {
    const hostHit = hostFaultNotes(s.faults, spec.host).length > 0;
    const label = `${spec.host.replace('host-', 'h')}${hostHit ? '╳' : ''}`;
    segs.push({ text: pad(label, 4), token: hostHit ? 'status.error' : 'status.muted' });
  }
  // Narrow rows keep the symbol (the legend's meaning) and spell the state out only when it is not "running".
  const stateText = narrow && state === 'running' ? (PROCESS_SYMBOL[state].split(' ')[0] ?? '') : PROCESS_SYMBOL[state];
  segs.push({ text: narrow ? `${stateText} ` : pad(stateText, 11), token: stateToken });
  if (showPort) segs.push({ text: pad(`:${spec.port}`, 7), token: 'status.muted' });

  if (state === 'exited' || state === 'stopped') {
    const ex = proc?.lastExit;
    if (ex) segs.push({ text: ex.signal ? `(${ex.signal})` : `(code ${ex.code ?? '?'})`, token: 'status.muted' });
  } else if (spec.kind === 'redis') {
    if (redis && !redis.reachable) {
      segs.push({
        text:
          state === 'frozen'
            ? narrow
              ? '(not answering)'
              : 'not answering'
            : `✗ unreachable${redis.error ? `: ${redis.error}` : ''}`,
        token: 'status.error',
      });
    } else if (redis?.replication?.role === 'master') {
      const n = redis.replication.connectedReplicas;
      // The [M] tag already says master; narrow rows keep only the count.
      segs.push({ text: `${narrow ? '' : 'master · '}${n} replica${n === 1 ? '' : 's'}`, token: 'role.master' });
    } else if (redis?.replication) {
      const r = redis.replication;
      segs.push({ text: `⇐ ${redis.masterId ?? `${r.masterHost}:${r.masterPort}`} ` });
      if (r.masterSyncInProgress) segs.push({ text: '⟳ syncing', token: 'status.warn' });
      else if (r.masterLinkStatus === 'up') segs.push({ text: '✓ up', token: 'status.ok' });
      else {
        const since =
          r.masterLinkDownSinceSec !== undefined && r.masterLinkDownSinceSec >= 0
            ? ` ${r.masterLinkDownSinceSec}s`
            : '';
        segs.push({ text: `✗ down${since}`, token: 'status.error' });
      }
    }
  } else {
    const o = sentinelOpinion(id, sentinel);
    const odd = sentinelDisagrees(s, id);
    if (sentinel && !o.reachable) segs.push({ text: '✗ unreachable', token: 'status.error' });
    else if (sentinel) {
      const names = o.masterId ?? o.masterAddr ?? '?';
      segs.push({ text: `${odd ? '⚠ ' : ''}→ ${names}`, token: odd ? 'status.warn' : 'role.master' });
      if (o.tilt) {
        segs.push({
          text: ` TILT${o.tiltSinceSec !== undefined ? ` ${o.tiltSinceSec}s` : ''}`,
          token: 'severity.critical',
        });
      }
      // Flags that describe the old master while the address is already the new one say whose they are.
      if (o.flags.length) {
        const text = o.flagsOf ? ` (${o.flagsOf} ${o.flags.join(',')})` : ` ${o.flags.join(',')}`;
        segs.push({ text, token: 'status.error' });
      }
      if (o.epoch !== undefined) segs.push({ text: ` ep ${o.epoch}`, token: 'status.muted' });
      if (o.failoverState) segs.push({ text: ` ${o.failoverState}`, token: 'status.warn' });
    }
  }
  return segs;
}

/**
 * The row of a node the lab does not run (attach mode): what the probes observe instead of a process state, and
 * replication only as the node's own INFO reports it.
 */
function observedRowSegments(s: LabState, id: string, opts: Omit<NodeRowProps, 'id'>): Seg[] | undefined {
  const { width, showHost, showPort } = opts;
  const spec = nodeById(s.topology, id);
  if (!spec) return undefined;
  const o = observedState(s, id);
  const role = spec.kind === 'sentinel' ? 'sentinel' : knownRole(s, id);
  const roleToken: Token = role ? `role.${role}` : 'role.unknown';
  const stateToken: Token =
    o.kind === 'answers' ? 'status.ok' : o.kind === 'unprobed' ? 'status.muted' : 'status.error';
  const narrow = width < NARROW_ROW;
  const segs: Seg[] = [
    { text: `${roleTag(role)} `, token: roleToken },
    { text: pad(id, 11), token: roleToken },
  ];
  if (showHost) segs.push({ text: pad(spec.host.replace('host-', 'h'), 4), token: 'status.muted' });
  const word = OBSERVED_SYMBOL[o.kind];
  const stateText = narrow && o.kind === 'answers' ? (word.split(' ')[0] ?? '') : word;
  segs.push({ text: narrow ? `${stateText} ` : pad(stateText, 12), token: stateToken });
  if (showPort) segs.push({ text: pad(`:${spec.port}`, 7), token: 'status.muted' });
  const detail = observedDetail(o);
  if (detail) {
    segs.push({ text: detail, token: 'status.error' });
    return segs;
  }
  if (o.kind !== 'answers') return segs;
  // It answers: the rest is the sandbox row's (replication from INFO, a Sentinel's opinion).
  const rest = nodeRowSegments({ ...s, processes: {} }, id, { width, showHost: false, showPort: false });
  return [...segs, ...(rest ?? []).slice(3)];
}

export const NodeRow = memo(function NodeRow({ id, width, showHost, showPort }: NodeRowProps) {
  const theme = useTheme();
  const observed = observesOnly(useController().unavailable);
  const segs = useLabView((s) => nodeRowSegments(s, id, { width, showHost, showPort, observed }));
  const selected = useUi((s) => s.selectedNode === id);
  if (!segs) return null;
  const all: Seg[] = [{ text: selected ? '▶ ' : '  ' }, ...segs];
  const sel = selected ? theme.style('selection') : {};
  return (
    <Text wrap="truncate-end" {...sel}>
      {all
        .map((s, n) => ({ ...s, id: `${n}` }))
        .map((s) => (
          <Text key={s.id} {...(s.token ? theme.style(s.token) : {})} {...sel}>
            {s.text}
          </Text>
        ))}
      {selected && theme.mode === 'color'
        ? ' '.repeat(Math.max(0, width - all.reduce((n, s) => n + s.text.length, 0)))
        : ''}
    </Text>
  );
});
