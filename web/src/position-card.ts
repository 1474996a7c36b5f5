/**
 * A party's position on a topic as a card (docs/architecture.md, "Positions"), read in the order
 * an analyst asks: what changed recently (turning points, as the summary's sentence leads with
 * them), then what stands, then what has closed. Every line cites its evidence, and a line that
 * answers another event links to that event too.
 */
import type { ClosedView, Evidence, Names, PositionView } from './api.js';
import { dayNumber, longDate, occurredText, shortOccurred } from './dates.js';
import { type Child, h } from './dom.js';
import { typeStyle } from './event-types.js';
import { mootFromItsStart, reactionText, TURNING_POINT_DAYS } from '../../src/diplomacy/domain/summary/summary.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * How a closed record's line begins, by its kind (a concession is closed once what it was about
 * ended), naming its author where it is another party's (`by`: "Demand by Russia:"), so a record
 * made of or against the party does not read as its own.
 */
const CLOSED_LABEL: Readonly<Record<ClosedView['record'], (by: string) => string>> = {
  proposal: (by) => `Proposal${by}:`,
  demand: (by) => `Demand${by}:`,
  threat: (by) => `Threat${by} to`,
  concession: (by) => `Concession${by}:`,
};

export type OnEvidence = (evidence: Evidence, button: HTMLButtonElement) => void;

export interface CardOptions {
  /** The card's title: the party (topic view) or the topic (party view). */
  readonly title: 'party' | 'topic';
  readonly names: Names;
  /** Shows an event's quote, speaker and source; `button` is the one that asked. */
  readonly onEvidence: OnEvidence;
  /** Shows an event known only by its id (the event a reaction answers). */
  readonly onEvent: (eventId: string, button: HTMLButtonElement) => void;
}

/** Within the turning-point window before the position's date (the summary's rule, TURNING_POINT_DAYS). */
const recent = (day: string, at: string) => dayNumber(at) - dayNumber(day) <= TURNING_POINT_DAYS;

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

/** A side list of a position (possibly in effect, retracted...): folded away, one line per entry; nothing when empty. */
function sideList(className: string, summary: string, entries: readonly Child[][]): HTMLElement | null {
  if (entries.length === 0) return null;
  return h(
    'details',
    { class: `card-part ${className}` },
    h('summary', {}, summary),
    h(
      'ul',
      {},
      entries.map((entry) => h('li', {}, entry)),
    ),
  );
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
  const allClosed = [...position.closed, ...position.closedConcerningParty].filter((c) => !refusedFreeze(c));
  // Turning points: what closed lately (a restatement is no turning point), reactions and signings.
  const turningClosed = allClosed.filter((c) => c.status !== 'superseded' && recent(c.closed.on, position.at));
  const otherClosed = allClosed.filter((c) => !turningClosed.includes(c));
  const turningReactions = position.reactions.filter((r) => recent(r.countsFrom, position.at));
  const turningActs = position.acts.filter((a) => a.kind === 'agreement' && recent(a.countsFrom, position.at));
  const answered = (eventId: string, label: string) => {
    const button = h(
      'button',
      { type: 'button', class: 'evidence answered', title: 'Show the event it answers' },
      label,
    );
    button.addEventListener('click', () => options.onEvent(eventId, button));
    return button;
  };
  const closedLine = (c: ClosedView): Child[] => [
    `${CLOSED_LABEL[c.record](c.by === position.party ? '' : ` by ${names.party(c.by)}`)} ${c.what} `,
    evidence(c.evidence),
    ...howClosed(c),
  ];
  const actLine = (a: PositionView['acts'][number]): Child[] => [
    a.kind === 'agreement' && a.signers?.length
      ? `Signed with ${parties(
          a.signers.filter((p) => p !== position.party),
          names,
        )}: ${a.description} `
      : `${a.description} `,
    evidence(a.evidence),
    // An action that carried out the party's threat says which.
    ...(a.carriesOut
      ? [
          ` (carrying out ${names.its(a.carriesOut.by)} threat to ${a.carriesOut.what}) `,
          answered(a.carriesOut.event, 'the threat'),
        ]
      : []),
  ];
  const reactionLine = (r: PositionView['reactions'][number]): Child[] => [
    stanceBadge(r.reaction),
    ` ${capitalised(reactionText(r, names))}`,
    r.reason ? ` (${r.reason})` : '',
    ' ',
    evidence(r.evidence),
    ' ',
    answered(r.to.event, 'the event it answers'),
  ];
  const howClosed = (c: ClosedView): Child[] =>
    mootFromItsStart(c)
      ? [
          // Made about an item already ended: moot from its own day, not "moot by" its ender on that day.
          ' — ',
          stanceBadge(c.status),
          ` from its start: ${c.title ?? 'what it was about'} had already ended (${typeStyle(
            c.closed.evidence.type,
          ).label.toLowerCase()} by ${names.party(c.closed.party)}, ${occurredText(c.closed.evidence.occurred)}) `,
          evidence(c.closed.evidence),
        ]
      : [
          ' — ',
          stanceBadge(c.status),
          // A threat carried out: the act is the party's own, on its day ("carried out on 14 July 2007 by ...").
          c.status === 'carried-out'
            ? ` carried out on ${longDate(c.closed.on)} by `
            : ` by ${names.party(c.closed.party)} on ${longDate(c.closed.on)} `,
          evidence(c.closed.evidence),
        ];
  const otherDemands = position.activeDemands.filter((d) => d.kind !== 'freeze_demand');
  const known = position.items.filter((i) => i.stance !== 'unknown');
  const unknownCount = position.items.length - known.length;

  const answers = (responses: readonly { party: string; response: string; reason?: string; evidence?: Evidence }[]) =>
    responses.length
      ? h(
          'ul',
          { class: 'answers' },
          responses.map((r) =>
            h(
              'li',
              {},
              `${names.party(r.party)}: `,
              stanceBadge(r.response),
              r.reason ? ` (${r.reason})` : '',
              r.evidence ? [' ', evidence(r.evidence)] : null,
            ),
          ),
        )
      : null;

  return h(
    'article',
    { class: 'card', 'data-party': position.party, 'data-topic': position.topic, 'aria-labelledby': headingId },
    h('h4', { id: headingId }, h('span', {}, title), ' ', stanceBadge(position.stance)),
    h('p', { class: 'summary' }, position.summary),
    section(
      'Turning points',
      [...turningReactions.map(reactionLine), ...turningClosed.map(closedLine), ...turningActs.map(actLine)],
      'turning',
    ),
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
      'Threats against it',
      position.threatsAgainstParty.map((t) => [
        `${names.party(t.by)}: ${t.counterMeasure}${t.condition ? ` ${t.condition}` : ''} `,
        evidence(t.evidence),
      ]),
      'threats-on',
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
      'Concessions',
      position.concessions.map((c) => [`${c.terms} `, evidence(c.evidence)]),
    ),
    section('Acts and agreements', position.acts.filter((a) => !turningActs.includes(a)).map(actLine), 'acts'),
    section(
      'Reactions to decisions',
      position.reactions.filter((r) => !turningReactions.includes(r)).map(reactionLine),
      'reactions',
    ),
    section(
      'Reactions of others',
      position.reactionsToParty.map((r) => [
        stanceBadge(r.reaction),
        ` ${names.party(r.by)} ${reactionText(r, names)}`,
        r.reason ? ` (${r.reason})` : '',
        ' ',
        evidence(r.evidence),
        ' ',
        answered(r.to.event, 'the event it answers'),
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
    section('Closed', otherClosed.map(closedLine), 'closed'),
    sideList(
      'possibly',
      `${position.possiblyInEffect.length} possibly in effect (their dates straddle this day; not counted)`,
      position.possiblyInEffect.map((e) => [`${e.summary} `, evidence(e)]),
    ),
    sideList(
      'retracted',
      `${position.retracted.length} retracted (recorded in error; not counted)`,
      position.retracted.map((r) => [
        `${r.evidence.summary} `,
        evidence(r.evidence),
        ` Retracted: ${r.reason} `,
        evidence(r.retraction),
      ]),
    ),
    sideList(
      'answers-retracted',
      `${position.answersToRetracted.length} answer${position.answersToRetracted.length === 1 ? '' : 's'} to records retracted since (still counted)`,
      position.answersToRetracted.map((a) => [
        `${a.evidence.summary} `,
        evidence(a.evidence),
        ` It answered: ${a.answers.summary} `,
        evidence(a.answers),
      ]),
    ),
  );
}
