// Credentials for a deployment the lab did not start: read from environment variables the person names, or typed at a
// prompt that does not echo. They live in memory only, inside the remote deployment's command path and gateway: the
// lab never prints, logs, exports or writes them (the topology it shows has no password at all).
import { UserError } from '../../errors.js';

export interface Credentials {
  /** ACL user (`AUTH <user> <password>`); absent: the default user. */
  username?: string;
  password?: string;
}

export interface DeploymentCredentials {
  /** For the data nodes (masters and replicas). */
  data: Credentials;
  /** For the Sentinels themselves (`requirepass` in sentinel.conf), which may differ. */
  sentinel: Credentials;
}

/** The environment variable names the command line gives; the values are looked up here, never echoed. */
export interface CredentialSources {
  passwordEnv?: string;
  user?: string;
  sentinelPasswordEnv?: string;
  sentinelUser?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fromEnv(flag: string, name: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (name === undefined) return undefined;
  if (!ENV_NAME.test(name)) {
    throw new UserError(`${flag} takes the NAME of an environment variable, not a password`, {
      hint: `For example: export REDIS_PASSWORD=…  then  ${flag} REDIS_PASSWORD`,
      exitCode: 2,
    });
  }
  const v = env[name];
  if (v === undefined || v === '') {
    throw new UserError(`${flag} ${name}: the environment variable ${name} is not set (or empty)`, {
      hint: `Set it first (export ${name}=…), or leave ${flag} out to be asked for the password.`,
      exitCode: 2,
    });
  }
  return v;
}

/** Builds the credentials from the flags; unknown or empty variables are usage errors naming the variable only. */
export function credentialsFrom(src: CredentialSources, env: NodeJS.ProcessEnv = process.env): DeploymentCredentials {
  const data: Credentials = {};
  const sentinel: Credentials = {};
  const pw = fromEnv('--password-env', src.passwordEnv, env);
  if (pw !== undefined) data.password = pw;
  if (src.user !== undefined) data.username = src.user;
  const spw = fromEnv('--sentinel-password-env', src.sentinelPasswordEnv, env);
  if (spw !== undefined) sentinel.password = spw;
  if (src.sentinelUser !== undefined) sentinel.username = src.sentinelUser;
  return { data, sentinel };
}

/**
 * Asks for a password on the terminal without echoing it. Resolves undefined when there is no terminal (the caller
 * then explains which flag to use).
 */
export async function promptPassword(
  question: string,
  io: { input: NodeJS.ReadStream; output: NodeJS.WriteStream } = { input: process.stdin, output: process.stderr },
): Promise<string | undefined> {
  const { input, output } = io;
  if (!input.isTTY || typeof input.setRawMode !== 'function') return undefined;
  output.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    const finish = (value: string | undefined, err?: Error) => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(typed);
        if (ch === '\u0003') return finish(undefined, new UserError('Interrupted at the password prompt.'));
        if (ch === '\u0004') return finish(typed);
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}
