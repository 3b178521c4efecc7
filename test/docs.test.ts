/**
 * Every code example in every README and docs page runs. Fenced `js`, `ts` and `sh` blocks are extracted and run as
 * they are; a block that cannot run here (it starts a long-lived server, needs a real app or network) says so on the
 * line before its fence with `<!-- not run: <reason> -->`, and this test requires that reason. Other fences (`json`,
 * `yaml`, `html`, plain) are data or output, not examples.
 *
 * The examples run in a scratch folder inside the repo (so `usersig` and `@usersig/*` resolve to this checkout), with
 * `node_modules/.bin` on PATH (`npx usersig` is this CLI) and the environment a reader is told to have:
 * USERSIG_SECRET_KEY (a demo key) and USERSIG (a UserSig for alice in app 1400000000, made with that key).
 */
import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { delimiter, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSigner } from 'usersig'
import { childEnv } from './_helpers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const RUNNABLE = new Set(['js', 'ts', 'sh'])
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'

/** Pages whose examples another test already runs as they are, with more checks of its own. */
const RUN_ELSEWHERE: Record<string, string> = {
  'packages/usersig/README.md': 'packages/usersig/test/readme.test.ts',
}

export interface Example { file: string; line: number; lang: string; code: string; notRun: string | null }

/** The fenced blocks of a Markdown text, with the `<!-- not run: … -->` marker of each (or null). */
export function examples(file: string, text: string): Example[] {
  const out: Example[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^```([a-z]*)\s*$/.exec(lines[i]!)
    if (!open) continue
    let j = i + 1
    while (j < lines.length && !/^```\s*$/.test(lines[j]!)) j++
    let k = i - 1
    while (k >= 0 && lines[k]!.trim() === '') k--
    const marker = k >= 0 ? /^<!-- not run: (.+?) -->$/.exec(lines[k]!.trim()) : null
    out.push({ file, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, j).join('\n') + '\n', notRun: marker ? marker[1]! : null })
    i = j
  }
  return out
}

function pages(): string[] {
  const out = ['README.md', 'vectors/README.md']
  for (const p of readdirSync(join(root, 'packages'))) if (existsSync(join(root, 'packages', p, 'README.md'))) out.push(`packages/${p}/README.md`)
  const walk = (d: string): void => {
    for (const n of readdirSync(join(root, d), { withFileTypes: true })) {
      if (n.isDirectory()) walk(`${d}/${n.name}`)
      else if (n.name.endsWith('.md')) out.push(`${d}/${n.name}`)
    }
  }
  walk('docs')
  return out.sort()
}

const scratch = mkdtempSync(join(root, '.docs-examples-'))
after(() => rmSync(scratch, { recursive: true, force: true }))
const env = childEnv({
  PATH: [join(root, 'node_modules', '.bin'), process.env['PATH'] ?? ''].join(delimiter),
  USERSIG_SECRET_KEY: KEY,
  USERSIG: createSigner({ sdkAppId: 1400000000, secretKey: KEY }).userSig('alice', { expiresIn: '7d' }),
  NO_COLOR: '1',
  CI: '',
  // An example must never install anything into this checkout (npm walks up to the repo's package.json).
  npm_config_offline: 'true',
})

for (const page of pages()) {
  const all = examples(page, readFileSync(join(root, page), 'utf8')).filter((e) => RUNNABLE.has(e.lang))
  if (all.length === 0) continue
  describe(page, () => {
    for (const [n, ex] of all.entries()) {
      const name = `${ex.lang} example ${n + 1} (line ${ex.line})`
      if (ex.notRun !== null) {
        test(`${name} is marked not run, with a reason`, () => assert.ok(ex.notRun!.length >= 10, `give a real reason at ${page}:${ex.line}`))
        continue
      }
      if (RUN_ELSEWHERE[page] && ex.lang !== 'sh') {
        test(`${name} runs in ${RUN_ELSEWHERE[page]}`, () => assert.ok(existsSync(join(root, RUN_ELSEWHERE[page]!))))
        continue
      }
      test(`${name} runs`, () => {
        const dir = mkdtempSync(join(scratch, 'ex-'))
        const file = join(dir, ex.lang === 'sh' ? 'example.sh' : ex.lang === 'ts' ? 'example.ts' : 'example.mjs')
        writeFileSync(file, ex.code)
        const cmd = ex.lang === 'sh' ? ['bash', ['-e', '-o', 'pipefail', file]] as const
          : ex.lang === 'ts' ? [process.execPath, ['--import', 'tsx', file]] as const
          : [process.execPath, [file]] as const
        const r = spawnSync(cmd[0], [...cmd[1]], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 })
        assert.equal(r.status, 0, `${page}:${ex.line} (${relative(root, file)}) exited ${r.status ?? r.signal}\n${r.stderr.slice(-2000)}${r.stdout.slice(-1000)}`)
      })
    }
  })
}
