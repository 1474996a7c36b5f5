/** A party's position on a topic as a card: what a position holds (docs/architecture.md, "Positions"). */
import type { ClosedView, Evidence, Names, PositionView } from './api.js';
import { longDate, shortOccurred } from './dates.js';
import { type Child, h } from './dom.js';
import { reactionText } from '../../src/diplomacy/domain/positions/position.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export type OnEvidence = (evidence: Evidence, button: HTMLButtonElement) => void;

export interface CardOptions {
  /** The card's title: the party (topic view) or the topic (party view). */
  readonly title: 'party' | 'topic';
  readonly names: Names;
  /** Shows an event's quote, speaker and source; `button` is the one that asked. */
  readonly onEvidence: OnEvidence;
}

export function stanceBadge(stance: string): HTMLElement {
  return h('span', { class: `stance stance-${stance}` }, stance);
}

/** A button naming who said it and when; it shows the quote, speaker and source. */
export function evidenceButton(evidence: Evidence, names: Names, onEvidence: OnEvidence): HTMLElement {
  const who = evidence.speaker?.name ?? names.party(evidence.actor);
  const button = h(
    'button',
    { type: 'button', class: 'evidence', title: 'Show the quote, speaker and source' },
    `${who}, ${shortOccurred(evidence.occurred)}`,
  );
  button.addEventListener('click', () => onEvidence(evidence, button));
  return button;
}

function section(title: string, entries: readonly (Child | Child[])[], className = ''): HTMLElement | null {
  if (entries.length === 0) return null;
  return h(
    'section',
    { class: `card-part ${className}` },
    h('h5', {}, title),
    h(
      'ul',
      {},
      entries.map((e) => h('li', {}, e)),
    ),
  );
}

function parties(slugs: readonly string[], names: Names): string {
  return slugs.map((s) => names.party(s)).join(', ');
}

export function positionCard(position: PositionView, options: CardOptions): HTMLElement {
  const { names } = options;
  const evidence = (e: Evidence) => evidenceButton(e, names, options.onEvidence);
  const title = options.title === 'party' ? position.partyName : position.topicTitle;
  const headingId = `card-${position.party}-${position.topic}`;

  const freezes = position.activeDemands.filter((d) => d.kind === 'freeze_demand');
  // A refused freeze demand is closed, yet its author has not taken it back: it stays with the freezes, marked.
  const refusedFreeze = (c: ClosedView) =>
    c.record === 'demand' && c.status === 'refused' && c.evidence.type === 'freeze_demand';
  const refusedFreezes = position.closed.filter(refusedFreeze);
  const refusedOnIt = position.closedConcerningParty.filter(refusedFreeze);
  const otherClosed = [...position.closed, ...position.closedConcerningParty].filter((c) => !refusedFreeze(c));
  const howClosed = (c: ClosedView): Child[] => [
    ' — ',
    stanceBadge(c.status),
    ` by ${names.party(c.closed.party)} on ${longDate(c.closed.on)} `,
    evidence(c.closed.evidence),
  ];
  const otherDemands = position.activeDemands.filter((d) => d.kind !== 'freeze_demand');
  const known = position.items.filter((i) => i.stance !== 'unknown');
  const unknownCount = position.items.length - known.length;

  const answers = (responses: readonly { party: string; response: string; reason?: string }[]) =>
    responses.length
      ? h(
          'ul',
          { class: 'answers' },
          responses.map((r) =>
            h('li', {}, `${names.party(r.party)}: `, stanceBadge(r.response), r.reason ? ` (${r.reason})` : ''),
          ),
        )
      : null;

  return h(
    'article',
    { class: 'card', 'data-party': position.party, 'data-topic': position.topic, 'aria-labelledby': headingId },
    h('h4', { id: headingId }, h('span', {}, title), ' ', stanceBadge(position.stance)),
    h('p', { class: 'summary' }, position.summary),
    section(
      'Freeze demanded',
      freezes
        .map((d): Child[] => [
          h('strong', {}, `Freeze ${d.what}`),
          d.condition ? ` ${d.condition}` : '',
          ` (of ${parties(d.targets, names)}) `,
          evidence(d.evidence),
          answers(d.responses),
        ])
        .concat(
          refusedFreezes.map((c) => [
            h('strong', {}, `Freeze ${c.what}`),
            ` (of ${parties(c.targets, names)}) `,
            evidence(c.evidence),
            ...howClosed(c),
          ]),
        ),
      'freeze',
    ),
    section(
      'Demands',
      otherDemands.map((d) => [
        `${d.what} (of ${parties(d.targets, names)}) `,
        evidence(d.evidence),
        answers(d.responses),
      ]),
    ),
    section(
      'Demands on it',
      position.demandsOnParty
        .map((d): Child[] => [
          d.kind === 'freeze_demand'
            ? h('strong', {}, `${names.party(d.by)} demands a freeze: ${d.what}`)
            : `${names.party(d.by)}: ${d.what}`,
          ' ',
          evidence(d.evidence),
        ])
        .concat(
          refusedOnIt.map((c) => [
            h('strong', {}, `${names.party(c.by)} demands a freeze: ${c.what}`),
            ' ',
            evidence(c.evidence),
            ...howClosed(c),
          ]),
        ),
      position.demandsOnParty.some((d) => d.kind === 'freeze_demand') || refusedOnIt.length ? 'freeze-on' : '',
    ),
    section(
      'Active threats',
      position.activeThreats.map((t) => [
        `${t.counterMeasure}${t.condition ? ` ${t.condition}` : ''} `,
        evidence(t.evidence),
      ]),
      'threats',
    ),
    section(
      'Open proposals',
      position.openProposals.map((p) => [
        h('strong', {}, p.title),
        `: ${p.terms} `,
        evidence(p.evidence),
        answers(p.responses),
      ]),
    ),
    section(
      'Closed',
      otherClosed.map((c) => [
        `${c.record === 'threat' ? 'Threat to' : c.record === 'demand' ? 'Demand:' : 'Proposal:'} ${c.what} `,
        evidence(c.evidence),
        ...howClosed(c),
      ]),
      'closed',
    ),
    section(
      'Concessions',
      position.concessions.map((c) => [`${c.terms} `, evidence(c.evidence)]),
    ),
    section(
      'Acts and agreements',
      position.acts.map((a) => [
        a.kind === 'agreement' && a.signers?.length
          ? `Signed with ${parties(
              a.signers.filter((p) => p !== position.party),
              names,
            )}: ${a.description} `
          : `${a.description} `,
        evidence(a.evidence),
      ]),
      'acts',
    ),
    section(
      'Reactions to decisions',
      position.reactions.map((r) => [
        stanceBadge(r.reaction),
        ` ${capitalised(reactionText(r, (slug) => names.party(slug)))}`,
        r.reason ? ` (${r.reason})` : '',
        ' ',
        evidence(r.evidence),
      ]),
      'reactions',
    ),
    section(
      'Reactions of others',
      position.reactionsToParty.map((r) => [
        stanceBadge(r.reaction),
        ` ${names.party(r.by)} ${reactionText(r, (slug) => names.party(slug))}`,
        r.reason ? ` (${r.reason})` : '',
        ' ',
        evidence(r.evidence),
      ]),
      'reactions-on',
    ),
    section(
      'Stance per item',
      [
        ...(position.topicStance
          ? [
              [
                stanceBadge(position.topicStance.stance),
                ' The topic as a whole',
                position.topicStance.reason ? `: ${position.topicStance.reason}` : '',
                ' ',
                position.topicStance.evidence ? evidence(position.topicStance.evidence) : null,
              ],
            ]
          : []),
        ...known.map((i) => [
          stanceBadge(i.stance),
          ` ${i.title}`,
          i.reason ? `: ${i.reason}` : '',
          ' ',
          i.evidence ? evidence(i.evidence) : null,
        ]),
        ...(unknownCount
          ? [
              h(
                'span',
                { class: 'muted' },
                `No recorded stance on ${unknownCount} other item${unknownCount === 1 ? '' : 's'}.`,
              ),
            ]
          : []),
      ],
      'items',
    ),
    position.possiblyInEffect.length
      ? h(
          'details',
          { class: 'card-part' },
          h(
            'summary',
            {},
            `${position.possiblyInEffect.length} possibly in effect (their dates straddle this day; not counted)`,
          ),
          h(
            'ul',
            {},
            position.possiblyInEffect.map((e) => h('li', {}, `${e.summary} `, evidence(e))),
          ),
        )
      : null,
  );
}
