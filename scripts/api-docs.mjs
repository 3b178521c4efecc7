#!/usr/bin/env node
/**
 * The API reference, generated from the doc comments: for every entry point of every package's `exports` map, each
 * export with its doc comment and signature, written to docs/api/<package>.md.
 *   node scripts/api-docs.mjs          write docs/api/
 *   node scripts/api-docs.mjs --check  exit 1 when an export has no doc comment or docs/api/ is stale
 * Every export of every entry point needs a doc comment of its own (type-only exports too), and so does every member of
 * an options bag and of the interfaces a user implements or returns (see `membersNeedDocs`).
 * test/api-docs.test.ts runs the check. Code blocks are fenced as `typescript`, which test/docs.test.ts does not run:
 * signatures and doc-comment fragments are not programs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'docs', 'api')

/** The source file behind one `exports` entry (dist/x.d.ts → src/x.ts; a bundled entry → its folder's index.ts). */
function sourceOf(pkgDir, types) {
  const base = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')
  const direct = join(pkgDir, base)
  if (existsSync(direct)) return direct
  const index = join(pkgDir, dirname(base), 'index.ts')
  if (existsSync(index)) return index
  throw new Error(`no source for ${types} in ${relative(ROOT, pkgDir)}`)
}

/** Every package with a public entry: [{ name, dir, entries: [{ subpath, file }] }]. */
export function packages() {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const out = []
  for (const ws of root.workspaces) {
    const dir = join(ROOT, ws)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const entries = []
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (subpath === './package.json' || typeof target !== 'object' || !target.types) continue
      entries.push({ subpath: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, file: sourceOf(dir, target.types) })
    }
    if (entries.length > 0) out.push({ name: pkg.name, dir, entries })
  }
  return out
}

const docOf = (sym, checker) => ts.displayPartsToString(sym.getDocumentationComment(checker)).trim()

/**
 * The doc comment of an export's declaration. A comment followed by a blank line is the file's header, which the
 * compiler would lend to a first declaration that has none of its own: that declaration counts as undocumented.
 */
export function exportDocOf(sym, decl, checker) {
  const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl
  const last = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).at(-1)
  const sf = decl.getSourceFile()
  if (last && /\n[ \t]*\r?\n/.test(sf.text.slice(last.end, node.getStart(sf)))) return ''
  return docOf(sym, checker)
}

const tagsOf = (sym, checker) =>
  sym.getJsDocTags(checker).map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text ?? []).trim() }))

function kindOf(decl) {
  if (ts.isFunctionDeclaration(decl)) return 'function'
  if (ts.isClassDeclaration(decl)) return 'class'
  if (ts.isInterfaceDeclaration(decl)) return 'interface'
  if (ts.isTypeAliasDeclaration(decl)) return 'type'
  if (ts.isVariableDeclaration(decl)) return 'const'
  if (ts.isEnumDeclaration(decl)) return 'enum'
  return 'export'
}

const oneLine = (s) => s.replace(/\s+/g, ' ').trim()

function signatureOf(name, sym, decl, checker) {
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope
  switch (kindOf(decl)) {
    case 'function': {
      const type = checker.getTypeOfSymbolAtLocation(sym, decl)
      return type.getCallSignatures().map((s) => `function ${name}${checker.signatureToString(s, decl, flags)}`).join('\n')
    }
    case 'const':
      return `const ${name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(sym, decl), decl, flags)}`
    case 'type':
      return `type ${name}${decl.typeParameters ? `<${decl.typeParameters.map((p) => p.getText()).join(', ')}>` : ''} = ${oneLine(decl.type.getText())}`
    case 'class': {
      const heritage = decl.heritageClauses?.map((h) => ` ${oneLine(h.getText())}`).join('') ?? ''
      return `class ${name}${heritage}`
    }
    case 'interface': {
      const heritage = decl.heritageClauses?.map((h) => ` ${oneLine(h.getText())}`).join('') ?? ''
      return `interface ${name}${decl.typeParameters ? `<${decl.typeParameters.map((p) => p.getText()).join(', ')}>` : ''}${heritage}`
    }
    default:
      return `${name}`
  }
}

/** A method as written, without its doc comment and without its body. */
function methodSignature(m) {
  const sf = m.getSourceFile()
  return oneLine(sf.text.slice(m.getStart(sf), m.body ? m.body.getStart(sf) : m.end).replace(/;\s*$/, ''))
}

/** The documented members of an interface or class: [{ name, type, doc, optional }]. */
function membersOf(decl, checker) {
  if (!ts.isInterfaceDeclaration(decl) && !ts.isClassDeclaration(decl)) return []
  const out = []
  for (const m of decl.members) {
    if (!m.name || (ts.isClassDeclaration(decl) && !(ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isGetAccessor(m)))) continue
    const mods = ts.getCombinedModifierFlags(m)
    if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue
    if (ts.isPrivateIdentifier(m.name)) continue
    const sym = checker.getSymbolAtLocation(m.name)
    if (!sym) continue
    const type = ts.isMethodDeclaration(m) || ts.isMethodSignature(m) ? methodSignature(m) : m.type ? oneLine(m.type.getText()) : checker.typeToString(checker.getTypeOfSymbolAtLocation(sym, m))
    out.push({ name: m.name.getText(), type, doc: docOf(sym, checker), optional: !!m.questionToken, method: ts.isMethodDeclaration(m) || ts.isMethodSignature(m) })
  }
  return out
}

/** Interfaces a user implements (a store, a policy, an authenticator's answer) or reads from one. */
const IMPLEMENTED = new Set(['RateLimitStore', 'HitResult', 'StoreHealth', 'PmkPolicy', 'PmkGrant', 'PmkRequest', 'Caller'])

/** Options bags and the interfaces above: their members are part of the API and need a doc comment each. */
const membersNeedDocs = (name) => /Options$/.test(name) || IMPLEMENTED.has(name)

/** Reads every entry; returns the markdown per package and what lacks a doc comment (`pkg › name[.member]`). */
export function generate() {
  const pkgs = packages()
  const files = pkgs.flatMap((p) => p.entries.map((e) => e.file))
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    noEmit: true,
    skipLibCheck: true,
    strict: true,
  })
  const checker = program.getTypeChecker()
  const undocumented = []
  const pages = new Map()
  for (const pkg of pkgs) {
    const lines = [`# ${pkg.name}`, '', `<!-- Generated by scripts/api-docs.mjs from the doc comments; do not edit. -->`, '']
    for (const entry of pkg.entries) {
      const sf = program.getSourceFile(entry.file)
      const modSym = sf && checker.getSymbolAtLocation(sf)
      if (!modSym) throw new Error(`cannot read ${entry.file}`)
      lines.push(`## \`${entry.subpath}\``, '')
      const moduleDoc = sf.statements.length > 0 ? (ts.getJSDocCommentsAndTags(sf.statements[0])[0]?.comment ?? '') : ''
      const fileDoc = /^\/\*\*([\s\S]*?)\*\//.exec(sf.getFullText().trimStart())
      if (fileDoc) lines.push(fileDoc[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n').trim(), '')
      void moduleDoc
      const exports = checker.getExportsOfModule(modSym).slice().sort((a, b) => a.name.localeCompare(b.name))
      for (const exp of exports) {
        const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp
        const decl = sym.declarations?.[0]
        if (!decl) continue
        const name = exp.name
        const doc = exportDocOf(sym, decl, checker)
        const where = `${entry.subpath} › ${name}`
        if (doc === '') undocumented.push(where)
        const tags = tagsOf(sym, checker)
        lines.push(`### \`${name}\``, '', `*${kindOf(decl)}*${tags.some((t) => t.name === 'deprecated') ? ' · **deprecated**' : ''}`, '')
        if (doc !== '') lines.push(doc, '')
        lines.push('```typescript', signatureOf(name, sym, decl, checker), '```', '')
        const members = membersOf(decl, checker)
        if (members.length > 0) {
          lines.push('| member | type | |', '|---|---|---|')
          for (const m of members) {
            if (m.doc === '' && membersNeedDocs(name)) undocumented.push(`${where}.${m.name}`)
            const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ')
            lines.push(`| \`${m.name}${m.optional ? '?' : ''}\` | \`${cell(m.type)}\` | ${cell(m.doc)} |`)
          }
          lines.push('')
        }
        for (const t of tags) {
          if (t.name === 'example') lines.push('Example:', '', '```typescript\n' + t.text.replace(/^```[a-z]*\n?/, '').replace(/\n?```$/, '') + '\n```', '')
          else if (t.name === 'deprecated') lines.push(`Deprecated${t.text ? `: ${t.text}` : '.'}`, '')
        }
      }
    }
    pages.set(`${pkg.name.replace(/^@usersig\//, 'usersig-')}.md`, lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n')
  }
  const index = ['# API reference', '', '<!-- Generated by scripts/api-docs.mjs from the doc comments; do not edit. -->', '',
    'One page per package, every export of every entry point, from the doc comments in the source.', '',
    ...[...pages.keys()].map((f) => `- [${f.replace(/\.md$/, '').replace(/^usersig-/, '@usersig/')}](${f})`), '']
  pages.set('README.md', index.join('\n'))
  return { pages, undocumented }
}

/** The problems `--check` reports: undocumented exports and members, and pages that differ from the source. */
export function check() {
  const { pages, undocumented } = generate()
  const stale = []
  for (const [file, text] of pages) {
    const path = join(OUT, file)
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(file)
  }
  if (existsSync(OUT)) for (const f of readdirSync(OUT)) if (!pages.has(f)) stale.push(f)
  return { undocumented, stale }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const { undocumented, stale } = check()
    for (const u of undocumented) console.error(`no doc comment: ${u}`)
    for (const s of stale) console.error(`stale: docs/api/${s} (run node scripts/api-docs.mjs)`)
    process.exit(undocumented.length + stale.length > 0 ? 1 : 0)
  }
  const { pages, undocumented } = generate()
  mkdirSync(OUT, { recursive: true })
  for (const [file, text] of pages) writeFileSync(join(OUT, file), text)
  for (const u of undocumented) console.error(`no doc comment: ${u}`)
  console.log(`docs/api: ${pages.size} pages, ${undocumented.length} doc comments missing`)
}
