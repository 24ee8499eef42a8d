/** A few helpers to build the page's elements (no framework: the page is small). */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** Replaces the children of `parent` (null and false are skipped). */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** A table of `rows` under `headers`; columns flagged numeric are right-aligned. */
export function dataTable(
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): HTMLTableElement {
  return h(
    'table',
    { class: 'data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((text, i) => h('th', { scope: 'col', class: numeric[i] ? 'num' : undefined }, text)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h('tr', {}, ...row.map((text, i) => (i === 0 ? h('th', { scope: 'row' }, text) : h('td', { class: numeric[i] ? 'num' : undefined }, text)))),
      ),
    ),
  );
}

/** The chart's figures as a table, shown on demand (a disclosure: keyboard and screen readers know it). */
export function tableOnDemand(table: HTMLTableElement): HTMLDetailsElement {
  return h('details', { class: 'as-table' }, h('summary', {}, 'Show the figures as a table'), table);
}
