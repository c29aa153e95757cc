// Credentials come from environment variables named on the command line or a prompt that does not echo; errors name
// the variable, never a value.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { credentialsFrom, promptPassword } from '../../../src/deployments/remote/credentials.js';
import { UserError } from '../../../src/errors.js';

describe('credentials', () => {
  it('reads the named variables, data and Sentinel apart', () => {
    const env = { DATA_PW: 'd-secret', SENT_PW: 's-secret' };
    assert.deepEqual(
      credentialsFrom(
        { passwordEnv: 'DATA_PW', user: 'app', sentinelPasswordEnv: 'SENT_PW', sentinelUser: 'mon' },
        env,
      ),
      { data: { password: 'd-secret', username: 'app' }, sentinel: { password: 's-secret', username: 'mon' } },
    );
    assert.deepEqual(credentialsFrom({}, env), { data: {}, sentinel: {} });
  });

  it('a missing or empty variable is a usage error naming it; a password given instead of a name is refused unechoed', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof UserError);
        return e;
      }
      assert.fail('expected an error');
    };
    const missing = err(() => credentialsFrom({ passwordEnv: 'NOPE' }, {}));
    assert.equal(missing.exitCode, 2);
    assert.match(missing.message, /NOPE is not set/);
    const empty = err(() => credentialsFrom({ sentinelPasswordEnv: 'EMPTY' }, { EMPTY: '' }));
    assert.match(empty.message, /--sentinel-password-env EMPTY/);
    const literal = err(() => credentialsFrom({ passwordEnv: 'hunter2!' }, {}));
    assert.doesNotMatch(`${literal.message} ${literal.hint}`, /hunter2/);
  });

  it('prompts without echoing what is typed, and not at all without a terminal', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: () => input });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => {
      shown += c.toString();
    });
    const answer = promptPassword('Password: ', {
      input: input as unknown as NodeJS.ReadStream,
      output: output as unknown as NodeJS.WriteStream,
    });
    input.write('s3cr');
    input.write('x\u007fet\r');
    assert.equal(await answer, 's3cret');
    assert.equal(shown, 'Password: \n');
    const noTty = Object.assign(new PassThrough(), { isTTY: false });
    assert.equal(
      await promptPassword('Password: ', {
        input: noTty as unknown as NodeJS.ReadStream,
        output: output as unknown as NodeJS.WriteStream,
      }),
      undefined,
    );
  });
});
