/**
 * A tiny element builder. Text always goes in through text nodes (never innerHTML), because everything the page shows
 * about a token comes from the token itself and may contain markup.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[]

type Handler = (ev: Event) => void
export type Props = Record<string, string | number | boolean | Handler | null | undefined>

const PROPERTY_NAMES = new Set(['value', 'checked', 'disabled', 'readOnly', 'selected'])

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (props) {
    for (const [name, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue
      if (typeof v === 'function') {
        el.addEventListener(name.slice(2).toLowerCase(), v)
      } else if (PROPERTY_NAMES.has(name)) {
        ;(el as unknown as Record<string, unknown>)[name] = v
      } else {
        el.setAttribute(name, v === true ? '' : String(v))
      }
    }
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) append(parent, c)
    else if (typeof c === 'string' || typeof c === 'number') parent.appendChild(document.createTextNode(String(c)))
    else parent.appendChild(c as Node)
  }
}

/** Replaces all children of `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, children)
}

let idCounter = 0
/** A unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1
  return `${prefix}-${idCounter}`
}
