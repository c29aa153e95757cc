// docs/json.md and the schemas agree: its field tables are exactly what the schemas generate (`npm run docs:json`),
// and every record the docs name has a schema with a version field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fieldRows, renderJsonTables, withTables } from '../../src/commands/json-docs.js';
import { JSON_RECORDS, SCHEMA_VERSION } from '../../src/commands/json-schemas.js';

const doc = readFileSync(new URL('../../docs/json.md', import.meta.url), 'utf8');

describe('docs/json.md', () => {
  it('holds exactly the tables the schemas generate', () => {
    assert.equal(withTables(doc), doc, 'docs/json.md is stale: run `npm run docs:json`');
    assert.ok(doc.includes(renderJsonTables()));
  });

  it('documents every field of every record, each record versioned', () => {
    for (const [name, schema] of Object.entries(JSON_RECORDS)) {
      assert.ok(doc.includes(`### ${name}`), `${name} is documented`);
      if (name.startsWith('shared:')) continue;
      const rows = fieldRows(schema);
      assert.ok(
        rows.some((r) => r.path === 'schemaVersion'),
        `${name} carries schemaVersion`,
      );
      for (const r of rows) assert.ok(doc.includes(`| \`${r.path}\` |`), `${name}: ${r.path} is documented`);
    }
    assert.equal(SCHEMA_VERSION, 1);
  });
});
