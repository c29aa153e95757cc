// The chaos soak: the default cluster, client A writing through Sentinel, and one seeded fault per round — applied,
// held, undone — with checks after every round (lab alive, convergence within a bound, ledger counts consistent,
// resources flat). Always shuts the lab down, also on SIGINT/SIGTERM (a second signal kills at once).
import { actionLine, type LabAction } from '../actions/catalog.js';
import type { ServerBinary } from '../cluster/process/binaries.js';
import { isAlive } from '../cluster/process/proc.js';
import { nodeById, redisNodes, sentinelNodes } from '../cluster/topology.js';
import { Lab, type LocalLab } from '../engine/lab.js';
import { errorMessage } from '../errors.js';
import type { LedgerCounts } from '../ledger/types.js';
import { selectConverged, selectMastership } from '../state/selectors.js';
import type { LabState } from '../state/store.js';
import { type GrowthVerdict, growth, ledgerProblems, switchMasterGroups } from './checks.js';
import { FAULT_KINDS, type FaultKind, faultSchedule, planRound } from './schedule.js';

export interface SoakOptions {
  minutes: number;
  seed: number;
  binary: ServerBinary;
  basePort?: number;
  runRoot?: string;
  /** Client A's write rate (SADD/s). */
  ratePerSec?: number;
  /** How long the cluster may take to converge after a fault is undone. */
  convergeBoundMs?: number;
  /** Extra time allowed when a Sentinel was frozen this round or the last (it wakes up in TILT for 30 s). */
  tiltAllowanceMs?: number;
  /** Convergence must hold this long to count (a failover may still be under way when it first looks done). */
  settleMs?: number;
  /** Progress records (rounds, the summary), as they happen. */
  out?: (rec: SoakRecord) => void;
  /**
   * Installs the process's signal and exit handling for the lab (the command line passes commands/lifecycle's
   * guardLab); its first signal ends the soak early. Without it, the soak only stops when its time is up.
   */
  guard?: (lab: LocalLab) => { signalled: Promise<unknown>; dispose(): void };
}

export interface RoundRecord {
  type: 'round';
  round: number;
  kind: FaultKind;
  description: string;
  holdMs: number;
  startedAt: number;
  /** Outcome of each apply action. */
  applied: Array<{ ok: boolean; text: string }>;
  converged: boolean;
  /** From the end of the undo to the first instant of a convergence that then held for settleMs. */
  convergeMs?: number;
  convergeBoundMs: number;
  convergeDetail: string;
  labAlive: boolean;
  counts: LedgerCounts;
  rssBytes: number;
  handles: number;
  /** Every failed check of this round (empty: the round passed). */
  problems: string[];
}

export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SoakSummary {
  type: 'summary';
  ok: boolean;
  seed: number;
  minutes: number;
  interrupted: boolean;
  rounds: number;
  durationMs: number;
  basePort?: number;
  faultsByKind: Partial<Record<FaultKind, number>>;
  failovers: { timelines: number; switchMasterEvents: number; switchMasterGroups: number };
  writes: {
    invoked: number;
    ok: number;
    failed: number;
    unknown: number;
    acknowledged?: number;
    lost?: number;
    lossRate?: number;
    unexpected?: number;
    finalMaster?: string;
    error?: string;
  };
  convergence: { maxMs: number; meanMs: number; boundMs: number; failedRounds: number[] };
  memory: {
    rssStartMb: number;
    rssEndMb: number;
    handlesStart: number;
    handlesEnd: number;
    rss: GrowthVerdict;
    handles: GrowthVerdict;
    /** Active resources (by type) half a second after the lab shut down: stdio only, when nothing leaked. */
    afterShutdown: Record<string, number>;
  };
  checks: SoakCheck[];
}

export type SoakRecord =
  | { type: 'start'; seed: number; minutes: number; basePort: number; runDir: string; readyMs: number }
  | RoundRecord
  | { type: 'note'; text: string }
  | SoakSummary;

const MB = 1024 * 1024;
/** The workload keeps its whole history for the final check: growth by design, allowed per invoked write. */
const HISTORY_BYTES_PER_WRITE = 1024;

export async function runSoak(opts: SoakOptions): Promise<SoakSummary> {
  const out = opts.out ?? (() => {});
  const boundMs = opts.convergeBoundMs ?? 60_000;
  const tiltMs = opts.tiltAllowanceMs ?? 30_000;
  const settleMs = opts.settleMs ?? 2000;
  const t0 = Date.now();
  const lab = await Lab.create({ binary: opts.binary, basePort: opts.basePort, runRoot: opts.runRoot, flushMs: 50 });
  const guard = opts.guard?.(lab) ?? { signalled: new Promise<never>(() => {}), dispose: () => {} };
  const stop = new AbortController();
  void guard.signalled.then(() => stop.abort());
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stop.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stop.signal.removeEventListener('abort', done);
        resolve();
      }
      stop.signal.addEventListener('abort', done);
    });
  /** The store as of now (waitFor flushes the engine's batched updates first). */
  const fresh = async (): Promise<LabState> => {
    await lab.waitFor(() => true, 1000);
    return lab.store.getState();
  };

  const switchMasters: Array<{ at: number; payload: string }> = [];
  lab.emitter.on('sentinel-event', (e) => {
    if (e.channel === '+switch-master') switchMasters.push({ at: e.at, payload: e.payload });
  });

  const rounds: RoundRecord[] = [];
  const faultsByKind: Partial<Record<FaultKind, number>> = {};
  const checks: SoakCheck[] = [];
  let rssStart = 0;
  let handlesStart = 0;
  let summaryWrites: SoakSummary['writes'] = { invoked: 0, ok: 0, failed: 0, unknown: 0 };
  try {
    const { readyMs } = await lab.start({ timeoutMs: 60_000 });
    out({
      type: 'start',
      seed: opts.seed,
      minutes: opts.minutes,
      basePort: lab.deployment.ports.basePort,
      runDir: lab.deployment.runDir,
      readyMs,
    });
    const t = lab.topology;
    const started = await lab.perform({ kind: 'workload-start', client: 'A', ratePerSec: opts.ratePerSec ?? 100 });
    if (!started.ok) throw new Error(`the workload did not start: ${started.text}`);
    rssStart = process.memoryUsage().rss;
    handlesStart = process.getActiveResourcesInfo().length;

    const schedule = faultSchedule(opts.seed, {
      replicas: redisNodes(t).length - 1,
      sentinels: sentinelNodes(t).length,
    });
    const deadline = t0 + opts.minutes * 60_000;
    let prevCounts: LedgerCounts | undefined;
    let lastSentinelFreeze = -10;
    while (Date.now() < deadline && !stop.signal.aborted) {
      const fault = schedule.next();
      const state = await fresh();
      const master = currentMaster(state);
      const plan = planRound(t, master, fault);
      const startedAt = Date.now();
      const problems: string[] = [];
      faultsByKind[fault.kind] = (faultsByKind[fault.kind] ?? 0) + 1;
      if (fault.kind === 'sentinel-freeze') lastSentinelFreeze = fault.round;

      const applied: Array<{ ok: boolean; text: string }> = [];
      for (const a of plan.apply) {
        const r = await lab.perform(a);
        applied.push(r);
        // Sentinel may legitimately refuse a forced failover (one in progress, no replica good enough yet).
        if (!r.ok && !(a.kind === 'failover' && /INPROG|NOGOODSLAVE/.test(r.text))) {
          problems.push(`could not apply ${actionLine(a)}: ${r.text}`);
        }
      }
      await sleep(fault.holdMs);
      for (const a of plan.undo) {
        const r = await lab.perform(a);
        if (!r.ok) problems.push(`could not undo (${actionLine(a)}): ${r.text}`);
      }
      problems.push(...(await repair(lab, fresh)));

      // Convergence, measured from the end of the undo; it must then hold for settleMs.
      const bound = boundMs + (fault.round - lastSentinelFreeze <= 1 ? tiltMs : 0);
      const c0 = Date.now();
      let since: number | undefined;
      let converged = false;
      let detail = '';
      while (!stop.signal.aborted) {
        const s = await fresh();
        const c = selectConverged(s);
        detail = c.detail;
        const now = Date.now();
        if (c.ok) {
          since ??= now;
          if (now - since >= settleMs) {
            converged = true;
            break;
          }
        } else since = undefined;
        if (now - c0 > bound + settleMs) break;
        await sleep(100);
      }
      if (stop.signal.aborted) break;
      const convergeMs = converged && since !== undefined ? since - c0 : undefined;
      if (!converged) problems.push(`did not converge within ${bound} ms: ${detail}`);

      const after = await fresh();
      const alive = labAlive(lab, after);
      if (!alive.ok) problems.push(`lab not healthy: ${alive.detail}`);
      const counts = after.workload.counts;
      const lp = ledgerProblems(prevCounts, counts);
      problems.push(...lp.map((p) => `ledger: ${p}`));
      if (!after.workload.running) problems.push('the workload stopped by itself');
      prevCounts = { ...counts, errors: { ...counts.errors } };

      const rec: RoundRecord = {
        type: 'round',
        round: fault.round,
        kind: fault.kind,
        description: plan.description,
        holdMs: fault.holdMs,
        startedAt,
        applied,
        converged,
        ...(convergeMs === undefined ? {} : { convergeMs }),
        convergeBoundMs: bound,
        convergeDetail: detail,
        labAlive: alive.ok,
        counts: prevCounts,
        rssBytes: process.memoryUsage().rss,
        handles: process.getActiveResourcesInfo().length,
        problems,
      };
      rounds.push(rec);
      out(rec);
    }

    // The end: repair anything a signal interrupted, stop the workload, read the verdict.
    await repair(lab, fresh);
    const stopped = await lab.perform({ kind: 'workload-stop' });
    const end = await fresh();
    const v = end.workload.verdict;
    const c = end.workload.counts;
    summaryWrites = { invoked: c.invoked, ok: c.ok, failed: c.failed, unknown: c.unknown };
    if (v) {
      summaryWrites = {
        ...summaryWrites,
        acknowledged: v.acknowledged,
        lost: v.lost,
        lossRate: v.lossRate,
        unexpected: v.unexpected,
        finalMaster: v.finalMaster,
      };
    } else summaryWrites.error = end.workload.error ?? stopped.text;
    checks.push({
      name: 'final ledger verdict',
      ok: v !== undefined && v.unexpected === 0,
      detail: v
        ? `${v.acknowledged} acknowledged, ${v.lost} lost (${(v.lossRate * 100).toFixed(2)}%), ${v.unexpected} unexpected, final master ${v.finalMaster}`
        : `no verdict: ${summaryWrites.error}`,
    });
  } catch (err) {
    checks.push({ name: 'soak ran', ok: false, detail: errorMessage(err) });
  } finally {
    await lab.shutdown();
    guard.dispose();
  }
  // What still holds the event loop once the lab is down (evidence if the process does not exit by itself).
  await new Promise((r) => setTimeout(r, 500));
  const leftover = countBy(process.getActiveResourcesInfo());

  // Resources are sampled after each round's convergence; growth is judged on those samples.
  const rss = rounds.map((r) => r.rssBytes);
  const q = Math.max(1, Math.floor(rounds.length / 4));
  const writesGrowth =
    rounds.length >= 4
      ? (rounds[rounds.length - 1]?.counts.invoked ?? 0) - (rounds[q - 1]?.counts.invoked ?? 0)
      : (rounds[rounds.length - 1]?.counts.invoked ?? 0) - (rounds[0]?.counts.invoked ?? 0);
  const rssGrowth = growth(rss, {
    relative: 0.25,
    absolute: 48 * MB,
    allowance: Math.max(0, writesGrowth) * HISTORY_BYTES_PER_WRITE,
  });
  const handleGrowth = growth(
    rounds.map((r) => r.handles),
    { relative: 0.5, absolute: 20 },
  );
  const failedRounds = rounds.filter((r) => r.problems.length > 0);
  const convergeTimes = rounds.flatMap((r) => (r.convergeMs === undefined ? [] : [r.convergeMs]));
  checks.unshift(
    {
      name: 'every round passed',
      ok: rounds.length > 0 && failedRounds.length === 0,
      detail: rounds.length
        ? failedRounds.length
          ? failedRounds.map((r) => `round ${r.round} (${r.description}): ${r.problems.join('; ')}`).join(' | ')
          : `${rounds.length} rounds: lab alive, converged within the bound, ledger counts consistent`
        : 'no round ran',
    },
    { name: 'RSS does not grow', ok: rssGrowth.ok, detail: mb(rssGrowth) },
    { name: 'active handles do not grow', ok: handleGrowth.ok, detail: handleGrowth.detail },
  );
  const groups = switchMasterGroups(switchMasters);
  const last = rounds[rounds.length - 1];
  const summary: SoakSummary = {
    type: 'summary',
    ok: checks.every((c) => c.ok) && !stop.signal.aborted,
    seed: opts.seed,
    minutes: opts.minutes,
    interrupted: stop.signal.aborted,
    rounds: rounds.length,
    durationMs: Date.now() - t0,
    basePort: lab.deployment.ports.basePort,
    faultsByKind: Object.fromEntries(FAULT_KINDS.filter((k) => faultsByKind[k]).map((k) => [k, faultsByKind[k]])),
    failovers: {
      timelines: lab.store.getState().failovers.length,
      switchMasterEvents: switchMasters.length,
      switchMasterGroups: groups.length,
    },
    writes: summaryWrites,
    convergence: {
      maxMs: convergeTimes.length ? Math.max(...convergeTimes) : 0,
      meanMs: convergeTimes.length ? Math.round(convergeTimes.reduce((a, b) => a + b, 0) / convergeTimes.length) : 0,
      boundMs,
      failedRounds: rounds.filter((r) => !r.converged).map((r) => r.round),
    },
    memory: {
      rssStartMb: round1(rssStart / MB),
      rssEndMb: round1((last?.rssBytes ?? process.memoryUsage().rss) / MB),
      handlesStart,
      handlesEnd: last?.handles ?? process.getActiveResourcesInfo().length,
      rss: rssGrowth,
      handles: handleGrowth,
      afterShutdown: leftover,
    },
    checks,
  };
  out(summary);
  return summary;
}

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function mb(g: GrowthVerdict): string {
  const f = (v: number) => `${round1(v / MB)} MB`;
  return `${f(g.first)} -> ${f(g.last)} (limit ${f(g.limit)})`;
}

/** The master as the cluster sees it now (selectMastership), else what most Sentinels name, else the first node. */
function currentMaster(s: LabState): string {
  const m = selectMastership(s);
  const candidate = m.master ?? m.reference;
  const node = candidate === undefined ? undefined : nodeById(s.topology, candidate);
  return node?.kind === 'redis' ? node.id : (redisNodes(s.topology)[0]?.id ?? 'redis-1');
}

/** Undoes whatever is still broken: active network faults, frozen and stopped/exited nodes. Returns failures. */
async function repair(lab: LocalLab, fresh: () => Promise<LabState>): Promise<string[]> {
  const problems: string[] = [];
  const s = await fresh();
  const actions: LabAction[] = [];
  if (s.faults.length) actions.push({ kind: 'heal-all' });
  for (const p of Object.values(s.processes)) {
    if (p.state === 'frozen') actions.push({ kind: 'thaw', node: p.id });
    else if (p.state === 'exited' || p.state === 'stopped') actions.push({ kind: 'restart', node: p.id });
  }
  for (const a of actions) {
    const r = await lab.perform(a);
    if (!r.ok) problems.push(`repair (${actionLine(a)}) failed: ${r.text}`);
  }
  return problems;
}

/** The lab is up: phase ready and every node's process running (pid alive), as the lab itself reports it. */
function labAlive(lab: LocalLab, s: LabState): { ok: boolean; detail: string } {
  if (s.phase !== 'ready') return { ok: false, detail: `phase ${s.phase}` };
  const bad: string[] = [];
  for (const n of lab.topology.nodes) {
    const p = s.processes[n.id];
    const pid = lab.nodePid(n.id);
    if (p?.state !== 'running' || pid === undefined || !isAlive(pid)) bad.push(`${n.id} ${p?.state ?? 'unknown'}`);
  }
  return bad.length ? { ok: false, detail: bad.join(', ') } : { ok: true, detail: 'every node running' };
}
