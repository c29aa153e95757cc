// Fabric.close() leaves nothing behind: a child process drives connections into every state (fast, held,
// delayed, throttled, refused upstream), closes, and must exit on its own without printing anything.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Fabric } from '../../../src/cluster/fabric/proxy.js';
import { startEchoServer, TestClient, waitFor } from '../../helpers/echo-server.js';

const CHILD_FLAG = 'FABRIC_CLOSE_CHILD';

async function scenario(): Promise<void> {
  const hosts = [1, 2, 3].map((n) => ({ id: `host-${n}`, ip: `127.0.1.${n}` }));
  const fabric = new Fabric({ hosts });
  const echo = await startEchoServer('127.0.1.2');
  const listen = (nodeId: string, targetPort: number) =>
    fabric.listen({ nodeId, host: 'host-2', listenIp: '127.0.2.2', listenPort: 0, targetIp: '127.0.1.2', targetPort });
  const { port } = await listen('node-2', echo.port);
  const { port: deadPort } = await listen('dead', 1);

  const fast = await TestClient.open('127.0.2.2', port, '127.0.1.3');
  fast.write('hi');
  await fast.waitForBytes(2);
  const existing = await TestClient.open('127.0.2.2', port, '127.0.1.1');
  fabric.apply({ kind: 'latency', from: 'host-3', to: 'host-2', latencyMs: 5000, jitterMs: 0, bothWays: false });
  fabric.apply({ kind: 'bandwidth', from: 'host-2', to: 'host-3', bytesPerSec: 1000, bothWays: false });
  fast.write('delayed');
  fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' });
  existing.write('held');
  const pending = await TestClient.open('127.0.2.2', port, '127.0.1.1');
  pending.write('pending');
  const refused = await TestClient.open('127.0.2.2', deadPort, '127.0.1.3');
  await refused.waitForClose();
  await waitFor(() => fabric.connections().filter((c) => c.held).length === 2, { what: 'two held connections' });

  await fabric.close();
  await fabric.close();
  const after = await TestClient.open('127.0.2.2', port);
  assert.equal(after.error?.code, 'ECONNREFUSED');
  await waitFor(() => [fast, existing, pending].every((c) => c.closed), { what: 'clients to see the close' });
  assert.deepEqual(fabric.connections(), []);
  await echo.close();
}

if (process.env[CHILD_FLAG]) {
  await scenario();
} else {
  test('close() releases every listener, socket and timer: the process exits by itself, silently', async () => {
    const self = fileURLToPath(import.meta.url);
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', self],
          { env: { ...process.env, [CHILD_FLAG]: '1' }, timeout: 15_000 },
          (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
        );
      },
    );
    assert.equal(stderr, '');
    assert.equal(stdout, '');
    assert.equal(code, 0);
    // The 5 s latency timer must not have kept the child alive.
    assert.ok(performance.now() - started < 4500, `child took ${Math.round(performance.now() - started)} ms`);
  });
}
