// Renders docs/json.md's field tables from the zod schemas in json-schemas.ts, so the documentation and the shapes
// cannot drift: `npm run docs:json` writes them between the markers, and a test fails when the file differs.
import { JSON_RECORDS } from './json-schemas.js';

export const BEGIN = '<!-- generated from src/commands/json-schemas.ts: npm run docs:json -->';
export const END = '<!-- end of generated tables -->';

interface Def {
  type: string;
  innerType?: unknown;
  element?: unknown;
  shape?: Record<string, unknown>;
  options?: unknown[];
  entries?: Record<string, string>;
  values?: unknown[];
  valueType?: unknown;
}

interface Schema {
  _zod: { def: Def };
  description?: string;
}

const asSchema = (s: unknown) => s as Schema;

export interface FieldRow {
  path: string;
  type: string;
  description: string;
}

function unwrap(s: Schema): { s: Schema; optional: boolean; nullable: boolean } {
  let cur = s;
  let optional = false;
  let nullable = false;
  for (;;) {
    const d = cur._zod.def;
    if (d.type === 'optional' && d.innerType) {
      optional = true;
      cur = asSchema(d.innerType);
    } else if (d.type === 'nullable' && d.innerType) {
      nullable = true;
      cur = asSchema(d.innerType);
    } else return { s: cur, optional, nullable };
  }
}

function typeName(s: Schema): string {
  const d = s._zod.def;
  switch (d.type) {
    case 'literal':
      return (d.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
    case 'enum':
      return Object.values(d.entries ?? {})
        .map((v) => `"${v}"`)
        .join(' | ');
    case 'array':
      return `array of ${typeName(unwrap(asSchema(d.element)).s)}`;
    case 'record':
      return `object of ${typeName(unwrap(asSchema(d.valueType)).s)}`;
    case 'union':
      return 'one of the shapes below';
    default:
      return d.type;
  }
}

/** Flattens an object schema into rows: nested objects as `a.b`, arrays of objects as `a[].b`. */
export function fieldRows(schema: unknown, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const shape = asSchema(schema)._zod.def.shape ?? {};
  for (const [name, raw] of Object.entries(shape)) {
    const outer = asSchema(raw);
    const { s, optional, nullable } = unwrap(outer);
    const path = `${prefix}${name}`;
    const d = s._zod.def;
    const type = `${typeName(s)}${nullable ? ' or null' : ''}${optional ? ' (optional)' : ''}`;
    const description = outer.description ?? s.description ?? '';
    rows.push({ path, type, description });
    if (d.type === 'object' && d.shape) rows.push(...fieldRows(s, `${path}.`));
    if (d.type === 'array') {
      const el = unwrap(asSchema(d.element)).s;
      if (el._zod.def.type === 'object') rows.push(...fieldRows(el, `${path}[].`));
    }
    if (d.type === 'record') {
      const v = unwrap(asSchema(d.valueType)).s;
      if (v._zod.def.type === 'object') rows.push(...fieldRows(v, `${path}.<id>.`));
    }
  }
  return rows;
}

function table(rows: readonly FieldRow[]): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| field | type | meaning |',
    '|---|---|---|',
    ...rows.map((r) => `| \`${r.path}\` | ${esc(r.type)} | ${esc(r.description)} |`),
  ].join('\n');
}

/** The generated part of docs/json.md. */
export function renderJsonTables(): string {
  const parts: string[] = [BEGIN];
  for (const [name, schema] of Object.entries(JSON_RECORDS)) {
    const s = asSchema(schema);
    parts.push(`### ${name}`, '', s.description ?? '', '');
    if (s._zod.def.type === 'union') {
      for (const option of s._zod.def.options ?? []) {
        const o = asSchema(option);
        parts.push(`**${o.description ?? ''}**`, '', table(fieldRows(o)), '');
      }
    } else {
      parts.push(table(fieldRows(s)), '');
    }
  }
  parts.push(END);
  return parts.join('\n');
}

/** Replaces the generated part of `doc` (between the markers) with the current tables. */
export function withTables(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < 0) throw new Error('docs/json.md lacks the generated-table markers');
  return `${doc.slice(0, a)}${renderJsonTables()}${doc.slice(b + END.length)}`;
}
