// Pure: a diagnosis as `inspect` prints it — human text grouped by severity, or one JSON document (docs/json.md).
import { type Facts, namedMaster, nodeAtEndpoint, sameEndpoint } from './facts.js';
import { type Finding, SEVERITIES, type Severity, unhealthy } from './findings.js';
import { endpointText } from './snapshot.js';

/** Bumped when a field changes meaning or goes away (adding fields does not bump it). */
export const INSPECT_SCHEMA_VERSION = 1;

const HEADING: Record<Severity, string> = { critical: '✗ CRITICAL', warning: '⚠ WARNING', info: 'ℹ INFO' };

/** Strips control characters from text that came from the network (master names, error texts). */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function versions(f: Facts): string {
  const seen = new Set<string>();
  for (const s of [...f.sentinels.map((x) => x.server), ...f.nodes.map((x) => x.server)]) {
    if (s?.version) seen.add(`${s.name === 'valkey' ? 'Valkey' : 'Redis'} ${s.version}`);
  }
  return [...seen].sort().join(', ') || 'version unknown';
}

/** The deployment in a few lines: Sentinels, and per master its nodes and settings. */
export function summaryLines(f: Facts): string[] {
  const answering = f.sentinels.filter((s) => s.reachable).length;
  const lines = [
    `Sentinels: ${answering} of ${f.sentinels.length} answer (${f.sentinels.map((s) => `${s.id} ${endpointText(s.endpoint)}${s.reachable ? '' : ' ✗'}`).join(', ')})`,
  ];
  for (const m of f.masters) {
    const named = namedMaster(f, m.name);
    const view = f.sentinels.map((s) => s.views[m.name]?.master).find((x) => x !== undefined);
    lines.push(
      `${printable(m.name)}: ${m.nodes.length} data node${m.nodes.length === 1 ? '' : 's'}, quorum ${view?.quorum ?? '?'}, down-after-milliseconds ${view?.downAfterMs ?? '?'}, failover-timeout ${view?.failoverTimeoutMs ?? '?'}`,
    );
    for (const n of m.nodes) {
      const fact = nodeAtEndpoint(f, n.endpoint);
      const r = fact?.replication;
      const role = !fact?.reachable
        ? `no answer (${printable(fact?.error ?? '?')})`
        : r?.role === 'replica'
          ? `replica of ${r.masterHost}:${r.masterPort}, link ${r.masterLinkStatus ?? '?'}`
          : (r?.role ?? '?');
      const isNamed = sameEndpoint(n.endpoint, named) ? '  ← the master the Sentinels name' : '';
      lines.push(`  ${n.id.padEnd(9)} ${endpointText(n.endpoint).padEnd(22)} ${role}${isNamed}`);
    }
  }
  lines.push(`Read in ${f.tookMs} ms (${versions(f)}).`);
  return lines;
}

export function formatFinding(x: Finding): string[] {
  const where = [x.master ? printable(x.master) : undefined, x.subject].filter(Boolean).join(' · ');
  const lines = [`  [${x.id}]${where ? ` ${where}` : ''}`, `  ${printable(x.title)}`];
  x.evidence.forEach((e, i) => {
    lines.push(`    ${i === 0 ? 'seen: ' : '      '}${e.where}: ${printable(e.saw)}`);
  });
  x.fix.forEach((l, i) => {
    lines.push(`    ${i === 0 ? 'fix:  ' : '      '}${l}`);
  });
  lines.push(`    learn: redis-sentinel-lab --lesson ${x.lesson}`);
  return lines;
}

/** The human report: the deployment, then the findings grouped by severity, then the verdict. */
export function formatReport(f: Facts, findings: readonly Finding[]): string {
  const lines = summaryLines(f);
  lines.push('');
  if (findings.length === 0) {
    lines.push('Healthy: no findings.');
    return `${lines.join('\n')}\n`;
  }
  for (const sev of SEVERITIES) {
    const group = findings.filter((x) => x.severity === sev);
    if (!group.length) continue;
    lines.push(`${HEADING[sev]} (${group.length})`);
    for (const x of group) lines.push(...formatFinding(x), '');
  }
  const counts = SEVERITIES.map((s) => [s, findings.filter((x) => x.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  lines.push(
    unhealthy(findings)
      ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts}).`
      : `Healthy, with ${counts} hint${findings.length === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The `inspect --json` document (docs/json.md, "inspect --json"). */
export function reportJson(f: Facts, findings: readonly Finding[]) {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((x) => x.severity === s).length]));
  return {
    schemaVersion: INSPECT_SCHEMA_VERSION,
    type: 'inspect' as const,
    takenAt: new Date(f.takenAt).toISOString(),
    tookMs: f.tookMs,
    healthy: !unhealthy(findings),
    counts,
    deployment: {
      seeds: f.seeds.map(endpointText),
      sentinels: f.sentinels.map((s) => ({
        id: s.id,
        address: endpointText(s.endpoint),
        reachable: s.reachable,
        ...(s.error !== undefined ? { error: s.error } : {}),
        ...(s.server ? { server: s.server.name, version: s.server.version } : {}),
        monitors: s.monitors,
        tilt: s.tilt ?? false,
      })),
      masters: f.masters.map((m) => {
        const named = namedMaster(f, m.name);
        const view = f.sentinels.map((s) => s.views[m.name]?.master).find((x) => x !== undefined);
        return {
          name: m.name,
          address: named ? endpointText(named) : null,
          quorum: view?.quorum ?? null,
          downAfterMs: view?.downAfterMs ?? null,
          failoverTimeoutMs: view?.failoverTimeoutMs ?? null,
          sentinels: m.sentinels,
          nodes: m.nodes.map((n) => {
            const fact = nodeAtEndpoint(f, n.endpoint);
            const r = fact?.replication;
            return {
              id: n.id,
              address: endpointText(n.endpoint),
              reachable: fact?.reachable ?? false,
              role: r?.role ?? null,
              ...(r?.role === 'replica' ? { linkStatus: r.masterLinkStatus ?? null } : {}),
              ...(fact?.server ? { server: fact.server.name, version: fact.server.version } : {}),
            };
          }),
        };
      }),
    },
    findings: findings.map((x) => ({
      id: x.id,
      severity: x.severity,
      master: x.master ?? null,
      subject: x.subject ?? null,
      title: x.title,
      evidence: x.evidence,
      fix: x.fix,
      lesson: x.lesson,
    })),
  };
}
