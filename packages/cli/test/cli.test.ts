/** The program as a whole: help and examples, usage errors, exit codes, error lines, colour, serve. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, SDKAPPID, SECRET, T0, assertNoSecretsInOutputs, expectExit, removeDir, run, runWithKey, tempDir } from './_helpers.ts'
import { prereq } from '../../../scripts/prereq.mjs'

const COMMANDS = ['gen', 'pmk', 'verify', 'decode', 'explain', 'keygen', 'scan', 'serve']
const { version } = createRequire(import.meta.url)('../package.json') as { version: string }
const dir = tempDir()
after(() => removeDir(dir))

describe('help and usage', () => {
  test('usersig --help lists every command and the exit codes', async () => {
    const r = await run(['--help'])
    expectExit(r, 0)
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'))
    assert.match(r.stdout, /Exit codes: 0 ok, 1 invalid token or findings, 2 usage error, 3 I\/O or config error, 70 internal error/)
  })

  for (const c of COMMANDS) {
    test(`usersig ${c} --help shows its flags and an example`, async () => {
      const r = await run([c, '--help'])
      expectExit(r, 0)
      assert.match(r.stdout, new RegExp(`Usage: usersig ${c}`))
      assert.match(r.stdout, /Examples?:\n  \$ usersig|Examples?:\n  \$ USERSIG_SECRET_KEY=/)
    })
  }

  test('--version', async () => {
    const r = await run(['--version'])
    expectExit(r, 0)
    assert.equal(r.stdout.trim(), version)
  })

  test('no command, an unknown command, an unknown option: exit 2', async () => {
    expectExit(await run([]), 2, /usersig: no command given — run "usersig --help"/)
    expectExit(await run(['sign']), 2, /unknown command 'sign'/)
    expectExit(await run(['decode', '--verbose']), 2, /usersig decode: unknown option '--verbose'.*usersig decode --help/)
    expectExit(await run(['gen', '--sdkappid']), 2, /argument missing/)
  })
})

describe('errors', () => {
  test('an internal error exits 70 with one line and no stack trace; USERSIG_DEBUG=1 shows the stack', async () => {
    // Simulate a bug: the first write to stdout throws.
    const preload = 'data:text/javascript,process.stdout.write=()=>{throw new TypeError("simulated bug")}'
    const r = await run(['keygen'], { nodeArgs: ['--import', preload] })
    expectExit(r, 70, /usersig keygen: internal error: simulated bug — please report it; USERSIG_DEBUG=1 shows the stack trace/)
    const d = await run(['keygen'], { nodeArgs: ['--import', preload], env: { USERSIG_DEBUG: '1' } })
    assert.equal(d.code, 70)
    assert.match(d.stderr, /TypeError: simulated bug\n\s+at /)
  })

  test('USERSIG_DEBUG=1 adds the stack to usage errors too, without changing the exit code', async () => {
    const r = await run(['decode', 'x', '--now', 'never'], { env: { USERSIG_DEBUG: '1' } })
    assert.equal(r.code, 2)
    assert.match(r.stderr, /\n\s+at /)
  })

  test('a closed stdout pipe is not an error', () => {
    const r = spawnSync('sh', ['-c', `node ${JSON.stringify(BIN)} decode --batch < ${JSON.stringify(join(dir, 'many.txt'))} | head -c 10`], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } })
    assert.equal(r.stderr, '')
  })
})

describe('output', () => {
  const script = prereq('script')

  function onTty(cmd: string, env: Record<string, string>): string {
    const r = spawnSync(script.path!, ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env } })
    return r.stdout
  }

  test('colour on a terminal, none with NO_COLOR, none in a pipe', { skip: script.skip }, async () => {
    const cmd = `node ${JSON.stringify(BIN)} keygen --legacy --json >/dev/null; node ${JSON.stringify(BIN)} verify x --sdkappid ${SDKAPPID} --userid a`
    const tty = onTty(cmd, { USERSIG_SECRET_KEY: SECRET })
    assert.match(tty, /\x1b\[31m✗ invalid/)
    const noColor = onTty(cmd, { USERSIG_SECRET_KEY: SECRET, NO_COLOR: '1' })
    assert.match(noColor, /✗ invalid/)
    assert.doesNotMatch(noColor, /\x1b\[/)
    assert.ok(!tty.includes(SECRET) && !noColor.includes(SECRET))
    const piped = await runWithKey(['verify', 'x', '--sdkappid', String(SDKAPPID), '--userid', 'a'])
    assert.doesNotMatch(piped.stdout, /\x1b\[/)
  })

  test('gen on a terminal adds a note on stderr; in a pipe stdout is only the token', { skip: script.skip }, () => {
    const tty = onTty(`node ${JSON.stringify(BIN)} gen --sdkappid ${SDKAPPID} --userid alice --now ${T0}`, { USERSIG_SECRET_KEY: SECRET })
    assert.match(tty, /UserSig for "alice" @ 1400000000, key [0-9a-f]{8}, expires 2023-11-21 22:13:20 UTC \(7d\)/)
    assert.ok(!tty.includes(SECRET))
  })
})

describe('serve', () => {
  test('a config file that does not exist (or a server that is not built) exits 3 with one line', async () => {
    expectExit(await run(['serve', '--config', join(dir, 'missing.yaml')]), 3, /usersig serve: /)
  })

  test('a bad --port exits 2', async () => {
    expectExit(await run(['serve', '--port', 'http']), 2, /--port must be a whole number/)
  })

  const serverBuilt = existsSync(new URL('../../server/dist/index.js', import.meta.url))
  test('starts the service (demo config in a temp data dir), answers /healthz, stops on SIGTERM', { skip: serverBuilt ? false : '@usersig/server is not built' }, async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0'], {
      env: { PATH: process.env['PATH'] ?? '', USERSIG_DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in 20 s:\n${stderr}`)), 20_000)
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        const m = /listening on (http:\/\/[^\s]+)/.exec(stderr)
        if (m?.[1]) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
      child.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${stderr}`)))
    })
    const res = await fetch(`${url}/healthz`)
    assert.equal(res.status, 200)
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  })

  test('a config with an error exits 3', async () => {
    const file = join(dir, 'bad.json')
    writeFileSync(file, '{ "this is": not json')
    expectExit(await run(['serve', '--config', file]), 3)
  })
})

// For the pipe test: many lines of output.
writeFileSync(join(dir, 'many.txt'), 'x\n'.repeat(20000))

test('no secret appears in any output', () => assertNoSecretsInOutputs())
