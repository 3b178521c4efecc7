// The issuer's config: the shared schema checked without generated code (Workers forbid it), its errors (field path,
// "did you mean", no value echoed), the refusals of files and listener settings, and the one USERSIG_* table.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readFileSync } from 'node:fs'
import { runInContext, createContext } from 'node:vm'
import { build } from 'esbuild'
import { generateSecretKey } from 'usersig'
import { ConfigError, configFromEnv, createPipeline, DURATION_PATTERN, envWarnings, EDGE_ENV_VARS, ENV_FIELDS, ENV_VARS, IssuerConfigSchema, schemaHas, seconds, validateConfig } from '../src/index.js'

const KEY = generateSecretKey()
const SECRET = 'my-very-secret-value-of-forty-bytes-xxxxxx'
const env = { KEY, JWT: SECRET }
const base = { apps: [{ sdkAppId: 1400000002, secretKeyEnv: 'KEY' }], auth: { jwt: { secretEnv: 'JWT' } } }

function fails(input: unknown, field: string, e: Record<string, string> = env): string {
  try {
    validateConfig(input, e)
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err))
    assert.equal(err.field, field, err.message)
    for (const v of [KEY, SECRET]) assert.ok(!err.message.includes(v), 'the value is never echoed')
    return err.message
  }
  assert.fail(`${field}: accepted`)
}

describe('the schema, checked by TypeBox without generated code', () => {
  it('runs where code generation is forbidden (a vm context with codeGeneration.strings false, like a Worker)', async () => {
    const r = await build({
      stdin: { contents: "export { validateConfig } from './src/config/validate.ts'", resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' },
      bundle: true, format: 'iife', globalName: 'issuerConfig', platform: 'neutral', mainFields: ['module', 'main'], write: false, logLevel: 'silent',
    })
    const code = r.outputFiles[0]!.text
    assert.doesNotMatch(code, /new Function\(|\beval\(/)
    const ctx = createContext({ TextEncoder, TextDecoder, URL, crypto: globalThis.crypto }, { codeGeneration: { strings: false, wasm: false } })
    runInContext(code, ctx)
    const validate = (runInContext('issuerConfig', ctx) as { validateConfig: typeof validateConfig }).validateConfig
    assert.equal(validate(base, env).apps[0]!.sdkAppId, 1400000002)
    assert.throws(() => validate({ ...base, apps: [{ sdkAppId: 1400000002, secretKeyENV: 'KEY' }] }, env), /did you mean "secretKeyEnv"/)
  })

  it('errors name the field, say what is accepted, suggest near names and never echo the value', () => {
    assert.match(fails({ ...base, apps: [{ sdkAppId: 1400000002, secretKeyENV: SECRET }] }, 'apps[0].secretKeyENV'), /did you mean "secretKeyEnv"/)
    assert.match(fails({ ...base, rateLimit: { perUser: SECRET } }, 'rateLimit.perUser'), /"30\/1m"/)
    assert.match(fails({ ...base, apps: [{ ...base.apps[0], userSig: { maxExpiresIn: SECRET } }] }, 'apps[0].userSig.maxExpiresIn'), /"2w"/)
    assert.match(fails({ ...base, apps: [{ ...base.apps[0], userIdPolicy: SECRET }] }, 'apps[0].userIdPolicy'), /one of: im, strict, any/)
    assert.match(fails({ ...base, auth: { jwt: { secretEnv: 'JWT', audiance: 'x' } } }, 'auth.jwt.audiance'), /did you mean "audience"/)
    assert.match(fails({ ...base, policy: { privateMapKey: { rules: [{ rooms: ['*'] }] } } }, 'policy.privateMapKey.rules[0].privileges'), /required/)
    // The service's listener settings are no part of the handler's vocabulary.
    assert.match(fails({ ...base, server: { port: 8080 } }, 'server.port'), /allowed: cors, bodyLimit/)
    assert.match(fails({ ...base, rateLimit: { store: 'redis' } }, 'rateLimit.store'), /one of: memory/)
    fails({ ...base, server: { bodyLimit: '99999999' } }, 'server.bodyLimit')
    assert.match(fails({ ...base, auth: { jwt: 5 } }, 'auth.jwt'), /exactly one key source/)
    assert.match(fails({ ...base, policy: { privateMapKey: { rules: [{ rooms: [], privileges: 1 }] } } }, 'policy.privateMapKey.rules[0].rooms'), /At least one/)
    fails({ ...base, policy: { privateMapKey: { rules: [{ rooms: [0], privileges: 1 }] } } }, 'policy.privateMapKey.rules[0].rooms[0]')
  })

  it('files are refused with a pointer to the variable (or to an inline JWK Set); the edge has no file system', () => {
    assert.match(fails({ ...base, apps: [{ sdkAppId: 1400000002, secretKeyFile: '/etc/key' }] }, 'apps[0].secretKeyFile'), /secretKeyEnv/)
    assert.match(fails({ ...base, auth: { jwt: { secretFile: '/etc/jwt' } } }, 'auth.jwt.secretFile'), /secretEnv/)
    assert.match(fails({ ...base, auth: { jwt: { jwksFile: '/etc/jwks.json', audience: 'a' } } }, 'auth.jwt.jwksFile'), /jwks, or a jwksUrl/)
  })

  it('the shared second pass: the same key shape rule as the service, TTL order, apps listed twice', () => {
    assert.match(fails({ ...base, apps: [{ sdkAppId: 1400000002, secretKey: 'not-a-console-key' }] }, 'apps[0].secretKey'), /allowUnusualKey|allow-unusual-key/)
    assert.equal(validateConfig({ ...base, apps: [{ sdkAppId: 1400000002, secretKey: 'not-a-console-key', allowUnusualKey: true }] }, env).apps[0]!.allowUnusualKey, true)
    // allowUnusualUserId: off unless said, a boolean or its text (YAML, variables), nothing else.
    assert.equal(validateConfig(base, env).apps[0]!.allowUnusualUserId, false)
    for (const v of [true, 'true']) assert.equal(validateConfig({ ...base, apps: [{ ...base.apps[0], allowUnusualUserId: v }] }, env).apps[0]!.allowUnusualUserId, true)
    assert.equal(validateConfig({ ...base, apps: [{ ...base.apps[0], allowUnusualUserId: 'false' }] }, env).apps[0]!.allowUnusualUserId, false)
    fails({ ...base, apps: [{ ...base.apps[0], allowUnusualUserId: 'yes' }] }, 'apps[0].allowUnusualUserId')
    fails({ ...base, apps: [{ ...base.apps[0], userSig: { minExpiresIn: '2d', maxExpiresIn: '1d' } }] }, 'apps[0].userSig.minExpiresIn')
    fails({ ...base, apps: [base.apps[0], base.apps[0]] }, 'apps[1].sdkAppId')
    fails({ ...base, policy: { privateMapKey: { rules: [{ rooms: ['*'], privileges: 1, apps: [5] }] } } }, 'policy.privateMapKey.rules[0].apps[0]')
  })

  it('hostile input stays linear: a long near-duration, a huge unknown key, many bad apps', () => {
    const long = `1${' '.repeat(100_000)}x`
    assert.equal(new RegExp(DURATION_PATTERN).test(long), false)
    assert.throws(() => seconds(long, 'f'), ConfigError)
    fails({ ...base, apps: [{ ...base.apps[0], userSig: { maxExpiresIn: long } }] }, 'apps[0].userSig.maxExpiresIn')
    assert.doesNotMatch(fails({ ...base, ['x'.repeat(100_000)]: 1 }, 'x'.repeat(100_000)), /did you mean/)
    fails({ ...base, apps: Array.from({ length: 20_000 }, () => ({ sdkAppId: 'no' })) }, 'apps[0].sdkAppId')
  })

  it('a lifetime bound that breaks the one duration grammar is a config error naming the field and the grammar', () => {
    for (const v of ['1.5h', '86400.5', 86400.5, '500ms', '0', '1y', '99999999999d']) {
      const message = fails({ ...base, apps: [{ ...base.apps[0], userSig: { maxExpiresIn: v } }] }, 'apps[0].userSig.maxExpiresIn')
      assert.match(message, /whole seconds/, String(v))
      assert.match(message, /"7d"/, String(v))
    }
    for (const v of ['86400000', 604800000]) {
      const message = fails({ ...base, apps: [{ ...base.apps[0], userSig: { maxExpiresIn: v } }] }, 'apps[0].userSig.maxExpiresIn')
      assert.match(message, /milliseconds.*write (86400|604800)$/, String(v))
      assert.doesNotMatch(message, /allowUnusualLifetime/, 'a config has no such setting')
    }
    // Timeouts may be sub-second: "500ms" is in the grammar, a fraction is not.
    assert.equal(validateConfig({ ...base, auth: { jwt: { secretEnv: 'JWT', jwksTimeout: '500ms' } } }, env).auth.jwt!.jwksTimeoutMs, 500)
    assert.match(fails({ ...base, auth: { jwt: { secretEnv: 'JWT', jwksTimeout: '0.5s' } } }, 'auth.jwt.jwksTimeout'), /no fraction/)
  })

  it('the deprecated defaultTtl/minTtl/maxTtl still work, each named with its new key in config.warnings; both names at once are an error', () => {
    const c = validateConfig({ ...base, apps: [{ ...base.apps[0], userSig: { defaultTtl: '2h', minTtl: 60, maxTtl: '2d' }, privateMapKey: { maxTtl: '1h' } }] }, env)
    assert.deepEqual(c.apps[0]!.userSigExpiresIn, { defaultExpiresIn: 7200, minExpiresIn: 60, maxExpiresIn: 172800 })
    assert.equal(c.apps[0]!.privateMapKeyExpiresIn.maxExpiresIn, 3600)
    assert.deepEqual(c.warnings, [
      'config field "apps[0].userSig.defaultTtl" is deprecated: name it "apps[0].userSig.defaultExpiresIn"',
      'config field "apps[0].userSig.minTtl" is deprecated: name it "apps[0].userSig.minExpiresIn"',
      'config field "apps[0].userSig.maxTtl" is deprecated: name it "apps[0].userSig.maxExpiresIn"',
      'config field "apps[0].privateMapKey.maxTtl" is deprecated: name it "apps[0].privateMapKey.maxExpiresIn"',
    ])
    assert.deepEqual(validateConfig(base, env).warnings, [])
    assert.match(fails({ ...base, apps: [{ ...base.apps[0], userSig: { maxTtl: '2d', maxExpiresIn: '3d' } }] }, 'apps[0].userSig.maxTtl'), /give only maxExpiresIn/)
    fails({ ...base, apps: [{ ...base.apps[0], userSig: { maxTtl: '1.5h' } }] }, 'apps[0].userSig.maxTtl')
  })

  it('the pipeline logs each deprecated key once, as a warning naming the new key', () => {
    const logged: [string, string][] = []
    createPipeline({ ...base, apps: [{ ...base.apps[0], userSig: { maxTtl: '2d' } }] }, { env, audit: false, log: (level, message) => logged.push([level, message]) })
    assert.deepEqual(logged, [['warn', 'config field "apps[0].userSig.maxTtl" is deprecated: name it "apps[0].userSig.maxExpiresIn"']])
  })
})

describe('one USERSIG_* table', () => {
  it('configFromEnv applies the variables whose field the handler has, and leaves the service-only ones alone', () => {
    const e = {
      USERSIG_SDKAPPID: '1400000002', USERSIG_SECRET_KEY: KEY, USERSIG_JWT_SECRET: SECRET, USERSIG_RATE_LIMIT_PER_USER: '5/10s',
      HOST: '0.0.0.0', PORT: '9090', USERSIG_REDIS_URL: 'redis://127.0.0.1:1', USERSIG_ADMIN_KEY_SHA256: 'a'.repeat(64), USERSIG_LOG_LEVEL: 'warn',
    }
    const c = configFromEnv(e)
    assert.deepEqual(c, {
      auth: { jwt: { secretEnv: 'USERSIG_JWT_SECRET' } },
      apps: [{ sdkAppId: 1400000002, secretKeyEnv: 'USERSIG_SECRET_KEY' }],
      rateLimit: { perUser: '5/10s' },
    })
    assert.deepEqual(validateConfig(c, e).rateLimit.perUser, { limit: 5, window: 10 })
    assert.throws(() => configFromEnv({ USERSIG_SECRET_KEY: KEY }), (err: ConfigError) => err.field === 'USERSIG_SECRET_KEY (environment)')
  })

  it('USERSIG_ALLOW_UNUSUAL_USER_ID sets the app\'s allowUnusualUserId: true or false, nothing else', () => {
    const e = { USERSIG_SDKAPPID: '1400000002', USERSIG_SECRET_KEY: KEY, USERSIG_JWT_SECRET: SECRET }
    for (const [text, value] of [['true', true], ['false', false]] as const) {
      const c = configFromEnv({ ...e, USERSIG_ALLOW_UNUSUAL_USER_ID: text })
      assert.equal(validateConfig(c, e).apps[0]!.allowUnusualUserId, value)
    }
    assert.equal(validateConfig(configFromEnv(e), e).apps[0]!.allowUnusualUserId, false)
    assert.throws(() => configFromEnv({ ...e, USERSIG_ALLOW_UNUSUAL_USER_ID: 'yes' }), (err: ConfigError) => err.field === 'USERSIG_ALLOW_UNUSUAL_USER_ID (environment)')
  })

  it('every variable of the table names a field; the edge takes exactly those its schema has', () => {
    for (const name of EDGE_ENV_VARS) assert.ok(ENV_VARS.includes(name), name)
    for (const [name, path] of ENV_FIELDS) assert.equal(EDGE_ENV_VARS.includes(name), !path.endsWith('File') && schemaHas(IssuerConfigSchema, path), name)
    for (const name of ['USERSIG_SDKAPPID', 'USERSIG_SECRET_KEY', 'USERSIG_JWT_SECRET', 'USERSIG_JWKS_URL', 'USERSIG_CORS_ORIGINS', 'USERSIG_BODY_LIMIT']) assert.ok(EDGE_ENV_VARS.includes(name), name)
    for (const name of ['HOST', 'PORT', 'USERSIG_REDIS_URL', 'USERSIG_ADMIN_KEY_SHA256', 'USERSIG_CONFIG', 'USERSIG_SECRET_KEY_FILE']) assert.ok(!EDGE_ENV_VARS.includes(name), name)
    // A file variable reaches the config, where it is refused with a pointer to the one to use.
    assert.throws(() => validateConfig(configFromEnv({ USERSIG_SDKAPPID: '1400000002', USERSIG_SECRET_KEY_FILE: '/k', USERSIG_JWT_SECRET: SECRET }), { USERSIG_JWT_SECRET: SECRET }), /secretKeyEnv/)
  })

  it('docs/deploy.md lists exactly the variables the edge uses', () => {
    const doc = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8')
    const section = doc.slice(doc.indexOf('### Settings'), doc.indexOf('## Your own authentication'))
    const named = new Set([...section.matchAll(/^\| (.*?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`(USERSIG_\w+)`/g)].map((x) => x[1]!)))
    assert.deepEqual([...named].sort(), [...EDGE_ENV_VARS].sort())
  })
})

describe('deprecated variable names', () => {
  it('USERSIG_USERID_POLICY and USERSIG_JWT_USERID_CLAIM are read as USERSIG_USER_ID_POLICY and USERSIG_JWT_USER_ID_CLAIM, with a warning; both names set is an error', () => {
    const e = { ...env, USERSIG_SDKAPPID: '1400000002', USERSIG_SECRET_KEY: KEY, USERSIG_JWT_SECRET: SECRET, USERSIG_USERID_POLICY: 'strict', USERSIG_JWT_USERID_CLAIM: 'uid' }
    const c = validateConfig(configFromEnv(e), e)
    assert.equal(c.apps[0]!.userIdPolicy, 'strict')
    assert.equal(c.auth.jwt!.userIdClaim, 'uid')
    assert.deepEqual(envWarnings(e), [
      'environment variable USERSIG_USERID_POLICY is deprecated: name it USERSIG_USER_ID_POLICY',
      'environment variable USERSIG_JWT_USERID_CLAIM is deprecated: name it USERSIG_JWT_USER_ID_CLAIM',
    ])
    const logged: string[] = []
    createPipeline(configFromEnv(e), { env: e, audit: false, log: (level, message) => logged.push(`${level} ${message}`) })
    assert.deepEqual(logged, envWarnings(e).map((w) => `warn ${w}`))
    const both = { ...e, USERSIG_USER_ID_POLICY: 'im' }
    assert.throws(() => configFromEnv(both), (err: unknown) => err instanceof ConfigError && err.field === 'USERSIG_USERID_POLICY (environment)' && /give only USERSIG_USER_ID_POLICY/.test(err.message))
    const renamed = { ...env, USERSIG_SDKAPPID: '1400000002', USERSIG_SECRET_KEY: KEY, USERSIG_JWT_SECRET: SECRET, USERSIG_USER_ID_POLICY: 'any' }
    assert.equal(validateConfig(configFromEnv(renamed), renamed).apps[0]!.userIdPolicy, 'any')
    assert.deepEqual(envWarnings(renamed), [])
  })
})
