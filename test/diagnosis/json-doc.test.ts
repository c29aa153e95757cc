// docs/json.md's "inspect --json" section names every field of the schema the integration tests validate real output
// against, and every finding id.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { FINDING_IDS } from '../../src/diagnosis/findings.js';
import { InspectReportSchema } from '../../src/diagnosis/report-schema.js';

/** Every field name in a zod object schema, nested objects and arrays of objects included. */
function fieldNames(schema: z.ZodType, out = new Set<string>()): Set<string> {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodObject) {
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      out.add(k);
      fieldNames(v, out);
    }
  }
  return out;
}

describe('docs/json.md: inspect --json', () => {
  const doc = readFileSync(new URL('../../docs/json.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## inspect --json'), doc.indexOf('## watch --sentinel --json'));

  it('names every field of the schema', () => {
    // As a backticked name, or one segment of a backticked path (`deployment.masters[].nodes[]`).
    const named = (f: string) =>
      new RegExp(`\`(?:[\\w\\[\\]]+\\.)*${f}(?:\\[\\])?(?:\\.[\\w\\[\\]]+)*\``).test(section);
    const missing = [...fieldNames(InspectReportSchema)].filter((f) => !named(f));
    assert.deepEqual(missing, []);
  });

  it('lists every finding id', () => {
    assert.deepEqual(
      FINDING_IDS.filter((id) => !section.includes(`\`${id}\``)),
      [],
    );
  });
});
