/**
 * The API reference in docs/api/ is generated from the doc comments (scripts/api-docs.mjs): every export of every
 * package (type-only exports too) and every member of an options bag or of an interface a user implements has a doc
 * comment, and the pages match what the source generates now.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
// @ts-expect-error: a plain .mjs script without declarations
import { check, exportDocOf, generate } from '../scripts/api-docs.mjs'

interface Checked { undocumented: string[]; stale: string[] }
interface Generated { pages: Map<string, string>; undocumented: string[] }
type DocOf = (sym: ts.Symbol, decl: ts.Declaration, checker: ts.TypeChecker) => string

test('every export of every package, type-only ones included, and every option has a doc comment; docs/api/ is fresh', () => {
  const r = (check as () => Checked)()
  assert.deepEqual(r.undocumented, [], 'exports without a doc comment (add one, then run node scripts/api-docs.mjs)')
  assert.deepEqual(r.stale, [], 'docs/api/ is stale: run node scripts/api-docs.mjs')
})

test('the reference names every entry point and shows the doc comment, signature and options of an export', () => {
  const { pages } = (generate as () => Generated)()
  const core = pages.get('usersig.md')!
  for (const entry of ['`usersig`', '`usersig/legacy`', '`usersig/compat`', '`usersig/client`']) assert.ok(core.includes(`## ${entry}`), entry)
  assert.match(core, /### `decodedToJson`\n\n\*function\*\n\nThe JSON form of a decoded token/)
  assert.match(core, /```typescript\nfunction decodedToJson\(d: DecodedUserSig\): DecodedUserSigJson/)
  assert.match(core, /\| `clockTolerance\?` \| `number` \| Seconds of allowed clock skew/)
  assert.ok(pages.has('README.md') && pages.get('README.md')!.includes('(usersig-server.md)'))
  // A class's methods appear as signatures, without their bodies, and its #private members not at all.
  assert.ok(core.includes('| `genUserSig` | `genUserSig(userid: string \\| number \\| bigint, expire: number \\| string): string` |'))
  assert.doesNotMatch(core, /^\| `#/m)
})

test("a file's header comment is not the doc comment of the export that follows it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'api-docs-'))
  try {
    const file = join(dir, 'm.ts')
    writeFileSync(file, '/**\n * What this file is for.\n */\n\nexport type Bare = 1\n\n/** Says what it is. */\nexport type Own = 2\n')
    const program = ts.createProgram([file], { noEmit: true })
    const checker = program.getTypeChecker()
    const docs = Object.fromEntries(
      checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!).map((s) => [s.name, (exportDocOf as DocOf)(s, s.declarations![0]!, checker)]),
    )
    assert.deepEqual(docs, { Bare: '', Own: 'Says what it is.' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
