/**
 * `npm start` as a user runs it: a subprocess of npm, on a free port (PORT=0), its demo data in a temp dir. It serves
 * /healthz without building anything; SIGTERM to npm, SIGINT to npm, and Ctrl-C (SIGINT to the whole process group, as
 * a terminal sends it) each stop the service cleanly and leave no process behind. The time from the command to a
 * ready /healthz is printed as a figure (never asserted: the machine may be busy).
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { childEnv } from './_helpers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'usersig-start-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

/** Every process in `pid`'s process group (npm is started as a group leader). */
function group(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter((n) => n > 0)
  } catch {
    return []
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function npmStart(): Promise<{ npm: ChildProcess; url: string; ms: number; out: () => string }> {
  const t0 = performance.now()
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: childEnv({ PORT: '0', USERSIG_DATA_DIR: dataDir, CI: '' }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  npm.stdout!.on('data', (d) => { out += d })
  npm.stderr!.on('data', (d) => { out += d })
  await until(() => /"url":"http:\/\/127\.0\.0\.1:\d+"/.test(out) || npm.exitCode !== null, 60_000, 'npm start to listen')
  const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)?.[1]
  assert.ok(url, `npm start did not listen:\n${out}`)
  const res = await fetch(`${url}/healthz`)
  assert.equal(res.status, 200)
  const ms = performance.now() - t0
  return { npm, url, ms, out: () => out }
}

const ways: Array<[string, (npm: ChildProcess) => void]> = [
  ['SIGTERM to npm', (npm) => npm.kill('SIGTERM')],
  ['SIGINT to npm', (npm) => npm.kill('SIGINT')],
  ['Ctrl-C (SIGINT to the process group)', (npm) => process.kill(-npm.pid!, 'SIGINT')],
]

for (const [how, stop] of ways) {
  test(`npm start serves /healthz without building; ${how} stops it cleanly with no orphan`, async () => {
    const { npm, url, ms, out } = await npmStart()
    console.log(`npm start → /healthz 200 in ${Math.round(ms)} ms`)
    assert.doesNotMatch(out(), /> tsc|npm run build|node build\.mjs/, 'npm start must not build')
    const pids = group(npm.pid!)
    assert.ok(pids.length >= 2, `npm and the service in one group: ${pids}`)
    const exited = new Promise<[number | null, string | null]>((r) => npm.on('exit', (c, s) => r([c, s])))
    stop(npm)
    const [code, signal] = await exited
    assert.equal(code, 0, `npm exit ${code} ${signal}\n${out()}`)
    assert.match(out(), /"clean":true[^\n]*"msg":"stopped"/)
    // The service went down with npm: no process of the group is left, and the port is closed.
    await until(() => pids.every((p) => !alive(p)), 10_000, 'every process of npm start to exit')
    await assert.rejects(fetch(`${url}/healthz`))
  })
}
