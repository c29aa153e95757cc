// The version every headless command's JSON carries, apart from its zod schemas (json-schemas.ts) so that a command
// printing JSON does not build every schema at start-up (README "Performance").

/** Bumped only when a field changes meaning, type or name (never for additions). */
export const SCHEMA_VERSION = 1;
