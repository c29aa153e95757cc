// RSS growth during a soak with a workload: runs `scripts/soak.ts --json` in its own process for N minutes and
// reads the RSS it records after every round. Growth is judged after a warm-up (the first 5 minutes, or the first
// quarter of a shorter soak), against the RSS at the end of the warm-up: the issue's "flat: <= 10 MB growth
// after the first 5 minutes".
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SoakRss {
  minutes: number;
  warmupMs: number;
  /** RSS at the end of the warm-up (the baseline) and at the end, in MB. */
  baselineMb: number;
  endMb: number;
  growthMb: number;
  mbPerMin: number;
  rounds: number;
  /** The soak's own verdict (every round converged, ledger consistent, no leaks). */
  soakOk: boolean;
}

const SOAK = fileURLToPath(new URL('../soak.ts', import.meta.url));

interface RoundLine {
  type: 'round';
  startedAt: number;
  rssBytes: number;
}

export async function benchSoakRss(o: { minutes: number; log?: (s: string) => void }): Promise<SoakRss> {
  const child = spawn(process.execPath, ['--import', 'tsx', SOAK, '--minutes', String(o.minutes), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rounds: RoundLine[] = [];
  let soakOk = false;
  let t0: number | undefined;
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
      try {
        const rec = JSON.parse(line) as { type: string; ok?: boolean };
        if (rec.type === 'start') t0 = Date.now();
        if (rec.type === 'round') {
          rounds.push(rec as RoundLine);
          const r = rec as RoundLine;
          o.log?.(`  soak round ${rounds.length}: rss ${(r.rssBytes / 1048576).toFixed(1)} MB`);
        }
        if (rec.type === 'summary') soakOk = rec.ok === true;
      } catch {
        // not a record
      }
    }
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-2000);
  });
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (rounds.length < 2) throw new Error(`the soak recorded ${rounds.length} round(s): ${err.trim().slice(-400)}`);
  const start = t0 ?? rounds[0]?.startedAt ?? 0;
  const warmupMs = Math.min(5 * 60_000, (o.minutes * 60_000) / 4);
  const after = rounds.filter((r) => r.startedAt - start >= warmupMs);
  const base = after[0] ?? rounds[Math.floor(rounds.length / 2)];
  const last = rounds[rounds.length - 1];
  if (!base || !last) throw new Error('no soak samples');
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  const minutes = Math.max(1e-9, (last.startedAt - base.startedAt) / 60_000);
  return {
    minutes: o.minutes,
    warmupMs,
    baselineMb: mb(base.rssBytes),
    endMb: mb(last.rssBytes),
    growthMb: mb(last.rssBytes - base.rssBytes),
    mbPerMin: Math.round(((last.rssBytes - base.rssBytes) / 1048576 / minutes) * 100) / 100,
    rounds: rounds.length,
    soakOk,
  };
}
