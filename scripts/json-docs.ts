// `npm run docs:json`: regenerates docs/json.md's field tables from src/commands/json-schemas.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { withTables } from '../src/commands/json-docs.js';

const path = new URL('../docs/json.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withTables(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(after === before ? 'docs/json.md is up to date\n' : 'docs/json.md regenerated\n');
