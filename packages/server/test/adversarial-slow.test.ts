/**
 * Item 9 of the adversarial suite: 1,000 slow connections (half stuck in their headers, half in their body) are
 * closed by the header and request timeouts while the service keeps serving; and SIGTERM with 1,000 slow clients
 * connected exits 0 at once instead of waiting for them.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { jwt } from './helpers.js'
import { issue, spawnMain, writeMainConfig } from './main-process.js'
import { waitFor } from './redis-helper.js'

const SLOW = 1000

function writeConfig(server: Record<string, unknown>): string {
  return writeMainConfig({ server: { consoleDir: null, ...server }, auth: { jwt: { secretFile: 'jwt' } }, rateLimit: { perUser: '100000/1m', perIp: '100000/1m' } }).file
}

/** Opens `n` connections that each send part of a request and then nothing; counts the ones the server closed. */
async function slowClients(port: number, n: number) {
  // The body half carries a valid credential: an anonymous request is answered 401 before its body is read (and
  // 500 of those would be 500 failed credential checks from this address, which the guard rightly limits).
  const token = await jwt({}, { iss: 'x', aud: 'y' })
  const sockets: Socket[] = []
  const state = { closed: 0, answered408: 0 }
  for (let i = 0; i < n; i++) {
    const s = connect(port, '127.0.0.1')
    s.on('error', () => {})
    let got = ''
    s.on('data', (d) => { got += d })
    s.on('close', () => {
      state.closed++
      if (got.startsWith('HTTP/1.1 408')) state.answered408++
    })
    // Half never finish their headers; half send headers announcing 1,000 bytes of body and send 10.
    s.write(i % 2 === 0
      ? 'POST /v1/usersig HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
      : `POST /v1/usersig HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":"bbbb`)
    sockets.push(s)
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10))
  }
  return { sockets, state }
}

test('1,000 slow connections are closed by the header and request timeouts; the service keeps serving meanwhile', { timeout: 90_000 }, async () => {
  const child = await spawnMain(writeConfig({ headersTimeout: '2s', requestTimeout: '4s' }))
  const { sockets, state } = await slowClients(Number(new URL(child.url).port), SLOW)
  try {
    const r = await issue(child.url, { authorization: 'Bearer nope' })
    assert.ok('status' in r && r.status === 401, `answered while slow clients hang on: ${JSON.stringify(r)}`)
    await waitFor(() => state.closed === SLOW, 30_000, `all ${SLOW} slow connections to be closed (${state.closed} so far)`)
    assert.ok(state.answered408 >= SLOW / 2, `each got 408 REQUEST_TIMEOUT first (${state.answered408})`)
  } finally {
    for (const s of sockets) s.destroy()
    child.proc.kill('SIGTERM')
    await child.exited
  }
})

test('SIGTERM with 1,000 slow clients connected: exit code 0 without waiting for them', { timeout: 90_000 }, async () => {
  // Timeouts far beyond the shutdown timeout: only the shutdown itself can close these connections in time.
  const child = await spawnMain(writeConfig({ headersTimeout: '120s', requestTimeout: '300s', shutdownTimeout: '5s' }))
  const { sockets, state } = await slowClients(Number(new URL(child.url).port), SLOW)
  try {
    await new Promise((r) => setTimeout(r, 500))
    assert.equal(state.closed, 0, 'the slow clients are connected')
    child.proc.kill('SIGTERM')
    assert.equal(await child.exited, 0, 'clean exit')
    await waitFor(() => state.closed === SLOW, 10_000, 'the slow connections to be closed')
  } finally {
    for (const s of sockets) s.destroy()
  }
})
