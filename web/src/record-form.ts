/**
 * Records an event from the page: a report that came in, or a correction or retraction of the
 * selected event. The fields of each type are read from the API's own OpenAPI document (the body
 * schema POST /events documents for that type), so the form never holds a copy of the rules: the
 * server alone judges the body, and its answer's `errors` are shown beside the fields they name.
 * The recorded event then arrives on the page through the live stream, as anyone's would.
 */
import type { components } from '../../client/stance-api.js';
import { EVENT_TYPES, type EventType } from '../../src/diplomacy/domain/events/events.js';
import { api, type Names, type Party, type RecordedEvent } from './api.js';
import { shortOccurred } from './dates.js';
import { type Child, fill, h } from './dom.js';
import { TYPE_STYLES } from './event-types.js';

type ProblemAnswer = components['schemas']['ProblemAnswer'];

/** The part of JSON Schema the document's body schemas use. */
export interface FieldSchema {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly required?: readonly string[];
  readonly items?: FieldSchema;
  readonly anyOf?: readonly FieldSchema[];
  readonly description?: string;
  readonly maxLength?: number;
  readonly format?: string;
  readonly example?: unknown;
}

/** Fields the form fills itself: the topic shown, the type picked; the rest are for programs. */
const SET_BY_THE_FORM = new Set(['topic', 'type', 'id', 'expectedVersion']);
/** Fields naming parties or items get pickers that search the catalog (by the field's own name). */
const PARTY_FIELDS = new Set(['actor', 'targets', 'parties']);
const ITEM_FIELDS = new Set(['item', 'itemParent']);
/** A text longer than this gets a text area. */
const LONG_TEXT = 500;
const TOKEN_KEY = 'stance.apiToken';

/** The records about records: they answer the selected event. */
const ABOUT_SELECTED: readonly EventType[] = ['correction', 'retraction'];

const words = (name: string) => {
  const spaced = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};
const fieldId = (path: string) => `record-${path.replace(/\./g, '-')}`;

/** An optional field is documented as "the value or null": the value's schema. */
function valueSchema(schema: FieldSchema): FieldSchema {
  return schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
}

/** Sets a value in a nested body by its path ("source.publisher"). */
function put(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = body;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  target[keys.at(-1)!] = value;
}

export interface RecordFormContext {
  readonly names: Names;
  readonly parties: readonly Party[];
}

export class RecordForm {
  private readonly form: HTMLFormElement;
  private readonly typeSelect: HTMLSelectElement;
  private readonly token: HTMLInputElement;
  private readonly fields: HTMLElement;
  private readonly status: HTMLElement;
  private schemas = new Map<EventType, FieldSchema>();
  private topic = '';
  private items: { slug: string; title: string }[] = [];
  private events: RecordedEvent[] = [];
  private selected: RecordedEvent | null = null;

  constructor(
    container: HTMLElement,
    private readonly context: RecordFormContext,
  ) {
    this.typeSelect = h('select', { id: 'record-type' });
    this.token = h('input', {
      type: 'password',
      id: 'record-token',
      autocomplete: 'off',
      'aria-describedby': 'record-token-hint',
    });
    this.token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
    this.token.addEventListener('input', () => sessionStorage.setItem(TOKEN_KEY, this.token.value));
    this.fields = h('div', { class: 'record-fields' });
    this.status = h('p', { class: 'record-status', role: 'status' });
    // novalidate: the server owns every rule; the browser's own checks would only duplicate some.
    this.form = h(
      'form',
      { class: 'record-form', novalidate: true, 'aria-labelledby': 'record-heading' },
      h(
        'div',
        { class: 'field', 'data-field': 'authorization' },
        h('label', { for: 'record-token' }, 'API token'),
        this.token,
        h(
          'p',
          { class: 'hint', id: 'record-token-hint' },
          'Writes need the token the server printed at start (API_TOKEN); it is kept for this tab only.',
        ),
      ),
      h('div', { class: 'field' }, h('label', { for: 'record-type' }, 'Type'), this.typeSelect),
      this.fields,
      h('div', { class: 'record-errors', role: 'alert', id: 'record-errors' }),
      h('button', { type: 'submit', class: 'primary' }, 'Record the event'),
      this.status,
    );
    this.typeSelect.addEventListener('change', () => this.renderFields());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    fill(container, this.form);
  }

  /** Reads each type's body schema from the document the server serves. */
  async load(): Promise<void> {
    const document = await api.document<FieldSchema>();
    const body = document.paths['/events'].post.requestBody.content['application/json'].schema;
    for (const type of EVENT_TYPES) {
      const ref = body.discriminator.mapping[type];
      const schema = ref && document.components.schemas[ref.replace('#/components/schemas/', '')];
      if (schema) this.schemas.set(type, schema);
    }
    fill(
      this.typeSelect,
      [...this.schemas.keys()].map((type) => h('option', { value: type }, TYPE_STYLES[type].label)),
    );
    this.typeSelect.value = 'statement';
    this.renderFields();
  }

  /** The topic the event is about, its items and events (for the pickers); what is typed stays. */
  async setTopic(topic: string, events: readonly RecordedEvent[]): Promise<void> {
    this.events = [...events];
    if (topic !== this.topic) {
      this.topic = topic;
      this.items = [...(await api.topic(topic)).items];
      this.renderFields();
    } else this.refreshPickers();
  }

  /** The item and event pickers' lists, anew: a live event may have put an item or an event on the table. */
  private refreshPickers(): void {
    void api
      .topic(this.topic)
      .then(({ items }) => {
        this.items = [...items];
        for (const control of this.fields.querySelectorAll<HTMLInputElement>('input[list]')) {
          const name = control.dataset.path!.split('.').at(-1)!;
          const list = this.fields.querySelector(`#${control.getAttribute('list')}`);
          if (list)
            fill(
              list,
              this.pickerOptions(name).map((o) => h('option', { value: o.value, label: o.label })),
            );
        }
      })
      .catch(() => undefined); // the lists stay as they were; the form still works
  }

  private pickerOptions(name: string): { value: string; label: string }[] {
    return PARTY_FIELDS.has(name)
      ? this.context.parties.map((p) => ({ value: p.slug, label: p.name }))
      : ITEM_FIELDS.has(name)
        ? this.items.map((i) => ({ value: i.slug, label: i.title }))
        : this.events.map((e) => ({
            value: e.key ?? e.id,
            label: `${this.context.names.party(e.actor)}, ${shortOccurred(e.occurred)}: ${e.summary}`,
          }));
  }

  /** The selected event: a correction or retraction answers it. */
  select(event: RecordedEvent | null): void {
    this.selected = event;
    const type = this.typeSelect.value as EventType;
    if (ABOUT_SELECTED.includes(type)) this.renderFields();
  }

  /** Opens the form as a correction or retraction of the selected event. */
  answerSelected(type: 'correction' | 'retraction'): void {
    this.form.closest('details')?.setAttribute('open', '');
    this.typeSelect.value = type;
    this.renderFields();
    this.typeSelect.focus();
  }

  private renderFields(): void {
    const type = this.typeSelect.value as EventType;
    const schema = this.schemas.get(type);
    if (!schema) return;
    const answering = ABOUT_SELECTED.includes(type) ? this.selected : null;
    fill(
      this.fields,
      ABOUT_SELECTED.includes(type)
        ? h(
            'p',
            { class: 'hint', id: 'record-answers' },
            answering
              ? `About the selected event: ${this.context.names.party(answering.actor)}, ${shortOccurred(answering.occurred)}: ${answering.summary}`
              : 'Select the event to correct or retract on the timeline or in the list.',
          )
        : null,
      this.objectFields(schema, ''),
    );
    // What a correction or retraction must repeat of the event it answers.
    if (answering) {
      this.setValue('refersTo', answering.id);
      this.setValue('actor', answering.actor);
    }
    this.clearErrors();
  }

  /** `optionalGroup`: the group the fields belong to may be left out whole (a speaker), and its required fields with it. */
  private objectFields(schema: FieldSchema, prefix: string, optionalGroup?: string): Child[] {
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties ?? {})
      .filter(([name]) => prefix || !SET_BY_THE_FORM.has(name))
      .map(([name, field]) =>
        this.field(`${prefix}${name}`, name, valueSchema(field), required.has(name), optionalGroup),
      );
  }

  private field(
    path: string,
    name: string,
    schema: FieldSchema,
    required: boolean,
    optionalGroup?: string,
  ): HTMLElement {
    const id = fieldId(path);
    const need = optionalGroup ? ` (required with a ${optionalGroup})` : ' (required)';
    const label = `${words(name)}${required ? need : ''}`;
    if (schema.type === 'object' && schema.properties) {
      return h(
        'fieldset',
        { class: 'field-group', 'data-field': path },
        h('legend', {}, label),
        schema.description ? h('p', { class: 'hint' }, schema.description) : null,
        this.objectFields(schema, `${path}.`, required ? optionalGroup : words(name).toLowerCase()),
      );
    }
    const hintId = `${id}-hint`;
    const hint = schema.description ? h('p', { class: 'hint', id: hintId }, schema.description) : null;
    const common = {
      id,
      'data-path': path,
      'aria-required': required ? 'true' : false,
      'aria-describedby': hint ? hintId : false,
    };
    let control: HTMLElement;
    let list: HTMLElement | null = null;
    if (schema.type === 'boolean') {
      control = h('input', { ...common, type: 'checkbox' });
      return h('div', { class: 'field check', 'data-field': path }, control, h('label', { for: id }, label), hint);
    } else if (schema.type === 'array' && PARTY_FIELDS.has(name)) {
      return this.partyChecklist(path, label, hint);
    } else if (schema.enum) {
      control = h(
        'select',
        common,
        required ? null : h('option', { value: '' }, '—'),
        schema.enum.map((v) => h('option', { value: v }, v)),
      );
    } else if (PARTY_FIELDS.has(name) || ITEM_FIELDS.has(name) || name === 'refersTo') {
      // A text field with a list to search: the catalog's parties, the topic's items or events.
      const listId = `${id}-options`;
      const options = this.pickerOptions(name);
      list = h(
        'datalist',
        { id: listId },
        options.map((o) => h('option', { value: o.value, label: o.label })),
      );
      control = h('input', { ...common, type: 'text', list: listId, autocomplete: 'off' });
    } else if (schema.type === 'integer') {
      control = h('input', { ...common, type: 'number', step: 1 });
    } else if ((schema.maxLength ?? 0) > LONG_TEXT && !schema.format) {
      control = h('textarea', { ...common, rows: 2 });
    } else {
      const example = typeof schema.example === 'string' ? `e.g. ${schema.example}` : false;
      control = h('input', { ...common, type: 'text', placeholder: example });
    }
    return h('div', { class: 'field', 'data-field': path }, h('label', { for: id }, label), control, list, hint);
  }

  /** Several parties: a box per party, and a search that narrows the boxes to the names that match. */
  private partyChecklist(path: string, label: string, hint: HTMLElement | null): HTMLElement {
    const id = fieldId(path);
    const search = h('input', {
      type: 'search',
      id: `${id}-search`,
      class: 'checklist-search',
      placeholder: 'Search parties',
      'aria-label': `Search the parties for ${label.toLowerCase()}`,
      autocomplete: 'off',
    });
    const boxes = this.context.parties.map((p) =>
      h(
        'label',
        { class: 'checklist-entry', 'data-name': `${p.name} ${p.slug}`.toLowerCase() },
        h('input', { type: 'checkbox', value: p.slug, 'data-list': path }),
        ` ${p.name}`,
      ),
    );
    search.addEventListener('input', () => {
      const wanted = search.value.trim().toLowerCase();
      for (const box of boxes) box.hidden = !!wanted && !box.dataset.name!.includes(wanted);
    });
    return h(
      'fieldset',
      { class: 'field-group checklist', 'data-field': path, id },
      h('legend', {}, label),
      hint,
      search,
      h('div', { class: 'checklist-boxes' }, boxes),
    );
  }

  private setValue(path: string, value: string): void {
    const control = this.fields.querySelector<HTMLInputElement>(`[data-path="${path}"]`);
    if (control) control.value = value;
  }

  /** The body: every field given, nested by its path; empty fields are left out. */
  private body(): Record<string, unknown> {
    const body: Record<string, unknown> = { topic: this.topic, type: this.typeSelect.value };
    for (const control of this.fields.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      '[data-path]',
    )) {
      let value: unknown;
      if (control instanceof HTMLInputElement && control.type === 'checkbox') value = control.checked || undefined;
      else if (control instanceof HTMLInputElement && control.type === 'number')
        value = control.value === '' ? undefined : Number(control.value);
      else value = control.value.trim() || undefined;
      if (value === undefined) continue;
      put(body, control.dataset.path!, value);
    }
    for (const list of this.fields.querySelectorAll<HTMLFieldSetElement>('fieldset.checklist')) {
      const chosen = [...list.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:checked')].map((c) => c.value);
      if (chosen.length) put(body, list.dataset.field!, chosen);
    }
    return body;
  }

  private async submit(): Promise<void> {
    this.clearErrors();
    this.status.textContent = 'Recording…';
    const answer = await api.record(this.body(), this.token.value.trim());
    if (answer.ok) {
      this.status.textContent = `Recorded: ${answer.event.summary} (it appears on the timeline as the live stream brings it).`;
      this.renderFields();
      return;
    }
    this.status.textContent = '';
    this.showErrors(answer.problem);
  }

  private clearErrors(): void {
    for (const error of this.form.querySelectorAll('.field-error')) error.remove();
    for (const control of this.form.querySelectorAll('[aria-invalid]')) {
      control.removeAttribute('aria-invalid');
      const describedBy = control.getAttribute('aria-describedby')?.replace(/\s*\S+-error$/, '');
      if (describedBy) control.setAttribute('aria-describedby', describedBy);
      else control.removeAttribute('aria-describedby');
    }
    fill(this.form.querySelector('.record-errors')!);
  }

  /**
   * Each problem beside the field it names ("source.publishedAt", "payload.item"): on the field,
   * or on the nearest group that holds it; what names no field shown shows above the button.
   */
  private showErrors(problem: ProblemAnswer): void {
    const unplaced: string[] = [];
    const fieldProblems =
      problem.statusCode === 401
        ? [{ field: 'authorization', problem: problem.message }]
        : (problem.errors ?? [{ field: 'body', problem: problem.message }]);
    let first: HTMLElement | null = null;
    for (const { field, problem: text } of fieldProblems) {
      const holder = this.holderOf(field);
      if (!holder) {
        unplaced.push(field === 'body' ? text : `${field}: ${text}`);
        continue;
      }
      const errorId = `${fieldId(field)}-error`;
      const control = holder.querySelector<HTMLElement>(
        ':scope > input, :scope > select, :scope > textarea, :scope input[type="checkbox"]',
      );
      const message = h(
        'p',
        { class: 'field-error', id: errorId },
        field === holder.dataset.field ? text : `${field}: ${text}`,
      );
      if (holder instanceof HTMLFieldSetElement) holder.querySelector('legend')!.after(message);
      else holder.append(message);
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${errorId}`.trim());
        first ??= control;
      }
    }
    if (unplaced.length)
      fill(
        this.form.querySelector('.record-errors')!,
        h(
          'ul',
          {},
          unplaced.map((text) => h('li', {}, text)),
        ),
      );
    first?.focus();
  }

  /** The field (or the group) an error names: "payload.item", else "payload". */
  private holderOf(field: string): HTMLElement | null {
    const path = field.split('.');
    for (let n = path.length; n > 0; n--) {
      const holder = this.form.querySelector<HTMLElement>(`[data-field="${path.slice(0, n).join('.')}"]`);
      if (holder) return holder;
    }
    return null;
  }
}
