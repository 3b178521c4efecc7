/** The console's pure parts in Node: message tables, language choice, the metrics parser, the redacted report. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSigner, decodedToJson, decodeUserSig } from 'usersig'
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
  // A fact, not a verdict (issue 15 §4): "expires in", not "valid for".
  assert.equal(t('countdown.left', { d: '1h' }), 'expires in 1h')
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
  assert.equal(dec['issuedAt'], 1700000000)
  assert.equal((r['times'] as Record<string, unknown>)['issuedAt'], '2023-11-14T22:13:20.000Z')
  assert.equal((r['times'] as Record<string, unknown>)['secondsLeft'], 500)
  assert.equal(dec['userId'], 'alice')
  assert.equal(dec['privateMapKey'].userId, 'alice')
  assert.equal(dec['fields']['TLS.sig'], '[redacted]')
  assert.equal(dec['fields']['TLS.userbuf'], '[redacted]')
  assert.equal(dec['privateMapKey'].roomId, 1234)
  assert.equal(dec['privateMapKey'].privileges, 42)
  assert.equal(dec['userBuf'], '[redacted]', 'the userbuf bytes are left out')
  assert.ok(!json.includes(decodedToJson(d).userBuf!), 'no userbuf bytes anywhere')
})

test('metrics history: per-minute counts over a one-minute window, denied by reason, latency percentiles, restarts', async () => {
  const { MetricsHistory, snapshot, percentileMs } = await import('../src/app/metrics-history.js')
  const text = (issued: number, denied: number, fast: number, slow: number): string => [
    '# TYPE usersig_issued_total counter',
    `usersig_issued_total{sdkAppId="1",kind="usersig"} ${issued}`,
    '# TYPE usersig_denied_total counter',
    `usersig_denied_total{reason="RATE_LIMITED",kind="usersig"} ${denied}`,
    `usersig_denied_total{reason="INVALID_USERID",kind="adminUserSig"} 1`,
    '# TYPE usersig_rate_limited_total counter',
    `usersig_rate_limited_total{scope="user"} ${denied}`,
    '# TYPE usersig_http_request_duration_seconds histogram',
    `usersig_http_request_duration_seconds_bucket{le="0.001",method="POST",route="/v1/usersig",status_code="200"} ${fast}`,
    `usersig_http_request_duration_seconds_bucket{le="0.01",method="POST",route="/v1/usersig",status_code="200"} ${fast + slow}`,
    `usersig_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/usersig",status_code="200"} ${fast + slow}`,
  ].join('\n')
  const h = new MetricsHistory()
  h.add(snapshot(parseMetrics(text(0, 0, 0, 0)), 1000))
  h.add(snapshot(parseMetrics(text(10, 2, 90, 10)), 1030))
  h.add(snapshot(parseMetrics(text(25, 2, 90, 10)), 1100))
  assert.deepEqual(h.issuedPerMinute(), [0, 10, 15], 'the window starts at the newest snapshot a minute older')
  assert.deepEqual(h.rateLimitedPerMinute(), [0, 2, 0])
  const denied = h.deniedPerMinute()
  assert.deepEqual(denied.map((d) => d.reason), ['RATE_LIMITED', 'INVALID_USERID'], 'the busiest reason first')
  assert.deepEqual(denied[0]!.values, [0, 2, 0])
  const p50 = h.latencyMs(0.5)
  assert.equal(p50[0], null, 'no request, no percentile')
  assert.ok(Math.abs(p50[1]! - 0.5556) < 0.001, `p50 inside the first bucket: ${p50[1]}`)
  assert.ok(p50[2] === null, 'no request in the last minute')
  assert.ok(Math.abs(h.latencyMs(0.99)[1]! - 9.1) < 0.01, 'p99 inside the second bucket')
  // The open +Inf bucket reports its lower bound.
  assert.equal(percentileMs([[0.01, 0], [Infinity, 5]], [], 0.5), 10)
  // A restart (counters went down) starts again rather than charting negative numbers.
  h.add(snapshot(parseMetrics(text(1, 0, 1, 0)), 1110))
  assert.equal(h.snapshots.length, 1)
  assert.deepEqual(h.issuedPerMinute(), [0])
})

test('message tables: zh-CN uses full-width brackets and spaced units; the units read "5 分钟"', () => {
  for (const [key, value] of Object.entries(zhCN)) {
    if (key === 'field.strRoomId.help' || value === undefined) continue
    assert.ok(!/[\u3400-\u9fff]\s*[()]|[()]\s*[\u3400-\u9fff]/.test(value), `${key}: half-width bracket in ${value}`)
  }
  setLang('zh-CN')
  try {
    assert.equal(t('unit.m', { n: 5 }), '5 分钟')
    assert.equal(t('countdown.left', { d: '5 分钟' }), '5 分钟后过期')
  } finally {
    setLang('en')
  }
})
