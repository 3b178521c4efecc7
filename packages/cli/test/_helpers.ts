/**
 * Runs the real `usersig` binary as a subprocess with a controlled environment and stdin, and records every output so
 * each test file can finish by checking that no secret ever appeared on stdout or stderr.
 */
import { spawn } from 'node:child_process'
import { randomBytes, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'

export const BIN = fileURLToPath(new URL('../bin/usersig.js', import.meta.url))
export const SDKAPPID = 1400000000
export const T0 = 1700000000

/** Fresh random keys per run, so a match in any output can only be a leak. */
export const SECRET = randomBytes(32).toString('hex')
export const SECRET2 = randomBytes(32).toString('hex')

export interface Result {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  input?: string | Buffer
  cwd?: string
  /** Extra node flags before the script (e.g. --import a preload). */
  nodeArgs?: string[]
}

const outputs: string[] = []

/** Runs `usersig ...args`; the environment holds only PATH and TZ=UTC unless `env` adds more. */
export function run(args: string[], opts: RunOptions = {}): Promise<Result> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', TZ: 'UTC' }
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { env, cwd: opts.cwd ?? process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.stdin.on('error', () => {}) // the CLI may exit before reading all of stdin
    child.on('close', (code) => {
      const r = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
      outputs.push(r.stdout, r.stderr)
      resolve(r)
    })
    if (opts.input !== undefined) child.stdin.end(opts.input)
    else child.stdin.end()
  })
}

/** Runs with the secret key in USERSIG_SECRET_KEY. */
export const runWithKey = (args: string[], opts: RunOptions = {}): Promise<Result> =>
  run(args, { ...opts, env: { USERSIG_SECRET_KEY: SECRET, ...opts.env } })

export function json<T = Record<string, unknown>>(r: Result): T {
  try {
    return JSON.parse(r.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`)
  }
}

/** Asserts the exit code, and that an error exit printed exactly one line on stderr with no stack trace. */
export function expectExit(r: Result, code: number, stderrPattern?: RegExp): void {
  assert.equal(r.code, code, `expected exit ${code}, got ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  if (code >= 2) {
    const lines = r.stderr.split('\n').filter((l) => l !== '')
    assert.equal(lines.length, 1, `expected one line on stderr, got:\n${r.stderr}`)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
  if (stderrPattern) assert.match(r.stderr, stderrPattern)
}

export function tempDir(prefix = 'usersig-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** A key file holding `text`, in a fresh temp dir. */
export function keyFile(dir: string, text: string, name = 'secret.key'): string {
  const p = join(dir, name)
  writeFileSync(p, text, { mode: 0o600 })
  return p
}

/** A legacy key pair made with node:crypto (independent of the core), as the console's PEM files. */
export function legacyPair(namedCurve: 'prime256v1' | 'secp256k1' = 'prime256v1'): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve })
  return {
    privatePem: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}

const privateBodies: string[] = []
/** Registers private key material that must never be printed (the base64 lines of a PEM). */
export function registerPrivate(pem: string): void {
  for (const line of pem.split('\n')) if (/^[A-Za-z0-9+/=]{40,}$/.test(line.trim())) privateBodies.push(line.trim())
}

/** Fails if any recorded output contains a test secret or registered private key material. */
export function assertNoSecretsInOutputs(): void {
  assert.ok(outputs.length > 0, 'no outputs were recorded')
  const all = outputs.join('\n')
  for (const s of [SECRET, SECRET2, ...privateBodies]) {
    assert.ok(!all.includes(s), `a secret appeared in the output of a command`)
    assert.ok(!all.toLowerCase().includes(s.toLowerCase()), 'a secret appeared (in another case)')
  }
}
