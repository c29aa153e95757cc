// A Sentinel restarted without the Sentinels' password answers `AUTH <password>` with "AUTH <password> called without
// any password configured for the default user…" (a RESP3 HELLO with AUTH, as ioredis sends it, succeeds on it
// either way). The Sentinel probe sends that AUTH once a round to tell the two apart.

/** Sentinel's answer to AUTH when it has no password: sending one then changes nothing. */
const NO_PASSWORD_SET = /without any password configured|no password is set/i;

/** Whether a reply error only says the server has no password (so the AUTH was harmless). */
export function isNoPasswordReply(message: string): boolean {
  return NO_PASSWORD_SET.test(message);
}
