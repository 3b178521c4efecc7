/**
 * The config schema (src/config/schema.ts) is the one description of the config file: the shipped JSON Schema is made
 * from it, its defaults are the validator's, every field it has is in docs/service.md and every field the docs table
 * names is in it, and the configs the docs and tests use pass it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { ConfigSchema, configJsonSchema, type ConfigInput } from '../src/config/schema.js'
import { DURATION_PATTERN, ENV_FIELDS, seconds } from '@usersig/issuer'
import { resolveConfig } from '../src/index.js'
import { baseConfig, SECRET_KEY } from './helpers.js'

const validate = new Ajv({ allErrors: true, strict: true }).compile(configJsonSchema())
const schemaFile = new URL('../usersig.config.schema.json', import.meta.url)
const docs = readFileSync(new URL('../../../docs/service.md', import.meta.url), 'utf8')

type Node = Record<string, any>

/** Every setting the schema has, as a path (`apps[].userSig.maxExpiresIn`), with its schema. */
function leaves(node: Node, path = '', out = new Map<string, Node>()): Map<string, Node> {
  const objects: Node[] = node['type'] === 'object' ? [node] : (node['anyOf'] ?? []).filter((n: Node) => n['type'] === 'object' && n['properties'])
  const arrays: Node[] = node['type'] === 'array' ? [node] : []
  if (path) out.set(path, node)
  for (const o of objects) for (const [k, v] of Object.entries(o['properties'] ?? {})) leaves(v as Node, path ? `${path}.${k}` : k, out)
  for (const a of arrays) if (a['items']['type'] === 'object') leaves(a['items'], `${path}[]`, out)
  return out
}

const ALL = leaves(configJsonSchema())

test('usersig.config.schema.json is made from the schema (npm run build -w packages/server && npm run config-schema -w packages/server)', () => {
  assert.deepEqual(JSON.parse(readFileSync(schemaFile, 'utf8')), configJsonSchema())
  assert.equal((configJsonSchema() as Node)['type'], 'object')
  assert.ok(ConfigSchema.properties.apps, 'the TypeBox value is the one exported')
})

test('the configs of the docs and the tests pass the schema; `$schema` pointing at the file is accepted', () => {
  const example = /```yaml\n(# usersig\.config\.yaml[\s\S]*?)```/.exec(docs)
  assert.ok(example, 'docs/service.md has the complete example')
  const inputs = [parseYaml(example[1]!), baseConfig(), { $schema: './node_modules/@usersig/server/usersig.config.schema.json', apps: [{ sdkAppId: 1400000001, secretKey: SECRET_KEY }] }]
  for (const input of inputs) assert.ok(validate(input), JSON.stringify(validate.errors))
  resolveConfig(inputs[2], {})
})

test('the schema refuses what the validator refuses: unknown fields, bad durations, out-of-range integers', () => {
  const app = { sdkAppId: 1400000001, secretKey: SECRET_KEY }
  for (const bad of [
    { apps: [{ ...app, secretkey: 'x' }] },
    { apps: [app], extra: 1 },
    { apps: [{ ...app, userSig: { maxExpiresIn: 'forever' } }] },
    { apps: [app], server: { port: 70000 } },
    { apps: [app], log: { level: 'loud' } },
    { apps: [app], rateLimit: { redis: { failMode: 'open' } } },
    { apps: [{ ...app, sdkAppId: 'abc' }] },
  ]) {
    assert.equal(validate(bad), false, JSON.stringify(bad))
    assert.throws(() => resolveConfig(bad, {}), { name: 'ConfigError' })
  }
})

test('one duration grammar for every duration field: "2w" works for maxExpiresIn as for expiresIn', () => {
  const c = resolveConfig({ apps: [{ sdkAppId: 1400000001, secretKey: SECRET_KEY, userSig: { defaultExpiresIn: '1w', maxExpiresIn: '2w' } }] })
  assert.equal(c.apps[0]!.userSigExpiresIn.maxExpiresIn, 14 * 86400)
  assert.equal(c.apps[0]!.userSigExpiresIn.defaultExpiresIn, 7 * 86400)
  assert.equal(resolveConfig({ apps: [{ sdkAppId: 1400000001, secretKey: SECRET_KEY }], server: { shutdownTimeout: '500ms' } }).server.shutdownTimeout, 0.5)
  const durations = [...ALL].filter(([, n]) => (n['anyOf'] ?? []).some((m: Node) => m['pattern'] === DURATION_PATTERN))
  assert.ok(durations.length >= 20, `${durations.length} duration fields`)
  for (const [path, n] of durations) assert.ok(validate(withValue(path, '2w')) || !n, path)
})

/** A minimal config with `value` at `path` (used to feed each duration field through the schema). */
function withValue(path: string, value: unknown): Node {
  const root: Node = {
    apps: [{ sdkAppId: 1400000001, secretKey: SECRET_KEY }],
    auth: { forwardAuth: { url: 'https://auth.example/me' }, trustedHeader: { proxies: ['10.0.0.1'] } },
    policy: { privateMapKey: { webhook: { url: 'https://policy.example/' } } },
  }
  const parts = path.split('.')
  let cur: Node = root
  parts.forEach((p, i) => {
    const arr = p.endsWith('[]')
    const key = arr ? p.slice(0, -2) : p
    if (i === parts.length - 1) cur[key] = value
    else if (arr) cur = (cur[key] ??= [{}])[0]
    else cur = cur[key] ??= {}
  })
  return root
}

test('the schema defaults are the ones the validator applies', () => {
  const c = resolveConfig({
    apps: [{ sdkAppId: 1400000001, secretKey: SECRET_KEY }],
    auth: { jwt: { secret: 'x'.repeat(32) }, apiKeys: [{ name: 'a', sha256: 'a'.repeat(64) }], trustedHeader: { proxies: ['10.0.0.1'] }, forwardAuth: { url: 'https://auth.example/me' } },
    policy: { privateMapKey: { webhook: { url: 'https://policy.example/' } } },
    rateLimit: { redis: { url: 'redis://127.0.0.1:6379' } },
  }) as unknown as Node
  const resolvedPath: Record<string, string> = {
    'policy.privateMapKey.webhook.timeout': 'policy.privateMapKey.webhook.timeoutMs',
    'auth.forwardAuth.timeout': 'auth.forwardAuth.timeoutMs',
    'auth.jwt.jwksCooldown': 'auth.jwt.jwksCooldownMs',
    'auth.jwt.jwksTimeout': 'auth.jwt.jwksTimeoutMs',
    'rateLimit.redis.commandTimeout': 'rateLimit.redis.commandTimeoutMs',
    ...Object.fromEntries(['defaultExpiresIn', 'minExpiresIn', 'maxExpiresIn'].flatMap((k) => [
      [`apps[].userSig.${k}`, `apps[].userSigExpiresIn.${k}`],
      [`apps[].privateMapKey.${k}`, `apps[].privateMapKeyExpiresIn.${k}`],
    ])),
  }
  let checked = 0
  for (const [path, n] of ALL) {
    if (!('default' in n) || path === 'rateLimit.store') continue
    const target = resolvedPath[path] ?? path
    const got = target.split('.').reduce<any>((o, k) => (k.endsWith('[]') ? o?.[k.slice(0, -2)]?.[0] : o?.[k]), c)
    let want: unknown = n['default']
    if (target.endsWith('Ms')) want = seconds(want, path) * 1000
    else if (/\/|^\d+(ms|s|m|h|d|w)$/.test(String(want)) && typeof got === 'number') want = seconds(want, path)
    else if (typeof want === 'string' && /^\d+\/\w+$/.test(want)) {
      const [limit, window] = want.split('/')
      want = { limit: Number(limit), window: seconds(window, path) }
    }
    assert.deepEqual(got, want, `default of ${path}`)
    checked++
  }
  assert.ok(checked >= 40, `${checked} defaults checked`)
})

/** The fields docs/service.md documents: the first column of its config tables, shorthand expanded, prefixed by the section's field. */
function documentedFields(): Set<string> {
  const out = new Set<string>()
  let prefix = ''
  const start = docs.indexOf('\n## Configuration')
  const end = docs.indexOf('\n## Rate limits and Redis')
  for (const line of docs.slice(start, end).split('\n')) {
    const h = /^#{2,3} .*\(`([\w.]+)`\)/.exec(line)
    if (/^#{2,3} /.test(line)) prefix = h ? h[1]! : /PrivateMapKey policy/.test(line) ? 'policy.privateMapKey.rules[]' : ''
    const m = /^\| ((?:`[^`]+`[ /]*)+)\|/.exec(line)
    if (!m) continue
    const names = [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!)
    let base = ''
    for (const name of names) {
      if (name === '…File' || name === '…Env') { out.add(base + name.slice(1)); continue }
      let full: string
      if (name.startsWith('.')) full = base.replace(/\.[^.]+$/, '') .replace(/\[\]$/, '') + name
      else if (!name.includes('.') && base) full = base.replace(/[^.]+$/, '') + name
      else full = prefix && !name.includes('.') ? `${prefix}.${name}` : name
      full = full.replace(/\[\]$/, '')
      if (!base) base = full
      out.add(full)
    }
  }
  return out
}

test('docs/service.md documents every field of the schema, and no field the schema lacks', () => {
  const documented = documentedFields()
  assert.ok(documented.size >= 70, `${documented.size} documented fields`)
  const known = new Set([...ALL].filter(([, n]) => n['type'] !== 'object').map(([p]) => p.replace(/\[\]$/, '')))
  // Sections described in prose rather than a table of their own.
  const prose = ['auth.trustedHeader.', 'auth.apiKeys[].', 'policy.privateMapKey.webhook.', 'rateLimit.perUser.', 'rateLimit.perIp.', 'rateLimit.authFailures.', '$schema', 'demo', 'auth.demo', 'server.cors']
  const missing = [...known].filter((p) => !documented.has(p) && !prose.some((x) => p === x || p.startsWith(x)))
  assert.deepEqual(missing, [], 'schema fields missing from docs/service.md')
  for (const p of documented) {
    if (p === 'apps' || p === 'policy.privateMapKey.rules' || p.startsWith('(')) continue
    assert.ok(known.has(p), `docs/service.md documents ${p}, which the schema does not have`)
  }
})

test('schema errors name the field, say what is accepted, suggest near names and never echo the value', () => {
  const app = { sdkAppId: 1400000001, secretKey: SECRET_KEY }
  const message = (input: unknown, field: string): string => {
    try {
      resolveConfig(input, {})
    } catch (e) {
      assert.equal((e as { field?: string }).field, field, String(e))
      assert.ok(!String(e).includes('my-very-secret-value'), 'the value is never echoed')
      return (e as Error).message
    }
    assert.fail(`${field}: accepted`)
  }
  assert.match(message({ apps: [{ ...app, secretKeyFiel: 'my-very-secret-value' }] }, 'apps[0].secretKeyFiel'), /did you mean "secretKeyFile"/)
  assert.match(message({ apps: [app], log: { level: 'my-very-secret-value' } }, 'log.level'), /one of: fatal, error, warn, info, debug, trace, silent/)
  assert.match(message({ apps: [app], server: { port: 'my-very-secret-value' } }, 'server.port'), /0\.\.65535/)
  assert.match(message({ apps: [{ ...app, userSig: { maxExpiresIn: 'my-very-secret-value' } }] }, 'apps[0].userSig.maxExpiresIn'), /"2w"/)
  assert.match(message({ apps: [app], auth: { forwardAuth: {} } }, 'auth.forwardAuth.url'), /required/)
  assert.match(message({ apps: [app], auth: { apiKeys: [{ name: 'a', key: 'my-very-secret-value', kye: 1 }] } }, 'auth.apiKeys[0].kye'), /did you mean "key"/)
  // A hostile key: long, and not a near miss of anything.
  assert.doesNotMatch(message({ apps: [app], ['x'.repeat(100_000)]: 1 }, 'x'.repeat(100_000)), /did you mean/)
})

test('every variable of ENV_FIELDS sets a field of the schema, and the docs name it on that field\'s row', () => {
  const rows = docs.split('\n').filter((l) => l.startsWith('| `'))
  for (const [name, path] of ENV_FIELDS) {
    assert.ok(ALL.has(path), `${name} → ${path}, which the schema does not have`)
    const leaf = path.split('.').at(-1)!
    const parent = path.split('.').slice(0, -1).join('.')
    const row = rows.find((r) => r.includes(`\`${name}\``))
    assert.ok(row, `docs/service.md has a row for ${name}`)
    const first = row.split('|')[1]!
    assert.ok(first.includes(`\`${path}\``) || first.includes(`\`${leaf}\``) || first.includes(`\`${parent}\``), `${name}: its docs row (${first.trim()}) is not ${path}`)
  }
})

test('ConfigInput, the type of a config file, comes from the schema (checked by `npm run typecheck -w packages/server`)', () => {
  const ok: ConfigInput = { apps: [{ sdkAppId: 1400000001, secretKeyFile: 'key', userSig: { maxExpiresIn: '2w' } }], server: { port: 8080 } }
  // @ts-expect-error an unknown field
  const typo: ConfigInput = { apps: [], serverr: {} }
  // @ts-expect-error a wrong type
  const wrong: ConfigInput = { server: { port: true } }
  assert.ok(validate(ok))
  assert.equal(validate(typo) || validate(wrong), false)
})
