/** The console's pure parts in Node: message tables, language choice, the metrics parser, the redacted report. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, decodeUserSig } from 'usersig'
import { en } from '../src/app/messages/en.js'
import { zhCN } from '../src/app/messages/zh-CN.js'
import { detectLang, setLang, t, tMaybe } from '../src/app/i18n.js'
import { interestingSamples, parseMetrics } from '../src/app/admin-api.js'
import { redactedReport } from '../src/app/report.js'

test('zh-CN has every English key, none empty, with the same {placeholders}', () => {
  for (const [key, value] of Object.entries(en)) {
    const zh = zhCN[key]
    assert.equal(typeof zh, 'string', `zh-CN misses ${key}`)
    assert.notEqual(zh!.trim(), '', key)
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    assert.deepEqual(ph(zh!), ph(value), `placeholders of ${key}`)
  }
})

test('language: any zh-* preference gives zh-CN, else English; lookups fill placeholders', () => {
  assert.equal(detectLang(['zh-CN']), 'zh-CN')
  assert.equal(detectLang(['zh-TW', 'en']), 'zh-CN')
  assert.equal(detectLang(['fr-FR', 'en-US']), 'en')
  assert.equal(detectLang(['de']), 'en')
  assert.equal(detectLang([]), 'en')
  setLang('zh-CN')
  assert.equal(t('dbg.tencentCode', { code: 70001 }), '腾讯云错误码 70001')
  assert.equal(tMaybe('finding.EXPIRED'), 'UserSig 已过期。')
  setLang('en')
  assert.equal(tMaybe('finding.EXPIRED'), undefined, 'English shows the core’s own text')
  assert.equal(t('countdown.left', { d: '1h' }), 'valid for 1h')
})

test('metrics: Prometheus text with labels, escapes, histograms; runtime metrics hidden by default', () => {
  const text = [
    '# HELP usersig_issued_total UserSigs issued',
    '# TYPE usersig_issued_total counter',
    'usersig_issued_total{sdkAppId="1400000000",kind="usersig"} 3',
    'usersig_issued_total{sdkAppId="1400000000",kind="a \\"quoted\\" one"} 1',
    '# TYPE usersig_http_request_duration_seconds histogram',
    'usersig_http_request_duration_seconds_bucket{le="0.1"} 4',
    'usersig_http_request_duration_seconds_sum 0.25',
    'usersig_http_request_duration_seconds_count 4',
    '# TYPE process_cpu_seconds_total counter',
    'process_cpu_seconds_total 1.5 1700000000000',
    'garbage line',
    '',
  ].join('\n')
  const s = parseMetrics(text)
  assert.equal(s.length, 6)
  assert.deepEqual(s[0], { name: 'usersig_issued_total', labels: { sdkAppId: '1400000000', kind: 'usersig' }, value: 3, type: 'counter', help: 'UserSigs issued' })
  assert.equal(s[1]!.labels['kind'], 'a "quoted" one')
  assert.equal(s[2]!.type, 'histogram')
  const shown = interestingSamples(s, false).map((x) => x.name)
  assert.deepEqual(shown, ['usersig_issued_total', 'usersig_issued_total', 'usersig_http_request_duration_seconds_count'])
  assert.ok(interestingSamples(s, true).some((x) => x.name === 'process_cpu_seconds_total'))
})

test('redacted report: fields, times and verdict; no signature, no userbuf bytes, no token', () => {
  const key = 'ab'.repeat(32)
  const token = createSigner({ sdkAppId: 1400000000, secretKey: key }).privateMapKey('alice', { roomId: 1234, privileges: 'audience', now: 1700000000, expiresIn: 600 })
  const d = decodeUserSig(token)
  const r = redactedReport({ decoded: d, now: 1700000100, tokenLength: token.length, verdict: { verdict: 'valid' }, findings: [{ code: 'IS_PRIVATE_MAP_KEY', severity: 'info', message: 'm' }] })
  const json = JSON.stringify(r)
  assert.ok(!json.includes(d.signature))
  assert.ok(!json.includes(token))
  assert.ok(!json.includes(key))
  const dec = r['decoded'] as Record<string, any>
  assert.equal(dec['signature'], '[redacted]')
  assert.equal(dec['issuedAt'], '2023-11-14T22:13:20.000Z')
  assert.equal(dec['secondsLeft'], 500)
  assert.equal(dec['privateMapKey'].roomId, 1234)
  assert.equal(dec['privateMapKey'].privileges, 42)
  assert.ok(!('userBuf' in dec), 'the userbuf bytes are left out')
})
