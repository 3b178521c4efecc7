/**
 * `npm run bench:ab -- [ref]`: the core as built in this working tree (B) against the core at a git ref (A, default
 * HEAD), in one process, in interleaved rounds over varied tokens, so both see the same machine load. Prints each
 * side's median time and the median per-round speed ratio B/A.
 *
 * For judging one change at a time: microbenchmarks that repeat one input mislead (the branch predictor learns it).
 * Environment: AB_MS (CPU time per round, default 200), AB_ROUNDS (default 9), AB_ONLY (comma-separated case names).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const ref = process.argv[2] ?? 'HEAD'
const MS = Number(process.env.AB_MS ?? 200)
const ROUNDS = Number(process.env.AB_ROUNDS ?? 9)
const ONLY = process.env.AB_ONLY?.split(',')

type Core = typeof import('usersig')

/** Builds packages/usersig at `ref` in a temporary worktree and returns its dist/ entry and a cleanup. */
function buildAt(ref: string): { entry: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'usersig-ab-'))
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  git('worktree', 'add', '--detach', dir, ref)
  const cleanup = () => {
    try {
      git('worktree', 'remove', '--force', dir)
    } catch {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'packages', 'usersig')], { stdio: 'inherit' })
  } catch (e) {
    cleanup()
    throw e
  }
  return { entry: join(dir, 'packages', 'usersig', 'dist', 'index.js'), cleanup }
}

const thisBuild = join(root, 'packages', 'usersig', 'dist', 'index.js')
if (!existsSync(thisBuild)) throw new Error('build the working tree first: npm run build -w packages/usersig')
const built = buildAt(ref)
try {
  const A = (await import(pathToFileURL(built.entry).href)) as Core
  const B = (await import(pathToFileURL(thisBuild).href)) as Core

  const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
  const OTHER_KEY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
  const APP = 1400000000
  const NOW = 1763900000 + 12345
  const official = new (createRequire(import.meta.url)('tls-sig-api-v2') as { Api: new (a: number, k: string) => { genUserSig(u: string, e: number): string } }).Api(APP, KEY)
  const users = Array.from({ length: 256 }, (_, i) => `user_${i}_${(i * 7919).toString(36)}`)
  const tokens = users.map((u, i) => {
    const d = Date.now
    Date.now = () => (NOW - i * 37) * 1000
    try {
      return official.genUserSig(u, 86400)
    } finally {
      Date.now = d
    }
  })
  const cases: Record<string, (m: Core) => (i: number) => string | number | boolean> = {
    userSig: (m) => {
      const s = m.createSigner({ sdkAppId: APP, secretKey: KEY })
      return (i) => s.userSig(users[i & 255]!, { expiresIn: 86400, now: NOW + (i & 1023) })
    },
    privateMapKey: (m) => {
      const s = m.createSigner({ sdkAppId: APP, secretKey: KEY })
      return (i) => s.privateMapKey(users[i & 255]!, { roomId: 1000 + (i & 1023), privileges: 255, expiresIn: 300, now: NOW })
    },
    verify: (m) => (i) => m.verifyUserSig(tokens[i & 255]!, { sdkAppId: APP, userId: users[i & 255]!, secretKey: KEY, now: NOW }).ok,
    // Repeated verification with one key, the way each side offers it: a verifier holding the prepared key where
    // there is createVerifier, else verifyUserSig (whose hidden cache then holds it).
    verifier: (m) => {
      const make = (m as { createVerifier?: (o: object) => { verify(t: string, o: object): { ok: boolean } } }).createVerifier
      if (make === undefined) return (i) => m.verifyUserSig(tokens[i & 255]!, { sdkAppId: APP, userId: users[i & 255]!, secretKey: KEY, now: NOW }).ok
      const v = make({ sdkAppId: APP, secretKey: KEY })
      return (i) => v.verify(tokens[i & 255]!, { userId: users[i & 255]!, now: NOW }).ok
    },
    // One-shot verification that fails at the signature (a key that did not sign the tokens): what a forged or
    // misrouted token costs.
    verifyWrongKey: (m) => (i) => m.verifyUserSig(tokens[i & 255]!, { sdkAppId: APP, userId: users[i & 255]!, secretKey: OTHER_KEY, now: NOW }).ok,
    decode: (m) => (i) => m.decodeUserSig(tokens[i & 255]!).identifier,
  }

  let sink = 0
  // Time is this process's CPU time (user + system), not wall time: on a shared machine, time spent waiting for a
  // core would otherwise count against whichever side was running.
  const cpuMs = (): number => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const rate = (fn: (i: number) => unknown): number => {
    let n = 0
    const t0 = cpuMs()
    const end = t0 + MS
    while (cpuMs() < end) for (let j = 0; j < 200; j++) sink ^= fn(n++) ? 1 : 0
    return n / ((cpuMs() - t0) / 1000)
  }
  const median = (x: number[]) => x.slice().sort((p, q) => p - q)[x.length >> 1]!
  console.log(`A: ${ref}   B: this working tree   (${ROUNDS} rounds of ${MS} ms each)`)
  for (const [name, make] of Object.entries(cases)) {
    if (ONLY && !ONLY.includes(name)) continue
    const fa = make(A)
    const fb = make(B)
    for (let i = 0; i < 5000; i++) sink ^= (fa(i) ? 1 : 0) ^ (fb(i) ? 1 : 0)
    const ratio: number[] = []
    const ta: number[] = []
    const tb: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      const a = rate(fa)
      const b = rate(fb)
      ratio.push(b / a)
      ta.push(1e6 / a)
      tb.push(1e6 / b)
    }
    console.log(`  ${name.padEnd(14)} A ${median(ta).toFixed(2).padStart(6)} µs   B ${median(tb).toFixed(2).padStart(6)} µs   B/A speed ${median(ratio).toFixed(3)}`)
  }
  if (sink === 0.5) console.log(sink)
} finally {
  built.cleanup()
}
