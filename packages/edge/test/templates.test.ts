// Every template is a folder a user can copy: code, the platform's config file without a secret in it, a README with
// the deploy commands and a curl to try it.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { TEMPLATES } from './helpers/paths.js'

const EXPECTED: Record<string, { code: string; config: string }> = {
  cloudflare: { code: 'worker.ts', config: 'wrangler.toml' },
  deno: { code: 'main.ts', config: 'deno.json' },
  bun: { code: 'server.ts', config: 'package.json' },
  vercel: { code: 'app/[...path]/route.ts', config: 'vercel.json' },
  scf: { code: 'index.mjs', config: 'serverless.yml' },
  lambda: { code: 'index.mjs', config: 'template.yaml' },
  node: { code: 'server.mjs', config: 'package.json' },
}

test('each template has its code, its platform config and a README with deploy commands and a curl', () => {
  assert.deepEqual(readdirSync(TEMPLATES).sort(), Object.keys(EXPECTED).sort())
  for (const [name, f] of Object.entries(EXPECTED)) {
    const dir = join(TEMPLATES, name)
    const code = readFileSync(join(dir, f.code), 'utf8')
    assert.match(code, /createHandler\(\{ \.\.\.configFromEnv\(/, `${name}: builds the handler from the platform's environment`)
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    assert.match(readme, /```sh\n[^`]+\n```/, `${name}: deploy commands`)
    assert.match(readme, /curl -s -X POST \S+\/v1\/usersig -H "authorization: Bearer \$JWT"/, `${name}: the curl to try it`)
    // A secret is only ever named (a binding, ${env:…}, {{resolve:…}}), never given a value in the folder.
    for (const file of [f.code, f.config]) {
      const text = readFileSync(join(dir, file), 'utf8')
      for (const m of text.matchAll(/USERSIG_(?:SECRET_KEY|JWT_SECRET)\s*[:=]\s*(.*)/g)) {
        assert.match(m[1]!, /^['"]?(\$\{env:|\{\{resolve:)/, `${name}/${file} gives a secret a value`)
      }
      assert.doesNotMatch(text, /\b[0-9a-f]{64}\b/, `${name}/${file} holds something key-shaped`)
    }
  }
})
