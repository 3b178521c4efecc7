/**
 * The real entry point (dist/main.js) as a child process, for the tests that need signals, exit codes and real
 * sockets: spawn it, read its JSON log lines, and check every one of them parses without a duplicate key.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assertNoSecretsIn, JWT_SECRET, SECRET_KEY, tmpDir } from './helpers.js'
import { waitFor } from './redis-helper.js'

const pkg = fileURLToPath(new URL('..', import.meta.url))
export const MAIN = join(pkg, 'dist', 'main.js')
const children: ChildProcess[] = []
/** Everything the children printed, checked for secrets after the file's tests. */
export const OUTPUT: string[] = []

let installed = false
/** Builds dist/ when missing; kills leftover children and checks their output for secrets after the file. */
export function useMainProcess(): void {
  if (installed) return
  installed = true
  before(() => {
    // The suite runs after `npm run build`; when run alone, build this package first.
    if (!existsSync(MAIN)) execFileSync(process.execPath, [join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(pkg, 'tsconfig.json')], { stdio: 'inherit' })
  })
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    assertNoSecretsIn(OUTPUT, 'child process output')
  })
}

/** The SDKAppID of the app in writeMainConfig's configs. */
export const MAIN_SDKAPPID = 1400000001

/**
 * A config directory for main.js: the app's key in `key`, the JWT secret in `jwt` (files, never argv or env), and
 * `usersig.config.json` holding `config` with one app (SDKAppID 1400000001) using that key.
 */
export function writeMainConfig(config: Record<string, unknown>): { dir: string; file: string } {
  const dir = tmpDir()
  writeFileSync(join(dir, 'key'), SECRET_KEY, { mode: 0o600 })
  writeFileSync(join(dir, 'jwt'), JWT_SECRET, { mode: 0o600 })
  const file = join(dir, 'usersig.config.json')
  writeFileSync(file, JSON.stringify({ apps: [{ sdkAppId: MAIN_SDKAPPID, secretKeyFile: 'key' }], ...config }))
  return { dir, file }
}

export interface Child {
  proc: ChildProcess
  url: string
  stdout: () => string
  exited: Promise<number | null>
}

/** Starts dist/main.js with this config file (PORT 0 unless `env` names one) and waits until it listens. */
export async function spawnMain(configFile: string, env: Record<string, string> = {}): Promise<Child> {
  useMainProcess()
  const proc = spawn(process.execPath, [MAIN, '--config', configFile], { env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(proc)
  let out = ''
  let err = ''
  proc.stdout!.on('data', (d) => { out += d })
  proc.stderr!.on('data', (d) => { err += d })
  // 'close', not 'exit': the exit can come before the last of stdout has been read from the pipe (a busy machine makes
  // that likely), and the tests read the final log lines (audit, "stopped") right after this resolves.
  const exited = new Promise<number | null>((r) => proc.on('close', (code) => { OUTPUT.push(out, err); r(code) }))
  let url = ''
  await waitFor(() => {
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)
    if (m) url = m[1]!
    if (proc.exitCode !== null) throw new Error(`main.js exited: ${err}`)
    return url !== ''
  }, 60_000, 'main.js to listen').catch((e: Error) => { throw new Error(`${e.message}; stderr: ${err.slice(-300)}; stdout: ${out.slice(-300)}`) })
  return { proc, url, stdout: () => out, exited }
}

/**
 * Parses one JSON text and fails on a key repeated within one object (JSON.parse keeps the last silently, and log
 * pipelines disagree on which one wins). Returns the parsed value.
 */
export function parseStrict(text: string): unknown {
  let i = 0
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++ }
  const str = (): string => {
    const start = i
    i++
    while (text[i] !== '"') {
      if (i >= text.length) throw new SyntaxError('unterminated string')
      i += text[i] === '\\' ? 2 : 1
    }
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  const value = (): unknown => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const keys = new Set<string>()
      const o: Record<string, unknown> = {}
      ws()
      if (text[i] === '}') { i++; return o }
      for (;;) {
        ws()
        const k = str()
        assert.ok(!keys.has(k), `duplicate key ${JSON.stringify(k)} in ${text.slice(0, 300)}`)
        keys.add(k)
        ws()
        assert.equal(text[i++], ':')
        o[k] = value()
        ws()
        if (text[i] === ',') { i++; continue }
        assert.equal(text[i++], '}')
        return o
      }
    }
    if (c === '[') {
      i++
      const a: unknown[] = []
      ws()
      if (text[i] === ']') { i++; return a }
      for (;;) {
        a.push(value())
        ws()
        if (text[i] === ',') { i++; continue }
        assert.equal(text[i++], ']')
        return a
      }
    }
    if (c === '"') return str()
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64))
    if (!m) throw new SyntaxError(`bad JSON at ${i}: ${text.slice(0, 200)}`)
    i += m[0].length
    return JSON.parse(m[0])
  }
  const v = value()
  ws()
  assert.equal(i, text.length, 'trailing text after the JSON value')
  return v
}

/** The log lines of a child's stdout, each parsed strictly (no duplicate keys). */
export function logLines(stdout: string): Record<string, any>[] {
  return stdout.split('\n').filter(Boolean).map((l) => parseStrict(l) as Record<string, any>)
}

/** One request on its own connection (no keep-alive), so a refused connection is visible as such. */
export function issue(url: string, headers: Record<string, string>): Promise<{ status: number; body: any } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(`${url}/v1/usersig`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close', ...headers } }, (res) => {
      let data = ''
      res.on('data', (d) => { data += d })
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(data) }))
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }))
    })
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }))
    req.end('{}')
  })
}

