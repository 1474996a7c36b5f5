/**
 * The whole state of the page in its address, so a view can be shared or cited:
 * #view=topic&topic=missile-defense-europe&at=2007-10-14&knownAt=2007-10-20&party=russia&since=2007-06-01.
 * The older addresses (#topic=missile-defense-europe, #party=russia, #relations) still open their view.
 */
export const VIEWS = ['topic', 'party', 'relations'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface PageState {
  readonly view: ViewName;
  readonly topic?: string;
  readonly party?: string;
  /** The date of the positions (the slider's date, the party view's date). */
  readonly at?: string;
  /** "As publicly known on": counts only what was reported by then. */
  readonly knownAt?: string;
  /** The comparison date: what changed between it and `at`. */
  readonly since?: string;
}

const KEYS = ['topic', 'party', 'at', 'knownAt', 'since'] as const;
const isView = (value: string | null): value is ViewName => VIEWS.includes(value as ViewName);

export function readState(hash: string): PageState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const view = params.get('view');
  if (!isView(view)) {
    // An older address: the view's name, and its subject after "=".
    const [first, subject] = [...params.entries()][0] ?? ['topic', ''];
    const old = isView(first) ? first : 'topic';
    return { view: old, ...(subject && old !== 'relations' ? { [old]: subject } : {}) };
  }
  const state: Record<string, string> = { view };
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) state[key] = value;
  }
  return state as unknown as PageState;
}

export function stateHash(state: PageState): string {
  const params = new URLSearchParams({ view: state.view });
  for (const key of KEYS) if (state[key]) params.set(key, state[key]);
  return `#${params.toString()}`;
}
