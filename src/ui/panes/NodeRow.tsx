// One node on one line: selection mark, role tag, id, process state, and what it replicates from / which
// master it names (Sentinels). Subscribes to this node's slices only.
import { Text } from 'ink';
import { memo } from 'react';
import { nodeById } from '../../cluster/topology.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { knownRole, sentinelDisagrees, sentinelOpinion } from '../lib/cluster-view.js';
import { hostFaultNotes } from '../lib/fault-view.js';
import { PROCESS_SYMBOL, pad, roleTag } from '../lib/format.js';
import type { Token } from '../theme/tokens.js';

export interface NodeRowProps {
  id: string;
  width: number;
  /** Show the host column (compact layout has no host lines). */
  showHost: boolean;
  showPort: boolean;
}

type Seg = { text: string; token?: Token };

export const NodeRow = memo(function NodeRow({ id, width, showHost, showPort }: NodeRowProps) {
  const theme = useTheme();
  const proc = useLab((s) => s.processes[id]);
  const spec = useLab((s) => nodeById(s.topology, id));
  const redis = useLab((s) => s.redis[id]);
  const sentinel = useLab((s) => s.sentinels[id]);
  const listedRole = useLab((s) => (spec?.kind === 'redis' ? knownRole(s, id) : undefined));
  const odd = useLab((s) => spec?.kind === 'sentinel' && sentinelDisagrees(s, id));
  const selected = useUi((s) => s.selectedNode === id);
  const hostHit = useLab((s) => (spec ? hostFaultNotes(s.faults, spec.host).length > 0 : false));
  if (!spec) return null;

  const state = proc?.state ?? 'starting';
  const role = spec.kind === 'sentinel' ? 'sentinel' : listedRole;
  const roleToken: Token = role ? `role.${role}` : 'role.unknown';
  const stateToken: Token =
    state === 'running'
      ? 'status.ok'
      : state === 'frozen'
        ? 'status.warn'
        : state === 'exited'
          ? 'status.error'
          : 'status.muted';
  const segs: Seg[] = [
    { text: selected ? '▶ ' : '  ' },
    { text: `${roleTag(role)} `, token: roleToken },
    { text: pad(id, 11), token: roleToken },
  ];
  if (showHost) {
    const label = `${spec.host.replace('host-', 'h')}${hostHit ? '╳' : ''}`;
    segs.push({ text: pad(label, 4), token: hostHit ? 'status.error' : 'status.muted' });
  }
  segs.push({ text: pad(PROCESS_SYMBOL[state], 11), token: stateToken });
  if (showPort) segs.push({ text: pad(`:${spec.port}`, 7), token: 'status.muted' });

  if (state === 'exited' || state === 'stopped') {
    const ex = proc?.lastExit;
    if (ex) segs.push({ text: ex.signal ? `(${ex.signal})` : `(code ${ex.code ?? '?'})`, token: 'status.muted' });
  } else if (spec.kind === 'redis') {
    if (redis && !redis.reachable) {
      segs.push({
        text: state === 'frozen' ? 'not answering' : `✗ unreachable${redis.error ? `: ${redis.error}` : ''}`,
        token: 'status.error',
      });
    } else if (redis?.replication?.role === 'master') {
      const n = redis.replication.connectedReplicas;
      // The [M] tag already says master; narrow rows keep only the count.
      segs.push({ text: `${width >= 50 ? 'master · ' : ''}${n} replica${n === 1 ? '' : 's'}`, token: 'role.master' });
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
      if (o.flags.length) segs.push({ text: ` ${o.flags.join(',')}`, token: 'status.error' });
      if (o.epoch !== undefined) segs.push({ text: ` ep ${o.epoch}`, token: 'status.muted' });
      if (o.failoverState) segs.push({ text: ` ${o.failoverState}`, token: 'status.warn' });
    }
  }
  const sel = selected ? theme.style('selection') : {};
  return (
    <Text wrap="truncate-end" {...sel}>
      {segs
        .map((s, n) => ({ ...s, id: `${n}` }))
        .map((s) => (
          <Text key={s.id} {...(s.token ? theme.style(s.token) : {})} {...sel}>
            {s.text}
          </Text>
        ))}
      {selected && theme.mode === 'color'
        ? ' '.repeat(Math.max(0, width - segs.reduce((n, s) => n + s.text.length, 0)))
        : ''}
    </Text>
  );
});
