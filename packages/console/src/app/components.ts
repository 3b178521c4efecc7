/** Form building blocks shared by the views: a labelled field with its help text and an error slot next to it. */
import { h, replace, type Child } from './dom.js'

export type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

export interface Field {
  /** The wrapper to put in the form. */
  el: HTMLElement
  control: Control
  /** Shows an error (an optional hint, and the core's own English detail) under the control, or clears it. */
  setError(message?: string, hint?: string, detail?: string): void
}

/** An error's parts as nodes: the message, the hint, and the core's English detail (marked lang="en"). */
export function errorContent(message: string, hint?: string, detail?: string): Node[] {
  return [
    h('span', { class: 'msg' }, message),
    ...(hint ? [h('span', { class: 'hint' }, hint)] : []),
    ...(detail ? [h('span', { class: 'detail', lang: 'en' }, detail)] : []),
  ]
}

export function field(opts: { id: string; label: string; control: Control; help?: string; extra?: Child; inline?: Child }): Field {
  const { id, control } = opts
  control.id = id
  const helpId = `${id}-help`
  const errorId = `${id}-error`
  const describedBy = opts.help ? `${helpId} ${errorId}` : errorId
  control.setAttribute('aria-describedby', describedBy)
  const error = h('div', { class: 'field-error', id: errorId, 'aria-live': 'polite' })
  const el = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, opts.label),
    opts.inline ? h('div', { class: 'with-button' }, control, opts.inline) : control,
    opts.extra,
    opts.help ? h('p', { class: 'help', id: helpId }, opts.help) : null,
    error,
  )
  return {
    el,
    control,
    setError(message?: string, hint?: string, detail?: string) {
      if (message) {
        control.setAttribute('aria-invalid', 'true')
        replace(error, errorContent(message, hint, detail))
      } else {
        control.removeAttribute('aria-invalid')
        replace(error)
      }
    },
  }
}

export function textInput(props: { value: string; onInput: (v: string) => void; type?: string; placeholder?: string; inputmode?: string; autocomplete?: string }): HTMLInputElement {
  const el = h('input', {
    type: props.type ?? 'text',
    value: props.value,
    placeholder: props.placeholder,
    inputmode: props.inputmode,
    autocomplete: props.autocomplete ?? 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
  })
  el.addEventListener('input', () => props.onInput(el.value))
  return el
}

export function textArea(props: { value: string; onInput: (v: string) => void; rows?: number; placeholder?: string; readOnly?: boolean }): HTMLTextAreaElement {
  const el = h('textarea', {
    rows: props.rows ?? 4,
    placeholder: props.placeholder,
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    readOnly: props.readOnly,
  })
  el.value = props.value
  el.addEventListener('input', () => props.onInput(el.value))
  return el
}

/** A secret input (type=password) with a show/hide toggle button; the value lives only in the caller's memory. */
export function secretInput(props: { value: string; onInput: (v: string) => void; showLabel: string; hideLabel: string; id: string }): { input: HTMLInputElement; toggle: HTMLButtonElement } {
  const input = textInput({ value: props.value, onInput: props.onInput, type: 'password', autocomplete: 'off' })
  const toggle = h('button', { type: 'button', class: 'secondary small', 'aria-controls': props.id, 'aria-pressed': 'false' }, props.showLabel)
  toggle.addEventListener('click', () => {
    const show = input.type === 'password'
    input.type = show ? 'text' : 'password'
    toggle.setAttribute('aria-pressed', String(show))
    toggle.textContent = show ? props.hideLabel : props.showLabel
  })
  return { input, toggle }
}

export function radioGroup<V extends string>(opts: {
  name: string
  legend: string
  value: V
  options: readonly { value: V; label: string; id: string }[]
  onChange: (v: V) => void
}): HTMLFieldSetElement {
  return h(
    'fieldset',
    { class: 'radios' },
    h('legend', null, opts.legend),
    opts.options.map((o) => {
      const input = h('input', { type: 'radio', name: opts.name, id: o.id, value: o.value, checked: o.value === opts.value })
      input.addEventListener('change', () => {
        if (input.checked) opts.onChange(o.value)
      })
      return h('label', { class: 'inline', for: o.id }, input, ' ', o.label)
    }),
  )
}

/** Copies text to the clipboard; falls back to selecting a text control and execCommand where the API is missing. */
export async function copyText(text: string, fallbackControl?: HTMLTextAreaElement | HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Permission denied or not a secure context: try the selection route below.
  }
  if (fallbackControl) {
    fallbackControl.focus()
    fallbackControl.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }
  return false
}

/**
 * A wide or long table in a box that scrolls, reachable and scrollable by keyboard: focusable, with a role and a
 * name, so a screen reader says what the scrolling region is (axe's scrollable-region-focusable).
 */
export function scrollRegion(label: string, table: HTMLTableElement): HTMLElement {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label }, table)
}

/**
 * A scrolling region whose table is replaced in place (a polled table): the region keeps the keyboard focus and its
 * scroll position across refreshes.
 */
export function refreshedRegion(label: string): { el: HTMLElement; show(table: HTMLTableElement): void } {
  const el = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label })
  return {
    el,
    show(table) {
      const left = el.scrollLeft
      const top = el.scrollTop
      replace(el, table)
      el.scrollLeft = left
      el.scrollTop = top
    },
  }
}
