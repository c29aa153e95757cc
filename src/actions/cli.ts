// The catalog's command-line form: `redis-sentinel-lab do <kind> [positional…] [--field value…]` becomes the same
// LabAction a key or a lesson entry is, validated by the kind's own schema. Positional arguments follow the
// definition's `cli.args` (default: the schema's fields in order); every field may also be given as `--field value`
// (or `--field-name value`). Words become what the field's type wants: numbers (`100ms`, `2s` and `1.5s` for
// millisecond fields), booleans (`true`/`false`, `yes`/`no`, `on`/`off`), lists (`host-1,host-2`). Pure.
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { endpointRef } from '../tokens.js';
import { ACTION_KINDS, type ActionKind, actionDef, type LabAction } from './catalog.js';

/** What a schema field expects, as far as turning a word into it is concerned. */
type FieldShape = 'string' | 'number' | 'boolean' | 'list' | 'groups' | 'other';

interface Field {
  name: string;
  shape: FieldShape;
  optional: boolean;
  /** Allowed words (enum or literal fields). */
  choices?: readonly string[];
  /** Names a fault endpoint (tokens.ts endpointRef): a lab host, or `outside`. */
  endpoint?: boolean;
}

interface ZodDefLike {
  type: string;
  innerType?: { _zod: { def: ZodDefLike } };
  element?: { _zod: { def: ZodDefLike } };
  entries?: Record<string, string>;
  values?: readonly unknown[];
}

function defOf(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } })?._zod?.def;
}

function fieldOf(name: string, schema: unknown): Field {
  let inner = schema;
  let def = defOf(inner);
  let optional = false;
  while (def && (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
    optional = true;
    inner = def.innerType;
    def = def.innerType._zod.def;
  }
  if (!def) return { name, shape: 'other', optional };
  switch (def.type) {
    case 'string':
      return { name, shape: 'string', optional, endpoint: inner === endpointRef };
    case 'number':
    case 'int':
      return { name, shape: 'number', optional };
    case 'boolean':
      return { name, shape: 'boolean', optional };
    case 'enum':
      return { name, shape: 'string', optional, choices: Object.values(def.entries ?? {}) };
    case 'literal':
      return { name, shape: 'string', optional, choices: (def.values ?? []).map(String) };
    case 'array': {
      const element = def.element?._zod.def;
      const groups = element?.type === 'array';
      const endpoint = (groups ? element.element : def.element) === endpointRef;
      return { name, shape: groups ? 'groups' : 'list', optional, endpoint };
    }
    default:
      return { name, shape: 'other', optional };
  }
}

/** The fields of a kind's schema (its `kind` aside), in schema order. */
export function actionFields(kind: ActionKind): Field[] {
  const shape = (actionDef(kind).schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  return Object.entries(shape)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]) => fieldOf(k, v));
}

/** `do latency <from> <to> <latencyMs> [jitterMs] [--both-ways false]`: the usage line of one kind. */
export function actionUsage(kind: ActionKind): string {
  const def = actionDef(kind);
  const fields = actionFields(kind);
  const positional = def.cli?.args ?? fields.map((f) => f.name);
  const parts = positional.map((name) => {
    const f = fields.find((x) => x.name === name);
    const label = f?.choices && f.choices.length <= 4 ? f.choices.join('|') : name;
    const shown = f?.shape === 'groups' ? `${label}…` : label;
    return f?.optional || def.cli?.bare ? `[${shown}]` : `<${shown}>`;
  });
  const options = fields.filter((f) => !positional.includes(f.name)).map((f) => `[--${kebab(f.name)} <value>]`);
  return [`do ${kind}`, ...parts, ...options].join(' ') + usageNote(fields);
}

/**
 * What the words of a fault's hosts are, under its usage line (`do --help`, usage errors). `outside` is the fabric's
 * name for every caller whose address is no lab host's, such as redis-cli run in a terminal (cluster/fabric/plan.ts
 * OUTSIDE_HOST); a client through a host's gateway counts as that host.
 */
function usageNote(fields: readonly Field[]): string {
  const endpoints = fields.filter((f) => f.endpoint);
  if (endpoints.length === 0) return '';
  const outside = 'outside = any caller on no lab host, like redis-cli in your terminal';
  const groups = endpoints.some((f) => f.shape === 'groups');
  const names = endpoints.map((f) => f.name).join(', ');
  return groups
    ? `\n      (a group: hosts joined by commas, host-1,host-2; a host: host-N or ${outside})`
    : `\n      (${names}: host-N or ${outside})`;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const usageError = (message: string, kind?: ActionKind) =>
  new UserError(message, {
    exitCode: 2,
    hint: kind ? `usage: redis-sentinel-lab ${actionUsage(kind)}` : `actions: ${ACTION_KINDS.join(', ')}`,
  });

/**
 * `100`, `100ms`, `2s`, `1.5s`, `1m` for a millisecond field; plain numbers otherwise. A negative number is a number:
 * the schema's bounds then say how low it may go (`latencyMs must be at least 0 ms`).
 */
export function parseNumberWord(word: string, field: string): number {
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m)?$/.exec(word.trim());
  if (!m?.[1]) throw new Error(`${field}: "${word}" is not a number`);
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === undefined) return n;
  if (!/Ms$/.test(field)) throw new Error(`${field}: "${word}" has a unit, but ${field} is not a duration`);
  return unit === 'ms' ? n : unit === 's' ? Math.round(n * 1000) : Math.round(n * 60_000);
}

function parseBooleanWord(word: string, field: string): boolean {
  const w = word.toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(w)) return true;
  if (['false', 'no', 'off', '0'].includes(w)) return false;
  throw new Error(`${field}: "${word}" is not true or false`);
}

function wordValue(f: Field, word: string): unknown {
  switch (f.shape) {
    case 'number':
      return parseNumberWord(word, f.name);
    case 'boolean':
      return parseBooleanWord(word, f.name);
    case 'list':
      return word.split(',').filter(Boolean);
    case 'groups':
      return [word.split(',').filter(Boolean)];
    default:
      return word;
  }
}

/**
 * Turns `do` arguments into a LabAction: unknown kinds, missing or extra arguments, unknown options and values the
 * schema refuses are usage errors (exit 2) that name the problem and show the kind's usage line.
 */
export function parseActionArgs(kindWord: string, words: readonly string[]): LabAction {
  if (!(ACTION_KINDS as readonly string[]).includes(kindWord)) {
    throw usageError(`unknown action "${kindWord}"`);
  }
  let kind = kindWord as ActionKind;
  const def = actionDef(kind);
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = camel(eq > 0 ? w.slice(2, eq) : w.slice(2));
      const value = eq > 0 ? w.slice(eq + 1) : words[++i];
      if (value === undefined) throw usageError(`--${kebab(name)} needs a value`, kind);
      named.set(name, value);
    } else {
      positional.push(w);
    }
  }
  if (positional.length === 0 && named.size === 0 && def.cli?.bare) {
    kind = def.cli.bare as ActionKind;
    return validate(kind, { kind });
  }
  const fields = actionFields(kind);
  const order = def.cli?.args ?? fields.map((f) => f.name);
  const action: Record<string, unknown> = { kind };
  try {
    let p = 0;
    for (const name of order) {
      const f = fields.find((x) => x.name === name);
      if (!f || p >= positional.length) break;
      if (f.shape === 'groups') {
        // The groups take every word left but the last ones that name a later field's choice: the usage line puts
        // them after the groups (`do partition host-1 host-2 reject`).
        let end = positional.length;
        for (const later of order.slice(order.indexOf(name) + 1).reverse()) {
          const word = positional[end - 1];
          const choices = fields.find((x) => x.name === later)?.choices;
          if (end - 1 > p && word !== undefined && choices?.includes(word)) {
            action[later] = word;
            end--;
          }
        }
        action[name] = positional.slice(p, end).map((g) => g.split(',').filter(Boolean));
        p = positional.length;
        break;
      }
      action[name] = wordValue(f, positional[p++] ?? '');
    }
    if (p < positional.length) {
      throw new Error(`too many arguments: ${positional.slice(p).join(' ')}`);
    }
    for (const [name, value] of named) {
      const f = fields.find((x) => x.name === name);
      if (!f) throw new Error(`unknown option --${kebab(name)}`);
      if (action[name] !== undefined) throw new Error(`${name} is given twice`);
      action[name] = wordValue(f, value);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw usageError(err instanceof Error ? err.message : String(err), kind);
  }
  return validate(kind, action);
}

/**
 * Where a problem is, in the words of the command line: a field by its name, an item of a list by its number and
 * its words (`group 3 (reject)`, not zod's `groups.2.0`). Also for the lab's own cross-check (commands/do.ts).
 */
export function argumentPlace(action: Readonly<Record<string, unknown>>, path: readonly PropertyKey[]): string {
  const [field, index] = path;
  const list = action[String(field)];
  if (typeof index === 'number' && Array.isArray(list)) {
    const item: unknown = list[index];
    const words = Array.isArray(item) ? item.join(',') : String(item);
    return `${String(field).replace(/s$/, '')} ${index + 1} (${words})`;
  }
  return path.map(String).join('.');
}

/** `place: message`, or the message alone when it already starts with the place (`key must not be empty`). */
export function placedProblem(place: string, message: string): string {
  if (!place) return message;
  return message.startsWith(`${place} `) ? message : `${place}: ${message}`;
}

function validate(kind: ActionKind, action: Record<string, unknown>): LabAction {
  const r = (actionDef(kind).schema as z.ZodType<LabAction>).safeParse(action);
  if (r.success) return r.data;
  // One problem per argument: an empty key breaks both "not empty" and the alphabet, and the first says it.
  const byPlace = new Map<string, string>();
  for (const i of r.error.issues) {
    const place = argumentPlace(action, i.path);
    // A missing required field reads better than zod's "expected string, received undefined".
    const missing = i.path.length === 1 && action[String(i.path[0])] === undefined;
    if (!byPlace.has(place)) byPlace.set(place, missing ? `${place}: missing` : placedProblem(place, i.message));
  }
  throw usageError([...byPlace.values()].join('; '), kind);
}
