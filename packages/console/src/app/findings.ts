/**
 * A check's result as the page shows it, wherever the check ran (the debugger in the page, Admin in the service):
 * the verdict, one line of summary, the key fingerprint, and each finding with its cause and fix.
 */
import { h } from './dom.js'
import { t, tMaybe } from './i18n.js'
import type { ExplainResult } from './core.js'
import type { ReportFinding } from './report.js'

export interface Finding extends ReportFinding {
  fix?: string | undefined
}

export interface CheckResult {
  verdict: 'valid' | 'invalid' | 'unknown'
  reason?: string | undefined
  tencentCode?: number | undefined
  summary?: string | undefined
  keyId?: string | undefined
  findings: Finding[]
  expected?: { sdkAppId?: number | undefined; userId?: string | undefined }
}

/** The verdict line (`#<prefix>-verdict`), the summary, the key fingerprint and the findings (`#<prefix>-findings`). */
export function verdictBlock(r: CheckResult, prefix: string): Node[] {
  const verdictText = r.verdict === 'valid' ? t('verdict.valid') : r.verdict === 'invalid' ? t('verdict.invalid') : t('verdict.unknown')
  return [
    h('p', { class: `verdict verdict-${r.verdict}`, id: `${prefix}-verdict`, 'data-verdict': r.verdict },
      h('strong', null, verdictText),
      r.reason ? [' · ', h('code', { 'data-field': 'reason' }, r.reason)] : null,
      r.tencentCode !== undefined ? [' · ', h('span', { 'data-field': 'tencentCode' }, t('dbg.tencentCode', { code: r.tencentCode }))] : null),
    r.summary ? summaryLine(r, `${prefix}-summary`) : null,
    r.keyId ? h('p', null, t('dbg.keyId'), ' ', h('code', { 'data-field': 'keyId' }, r.keyId)) : null,
    findingsList(r.findings, `${prefix}-findings`),
  ].filter((n): n is HTMLElement => n !== null)
}

export function findingsList(findings: readonly Finding[], id: string): HTMLElement {
  if (findings.length === 0) return h('p', { class: 'muted', id }, t('dbg.noFindings'))
  return h('ul', { class: 'findings', id },
    findings.map((f) => h('li', { class: `finding sev-${f.severity}`, 'data-code': f.code },
      h('div', { class: 'finding-head' },
        h('span', { class: 'sev' }, tMaybe(`sev.${f.severity}`) ?? f.severity), ' ',
        h('code', null, f.code),
        f.tencentCode !== undefined ? h('span', { class: 'tc' }, t('dbg.tencentCode', { code: f.tencentCode })) : null),
      findingText(f),
    )))
}

/**
 * A finding's cause and fix. In a language with a translation for the code, the translated cause comes first and
 * the core's own (English, specific: dates, ids) message follows as detail.
 */
function findingText(f: Finding): Node[] {
  const cause = tMaybe(`finding.${f.code}`)
  const fix = tMaybe(`finding.${f.code}.fix`)
  const out: Node[] = [
    h('p', { class: 'cause' }, h('span', { class: 'label' }, t('dbg.cause')), ' ', cause ?? f.message),
  ]
  if (cause) out.push(h('p', { class: 'detail', lang: 'en' }, f.message))
  if (f.fix) out.push(h('p', { class: 'fix' }, h('span', { class: 'label' }, t('dbg.fix')), ' ', fix ?? f.fix))
  return out
}

/**
 * One line under the verdict in the page's language: the verify reason, else the first error finding, else the
 * verdict's own line; the core's English summary only where the language has none of these.
 */
function summaryLine(r: CheckResult, id: string): HTMLElement {
  const firstError = r.findings.find((f) => f.severity === 'error')
  const text = (r.reason ? tMaybe(`reason.${r.reason}`) : undefined)
    ?? (r.verdict === 'invalid' && firstError ? tMaybe(`finding.${firstError.code}`) : undefined)
    ?? tMaybe(`summary.${r.verdict}`)
  return h('p', { class: 'summary', id }, text ?? r.summary ?? '')
}

/** An explanation from the core (in the page or from the service's /v1/explain) as a check result. */
export function fromExplain(x: Pick<ExplainResult, 'verdict' | 'tencentCode' | 'summary' | 'keyId' | 'findings'>): CheckResult {
  return {
    keyId: x.keyId,
    verdict: x.verdict,
    tencentCode: x.tencentCode,
    summary: x.summary,
    findings: x.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix, tencentCode: f.tencentCode })),
  }
}
