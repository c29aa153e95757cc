// Replication lag per replica (bytes behind, seconds since the last ACK, a sparkline of recent lag) and the
// master's min-replicas guard: how many replicas are good, how many are needed, and whether writes are refused.
// The per-replica figures change on every probe, so they redraw at most once a second.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import stringWidth from 'string-width';
import { redisNodes } from '../../cluster/topology.js';
import { listing, selectLags } from '../../state/selectors.js';
import type { LabState } from '../../state/store.js';
import { Pane } from '../components/Pane.js';
import { useController, useLabThrottled, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { type ReplicationFocus, replicationFocus, writeGuard } from '../lib/cluster-view.js';
import { formatBytes, PROCESS_SYMBOL, pad, sparkline } from '../lib/format.js';
import { OBSERVED_SYMBOL, observedState, observesOnly } from '../lib/observed.js';
import { lineText, wrapSpans } from '../lib/text-wrap.js';
import type { Token } from '../theme/tokens.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

// An idle cluster still replicates Sentinel hellos and PINGs (a few hundred bytes between ACKs); that noise
// should draw a flat line, not a saw tooth.
export const SPARK_FLOOR_BYTES = 4096;
/**
 * Below the noise floor a healthy replica's lag reads "<4 KB": the exact figure moves with every hello a Sentinel
 * publishes (a few hundred bytes between ACKs), says nothing to the reader and would redraw the screen on every probe.
 */
export function lagBytesText(bytes: number): string {
  return bytes < LAG_NOISE_BYTES ? '<4 KB' : formatBytes(bytes);
}

/** Lag under this is noise on an idle cluster (see SPARK_FLOOR_BYTES). */
export const LAG_NOISE_BYTES = 4000;

/**
 * A replica ACKs every second, so an age of 0 or 1 s is the normal rhythm ("ack ≤1s", steady); from 2 s on the
 * seconds count (a frozen replica, compared with min-replicas-max-lag).
 */
export function ackText(ackAgeSec: number | undefined): string {
  if (ackAgeSec === undefined) return 'ack -';
  return ackAgeSec <= 1 ? 'ack ≤1s' : `ack ${ackAgeSec}s`;
}

/** Lag figures redraw at most this often. */
export const LAG_REFRESH_MS = 1000;

export type LagRow =
  | { kind: 'none'; id: string; token: Token; text: string }
  | {
      kind: 'lag';
      id: string;
      masterId: string;
      link: string;
      linkUp: boolean;
      bytes: string;
      ack: string;
      ackLate: boolean;
      spark: string;
      good: boolean;
    };

/**
 * Widths of the replica row's columns, each including the one space that separates it from the next (the
 * verdict, last, has none): 0 for a column not shown. Every column is at least as wide as its longest text plus
 * that space, so no two figures ever touch ("152.6 KBack 0s"); the sparkline takes what is left, up to 16.
 */
export interface LagColumns {
  id: number;
  master: number;
  link: number;
  bytes: number;
  ack: number;
  spark: number;
  verdict: number;
}

/** Smallest widths (text + the separating space), so the columns stay put while the figures change. */
const MIN_COLUMNS = {
  id: 'redis-1 '.length,
  // `⟳ sync`, `✗ down`: the longest words the link column shows before a down time is known.
  link: '⟳ sync '.length,
  // formatBytes is at most 8 columns (`999.9 KB`).
  bytes: '999.9 KB '.length,
  ack: 'ack 10s '.length,
} as const;
const VERDICT = { good: '✓ good', bad: '✗ not good' } as const;
const SPARK_MAX = 16;
const SPARK_MIN = 4;
/** The master column (`⇐redis-1`) needs room to spare: it is shown from this inner width. */
const MASTER_COLUMN_FROM = 75;

/** Column widths for these rows in a pane `cols` columns wide inside (pure). */
export function lagColumns(cols: number, rows: readonly LagRow[]): LagColumns {
  const lagRows = rows.filter((r) => r.kind === 'lag');
  const longest = (texts: string[], min: number) => Math.max(min, ...texts.map((t) => stringWidth(t) + 1));
  const id = longest(
    rows.map((r) => r.id),
    MIN_COLUMNS.id,
  );
  const master =
    cols >= MASTER_COLUMN_FROM
      ? longest(
          lagRows.map((r) => `⇐${r.masterId}`),
          0,
        )
      : 0;
  const link = longest(
    lagRows.map((r) => r.link),
    MIN_COLUMNS.link,
  );
  const bytes = longest(
    lagRows.map((r) => r.bytes),
    MIN_COLUMNS.bytes,
  );
  const ack = longest(
    lagRows.map((r) => r.ack),
    MIN_COLUMNS.ack,
  );
  const verdict = Math.max(stringWidth(VERDICT.good), stringWidth(VERDICT.bad));
  // What is left goes to the sparkline, which needs its own separating space.
  const spare = Math.min(SPARK_MAX, cols - (id + master + link + bytes + ack + verdict) - 1);
  return { id, master, link, bytes, ack, spark: spare >= SPARK_MIN ? spare + 1 : 0, verdict };
}

/** Columns a replica row takes with these widths. */
export function lagRowWidth(c: LagColumns): number {
  return c.id + c.master + c.link + c.bytes + c.ack + c.spark + c.verdict;
}

export interface LagTable {
  rows: LagRow[];
  columns: LagColumns;
  /**
   * Replicas of another node that claims master (a split brain), by that master: listed under their own master
   * in one line, never as rows under this one's header.
   */
  elsewhere: Array<{ masterId: string; replicas: string[] }>;
}

/**
 * One row per replica of `masterId` (the master the pane follows, cluster-view.ts replicationFocus), live replicas
 * first, then nodes that cannot replicate. Nodes that claim master themselves, and replicas of another claimant,
 * get no row: those are listed in `elsewhere`.
 */
export function lagTable(
  s: LabState,
  cols: number,
  maxLagSec: number,
  masterId: string | undefined,
  others: readonly string[] = [],
  /** Attach mode: no process state, what the probes observe (lib/observed.ts). */
  observed = false,
): LagTable {
  const lags = selectLags(s);
  const live: LagRow[] = [];
  const dead: LagRow[] = [];
  const elsewhere = new Map<string, string[]>();
  const claimant = (id: string) => id === masterId || others.includes(id);
  for (const n of redisNodes(s.topology)) {
    const id = n.id;
    if (claimant(id) || s.redis[id]?.replication?.role === 'master') continue;
    const lag = lags.find((l) => l.replicaId === id);
    const upstream = lag?.masterId ?? s.redis[id]?.masterId;
    if (upstream !== undefined && upstream !== masterId && others.includes(upstream)) {
      elsewhere.set(upstream, [...(elsewhere.get(upstream) ?? []), id]);
      continue;
    }
    if (!lag) {
      // No computable lag: the replica's master is gone, or the replica itself is down.
      const r = s.redis[id]?.replication;
      const state = s.processes[id]?.state ?? 'starting';
      const named = s.redis[id]?.masterId ?? (r?.masterHost ? `${r.masterHost}:${r.masterPort}` : undefined);
      const since =
        r?.masterLinkDownSinceSec !== undefined && r.masterLinkDownSinceSec >= 0 ? ` ${r.masterLinkDownSinceSec}s` : '';
      const row: LagRow = {
        kind: 'none',
        id,
        token: r ? 'status.error' : 'status.muted',
        text:
          r?.role === 'replica' && named
            ? `⇐ ${named} ✗ link down${since}${cols >= 56 ? ' (master unreachable)' : ''}`
            : observed
              ? `${OBSERVED_SYMBOL[observedState(s, id).kind]} · no INFO: replication unknown`
              : `${PROCESS_SYMBOL[state]} · not replicating`,
      };
      (r ? live : dead).push(row);
      continue;
    }
    live.push({
      kind: 'lag',
      id,
      masterId: lag.masterId,
      link: lag.syncing ? '⟳ sync' : lag.linkUp ? '✓ up' : `✗ down${lag.linkDownSec ? ` ${lag.linkDownSec}s` : ''}`,
      linkUp: lag.linkUp,
      bytes: lagBytesText(lag.lagBytes),
      ack: ackText(lag.ackAgeSec),
      ackLate: lag.ackAgeSec !== undefined && lag.ackAgeSec > maxLagSec,
      spark: '',
      good: lag.isGood,
    });
  }
  const rows = [...live, ...dead];
  let columns = lagColumns(cols, rows);
  if (lagRowWidth(columns) > cols) {
    // Too narrow for everything (80 columns, a link down for minutes): the link says "✗ down" without how long
    // (the topology pane's row has it) rather than push the verdict off the row.
    for (const row of rows) if (row.kind === 'lag') row.link = row.link.replace(/^(\u2717 down) \d+s$/, '$1');
    columns = lagColumns(cols, rows);
  }
  // The sparkline's width depends on the other columns, so it is drawn once they are known.
  const sparkWidth = Math.max(0, columns.spark - 1);
  for (const row of rows) {
    if (row.kind === 'lag' && sparkWidth)
      row.spark = sparkline(s.lagHistory[row.id] ?? [], sparkWidth, SPARK_FLOOR_BYTES);
  }
  return {
    rows,
    columns,
    elsewhere: others.filter((m) => elsewhere.has(m)).map((m) => ({ masterId: m, replicas: elsewhere.get(m) ?? [] })),
  };
}

/** "redis-2 replicates from redis-1, the other master" for the replicas a split hides from the table. */
export function elsewhereText(e: LagTable['elsewhere'][number]): string {
  const verb = e.replicas.length === 1 ? 'replicates' : 'replicate';
  return `${listing(e.replicas)} ${verb} from ${e.masterId}, the other master`;
}

/**
 * During a split: which nodes claim master and which one the rows belong to, in as few lines as fit the pane (one,
 * two, two in short words), else wrapped; never cut.
 */
export function splitNote(focus: ReplicationFocus, cols: number): string[] {
  if (!focus.split) return [];
  const forms = [
    [`⚠ ${focus.split}; ${focus.showing}`],
    [`⚠ ${focus.split}`, `  ${focus.showing}`],
    [`⚠ ${focus.split}`, `  ${focus.showingShort}`],
  ];
  const fits = forms.find((f) => f.every((l) => stringWidth(l) <= cols));
  if (fits) return fits;
  return wrapSpans([{ text: `${focus.split}; ${focus.showingShort}`, style: 'plain' }], cols, {
    first: [{ text: '⚠ ', style: 'plain' }],
    rest: [{ text: '  ', style: 'plain' }],
  }).map(lineText);
}

export const LagPane = memo(function LagPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const cols = innerCols(width);
  const rowsAvail = innerRows(height);
  const guard = useLabView((s) => writeGuard(s, selectLags(s)));
  const observed = observesOnly(useController().unavailable);
  // The master the selector names; while two nodes claim master, which one is shown and why (one line).
  const focus = useLabView(replicationFocus);
  const {
    rows: replicaRows,
    columns: col,
    elsewhere,
  } = useLabThrottled(
    (s) => lagTable(s, cols, guard.maxLagSec, focus.masterId, focus.others, observed),
    LAG_REFRESH_MS,
  );

  const guardText =
    guard.toWrite > 0
      ? `min-replicas-to-write ${guard.toWrite} · max-lag ${guard.maxLagSec}s`
      : `min-replicas-to-write 0 (guard off) · max-lag ${guard.maxLagSec}s`;
  // No verdict on writes without a master (the selector names only a node the lab reaches that reports role
  // master): "writes accepted" would be false for a killed master.
  const noMaster = guard.masterId === undefined;
  const goodText = noMaster
    ? 'no master → nowhere to write'
    : guard.toWrite > 0
      ? `good ${guard.good}/${guard.toWrite}${cols >= 48 ? ' needed' : ''} → ${guard.refusing ? 'writes refused (NOREPLICAS)' : 'writes accepted'}`
      : `good ${guard.good}/${guard.replicas} → writes accepted`;
  const splitLines = splitNote(focus, cols);
  const notes = splitLines.length + elsewhere.length;
  const tight = rowsAvail < replicaRows.length + 2 + notes;
  const rows: ReactNode[] = splitLines.map((l) => (
    <Text key={l} wrap="truncate-end" {...theme.style('status.error')}>
      {l}
    </Text>
  ));
  rows.push(
    ...(tight
      ? [
          <Text
            key="good"
            wrap="truncate-end"
            {...theme.style(guard.refusing || noMaster ? 'status.error' : 'status.ok')}
          >
            {guard.refusing || noMaster ? '✗ ' : '✓ '}
            {goodText}
            <Text {...theme.style('status.muted')}>
              {/* The setting the verdict depends on, in as few characters as it takes. */}
              {guard.toWrite > 0 ? ` (max-lag ${guard.maxLagSec}s)` : ' (guard off)'}
            </Text>
          </Text>,
        ]
      : [
          <Text key="guard" wrap="truncate-end">
            <Text {...theme.style('status.muted')}>{guardText}</Text>
          </Text>,
          <Text
            key="good"
            wrap="truncate-end"
            {...theme.style(guard.refusing || noMaster ? 'status.error' : 'status.ok')}
          >
            {guard.refusing || noMaster ? '✗ ' : '✓ '}
            {goodText}
          </Text>,
        ]),
  );
  for (const row of replicaRows) {
    if (row.kind === 'none') {
      rows.push(
        <Text key={row.id} wrap="truncate-end" {...theme.style(row.token)}>
          {pad(row.id, col.id)}
          {row.text}
        </Text>,
      );
      continue;
    }
    rows.push(
      <Text key={row.id} wrap="truncate-end">
        <Text {...theme.style('role.replica')}>{pad(row.id, col.id)}</Text>
        {col.master ? <Text {...theme.style('status.muted')}>{pad(`⇐${row.masterId}`, col.master)}</Text> : null}
        <Text {...theme.style(row.linkUp ? 'status.ok' : 'status.error')}>{pad(row.link, col.link)}</Text>
        <Text>{pad(row.bytes, col.bytes)}</Text>
        <Text {...theme.style(row.ackLate ? 'status.error' : 'status.muted')}>{pad(row.ack, col.ack)}</Text>
        {col.spark ? <Text {...theme.style('status.info')}>{pad(row.spark, col.spark)}</Text> : null}
        <Text {...theme.style(row.good ? 'status.ok' : 'status.warn')}>{row.good ? VERDICT.good : VERDICT.bad}</Text>
      </Text>,
    );
  }
  // Last, so they are the lines a short pane drops first.
  for (const e of elsewhere) {
    rows.push(
      <Text key={`elsewhere-${e.masterId}`} wrap="truncate-end" {...theme.style('status.warn')}>
        {elsewhereText(e)}
      </Text>,
    );
  }
  const title = guard.masterId ? `Replication · master ${guard.masterId}` : 'Replication · no master';
  return (
    <Pane width={width} height={height} focused={focused} title={title} tabs={tabs}>
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, rowsAvail)}
      </Box>
    </Pane>
  );
});
