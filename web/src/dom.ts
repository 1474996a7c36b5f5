/** Tiny DOM helpers. Text always goes in as text nodes: quotes from the record are never parsed as HTML. */

export type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces the element's content. */
export function fill(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** An SVG marker drawn from a path in a 16x16 box: shapes render alike whatever fonts exist. */
export function svgMarker(path: string, color: string, size = 14): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const shape = document.createElementNS(ns, 'path');
  shape.setAttribute('d', path);
  shape.setAttribute('fill', color);
  shape.setAttribute('fill-rule', 'evenodd');
  svg.append(shape);
  return svg;
}

/** Replaces the options of a <select>, keeping the chosen value when it still exists. */
export function setOptions(
  select: HTMLSelectElement,
  options: readonly { value: string; label: string }[],
  wanted?: string,
): void {
  const keep = wanted ?? select.value;
  fill(
    select,
    options.map((o) => h('option', { value: o.value }, o.label)),
  );
  if (options.some((o) => o.value === keep)) select.value = keep;
}
