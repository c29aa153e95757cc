// Shapes of the strings a lesson may contain beyond the shared ones (src/tokens.ts, re-exported here): ids, channels,
// error prefixes, prose lines and Markdown paths. A file path is restricted to a safe relative form, so a lesson file
// can never reach outside its folder.
import { z } from 'zod';

export {
  COMMAND_TOKEN,
  CONFIG_TOKEN,
  commandToken,
  configToken,
  count,
  endpointRef,
  HOST_ID,
  hostRef,
  humanMs,
  MAX_MS,
  ms,
  NODE_ID,
  nodeRef,
  redisRef,
  sentinelRef,
} from '../tokens.js';

/** Lesson and step ids: lowercase words joined by single dashes. */
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Sentinel channels: `+sdown`, `-failover-abort-not-elected`. */
export const CHANNEL = /^[+-][a-z][a-z-]*$/;
/** The first word of a Redis error reply: `NOREPLICAS`, `READONLY`, `NOAUTH`. */
export const ERROR_PREFIX = /^[A-Z][A-Z_]{1,23}$/;
/** One relative path segment: starts with a letter, digit or underscore, so `.` and `..` can never be a segment. */
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export const slug = (what: string) =>
  z
    .string()
    .min(1, { error: `${what} must not be empty` })
    .max(40, { error: `${what} must be at most 40 characters` })
    .regex(SLUG, { error: `${what} must be lowercase words joined by dashes, like "stop-three"` });

/** One line of prose shown in the lesson pane (titles, hints): no control characters except in Markdown bodies. */
export const line = (what: string, max: number) =>
  z
    .string()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .regex(/^[^\n\r\t\u0000-\u001f]*$/, { error: `${what} must be a single line` });

/** Why a Markdown path is refused, or undefined when it is a safe relative `.md` path inside the lesson folder. */
export function markdownPathProblem(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p))
    return 'absolute paths are not allowed; use a path relative to the lesson folder';
  if (p.includes('\\')) return 'use forward slashes in paths';
  if (p.split('/').some((s) => s === '..'))
    return 'path traversal ("..") is not allowed; the file must be inside the lesson folder';
  if (!p.endsWith('.md')) return 'must name a Markdown file ending in .md';
  if (!p.split('/').every((s) => PATH_SEGMENT.test(s))) {
    return 'path segments may only contain letters, digits and . _ - and must not start with a dot';
  }
  return undefined;
}

export const markdownPath = z
  .string()
  .max(200, { error: 'path must be at most 200 characters' })
  .superRefine((p, ctx) => {
    const problem = markdownPathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
