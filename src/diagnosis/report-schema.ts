// The `inspect --json` document as a zod schema: docs/json.md ("inspect --json") describes these fields, and the
// integration test validates real output against it, so the three cannot drift apart.
import { z } from 'zod';
import { FINDING_IDS, LESSON_IDS, SEVERITIES } from './findings.js';

const Severity = z.enum(SEVERITIES as [string, ...string[]]);

export const InspectFindingSchema = z.strictObject({
  id: z.enum(FINDING_IDS),
  severity: Severity,
  master: z.string().nullable(),
  subject: z.string().nullable(),
  title: z.string(),
  evidence: z.array(z.strictObject({ where: z.string(), saw: z.string() })),
  fix: z.array(z.string()),
  lesson: z.enum(LESSON_IDS),
});

export const InspectReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  type: z.literal('inspect'),
  takenAt: z.iso.datetime(),
  tookMs: z.number().int().nonnegative(),
  healthy: z.boolean(),
  counts: z.strictObject({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  deployment: z.strictObject({
    seeds: z.array(z.string()),
    sentinels: z.array(
      z.strictObject({
        id: z.string(),
        address: z.string(),
        reachable: z.boolean(),
        error: z.string().optional(),
        server: z.string().optional(),
        version: z.string().optional(),
        monitors: z.array(z.string()),
        tilt: z.boolean(),
      }),
    ),
    masters: z.array(
      z.strictObject({
        name: z.string(),
        address: z.string().nullable(),
        quorum: z.number().int().nullable(),
        downAfterMs: z.number().int().nullable(),
        failoverTimeoutMs: z.number().int().nullable(),
        sentinels: z.array(z.string()),
        nodes: z.array(
          z.strictObject({
            id: z.string(),
            address: z.string(),
            reachable: z.boolean(),
            role: z.enum(['master', 'replica']).nullable(),
            linkStatus: z.enum(['up', 'down']).nullable().optional(),
            server: z.string().optional(),
            version: z.string().optional(),
          }),
        ),
      }),
    ),
  }),
  findings: z.array(InspectFindingSchema),
});
