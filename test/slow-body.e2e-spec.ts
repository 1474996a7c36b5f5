import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A client that sends its request body slowly is cut off (issue 16): the request must arrive
 * whole within REQUEST_TIMEOUT_MS, or the server answers 408 and closes the connection, before
 * any handler or token check runs.
 */
describe('a request body sent too slowly', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: '1000' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('is answered 408 and its connection closed, and nothing is written', async () => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      'POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{',
    );
    // A byte every 200 ms: each arrives well within any idle timeout, the whole never does.
    const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
    const started = Date.now();
    await closed;
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(15_000); // closed by the server, not by the test's own timeout
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Number((await t.dataSource.query('SELECT count(*) AS n FROM events'))[0].n)).toBe(0);
  }, 30_000);

  it('cuts off a client that trickles its headers as well', async () => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST /events HTTP/1.1\r\nHost: localhost\r\n');
    // A header line every 200 ms, never the blank line that ends them.
    let n = 0;
    const trickle = setInterval(() => socket.writable && socket.write(`X-Slow-${n++}: 1\r\n`), 200);
    const started = Date.now();
    await closed;
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});
