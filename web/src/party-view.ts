/** Party view: a party's positions on all its topics at a date, and what changed since another date. */
import { api, type Change, type Evidence, type Names, type Party } from './api.js';
import { DateField } from './date-field.js';
import { addMonths, longDate } from './dates.js';
import { byId, type Child, fill, h, setOptions } from './dom.js';
import { eventDetails } from './event-details.js';
import { evidenceButton, positionCard, stanceBadge } from './position-card.js';

const KIND_LABELS: Record<Change['kind'], string> = {
  proposed: 'Proposed',
  'withdrew-proposal': 'Withdrew its proposal',
  demanded: 'Demanded',
  'withdrew-demand': 'Withdrew its demand',
  'demand-met': 'Its demand was met',
  threatened: 'Threatened to',
  'withdrew-threat': 'Withdrew its threat',
  conceded: 'Conceded',
  acted: 'Acted',
  agreed: 'Agreed',
  'left-agreement': 'Withdrew from',
  'signer-left': 'A co-signer withdrew from an agreement:',
  reacted: 'Reacted to a decision',
  'reaction-received': 'Another party reacted to its decision',
  responded: 'Answered a proposal or demand',
  'received-response': 'Got an answer',
  'stance-moved': 'Stance moved',
  'demand-received': 'Was asked',
  'threat-received': 'Was threatened',
  'proposal-closed': 'A proposal closed',
  'demand-closed': 'A demand closed',
  'threat-closed': 'A threat closed',
  'concession-closed': 'A concession closed',
};

export class PartyView {
  private readonly select = byId<HTMLSelectElement>('party-select');
  private readonly at = new DateField('party-at');
  private readonly since = new DateField('party-since');
  private readonly knownAt = byId<HTMLInputElement>('party-known-at');
  private readonly knownAtInput = new DateField('party-known-at-date');
  private request = 0;

  constructor(
    private readonly names: Names,
    private readonly showError: (error: unknown) => void,
    /** Told the party and dates shown, for the page's address. */
    private readonly onState: (state: {
      party: string;
      at: string;
      since: string;
      knownAt: string | undefined;
    }) => void,
  ) {
    this.select.addEventListener('change', () => this.refresh());
    for (const field of [this.at, this.since]) field.onChange(() => this.refresh());
    this.knownAt.addEventListener('change', () => {
      if (this.knownAt.checked && !this.knownAtInput.value) this.knownAtInput.value = this.at.value;
      this.refresh();
    });
    this.knownAtInput.onChange(() => {
      this.knownAt.checked = true;
      this.refresh();
    });
  }

  setParties(parties: readonly Party[]): void {
    setOptions(
      this.select,
      parties.map((p) => ({ value: p.slug, label: p.name })),
      'russia',
    );
  }

  /**
   * Opens on a party and date (default: the topic view's), comparing with six months before unless
   * told, as publicly known on `knownAt` if given (the address's, shared with the topic view).
   */
  show(party: string | undefined, day: string, since: string | undefined, knownAt: string | undefined): void {
    if (party && [...this.select.options].some((o) => o.value === party)) this.select.value = party;
    this.at.value = day;
    this.since.value = since ?? addMonths(day, -6);
    this.knownAt.checked = !!knownAt;
    this.knownAtInput.value = knownAt ?? '';
    this.refresh();
  }

  /** The "as publicly known on" date, if that is asked for. */
  private knownAtDay(): string | undefined {
    return this.knownAt.checked && this.knownAtInput.value ? this.knownAtInput.value : undefined;
  }

  private refresh(): void {
    void this.load().catch(this.showError);
  }

  private async load(): Promise<void> {
    const party = this.select.value;
    const at = this.at.value;
    const since = this.since.value;
    const knownAt = this.knownAtDay();
    if (!party || !at || !since) return;
    this.onState({ party, at, since, knownAt });
    const request = ++this.request;
    const [from, to] = since <= at ? [since, at] : [at, since];
    const [{ positions }, { topics }] = await Promise.all([
      api.partyPositions(party, at, knownAt),
      api.changes(party, from, to, knownAt),
    ]);
    if (request !== this.request) return;
    // The quote opens right under the button that asked for it, and closes on a second press.
    const onEvidence = (e: Evidence, button: HTMLButtonElement) => {
      const open = button.nextElementSibling?.classList.contains('event-details');
      if (open) button.nextElementSibling!.remove();
      else button.after(eventDetails(e, this.names));
      button.setAttribute('aria-expanded', String(!open));
    };
    // The event a line answers opens the same way, read from the log by its id.
    const onEvent = (id: string, button: HTMLButtonElement) =>
      void api
        .event(id)
        .then((event) => onEvidence({ ...event, eventId: event.id }, button))
        .catch(this.showError);
    const known = knownAt ? `, as publicly known on ${longDate(knownAt)}` : '';
    fill(byId('party-positions-heading'), `Positions of ${this.names.party(party)} on ${longDate(at)}${known}`);
    fill(
      byId('party-cards'),
      positions.length
        ? positions.map((p) => positionCard(p, { title: 'topic', names: this.names, onEvidence, onEvent }))
        : h('p', { class: 'muted' }, 'No recorded position on any topic by then.'),
    );
    fill(byId('party-changes-heading'), `What changed from ${longDate(from)} to ${longDate(to)}${known}`);
    fill(
      byId('party-changes'),
      topics.length
        ? topics.map((t) =>
            h(
              'section',
              { class: 'changes', 'data-topic': t.topic },
              h('h4', {}, t.title),
              h(
                'ol',
                {},
                t.changes.map((c) =>
                  h(
                    'li',
                    { 'data-kind': c.kind },
                    ...this.describe(c),
                    ' ',
                    evidenceButton(c.evidence, this.names, onEvidence),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing changed in between.'),
    );
  }

  private describe(change: Change): Child[] {
    // The item as it was called on the change's own day (the answer's title), not at the later date.
    const item = change.item ? (change.title ?? change.item) : undefined;
    const label = h('strong', {}, KIND_LABELS[change.kind]);
    switch (change.kind) {
      case 'stance-moved':
        return [
          label,
          ` on ${item ?? 'the topic as a whole'}: `,
          stanceBadge(change.from ?? 'unknown'),
          ' → ',
          stanceBadge(change.to ?? 'unknown'),
          change.detail ? ` (${change.detail})` : '',
        ];
      case 'signer-left':
        return [label, ` ${this.names.party(change.detail ?? '')}`];
      case 'responded':
        return [label, ` of ${this.names.party(change.detail ?? '')} on ${item}: `, stanceBadge(change.to ?? '')];
      case 'received-response':
        return [label, ` from ${this.names.party(change.detail ?? '')} on ${item}: `, stanceBadge(change.to ?? '')];
      case 'proposal-closed':
      case 'demand-closed':
      case 'threat-closed':
      case 'concession-closed':
        return [label, item ? ` on ${item}: ` : ': ', stanceBadge(change.to ?? '')];
      default:
        return [label, change.detail ? ` ${change.detail}` : item ? ` ${item}` : ''];
    }
  }
}
