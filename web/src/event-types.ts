/**
 * How each event type looks: a colour AND a shape, so the types stay apart without colour vision.
 * Colours are dark enough for 4.5:1 contrast on white (they also colour text).
 */
import { EVENT_TYPES, type EventType } from '../../src/diplomacy/domain/events/events.js';
import { h, svgMarker } from './dom.js';

interface TypeStyle {
  readonly label: string;
  readonly color: string;
  /** An SVG path in a 16x16 box. */
  readonly shape: string;
}

export const TYPE_STYLES: Record<EventType, TypeStyle> = {
  proposal: { label: 'Proposal', color: '#1a7f37', shape: 'M8 1.5 15 14H1z' },
  rejection: {
    label: 'Rejection',
    color: '#c1121f',
    shape: 'M2 4.5 4.5 2 8 5.5 11.5 2 14 4.5 10.5 8 14 11.5 11.5 14 8 10.5 4.5 14 2 11.5 5.5 8z',
  },
  concession: { label: 'Concession', color: '#1f5fbf', shape: 'M1 2h14L8 14.5z' },
  freeze_demand: { label: 'Freeze demand', color: '#7b2cbf', shape: 'M2 1.5h4.5v13H2zM9.5 1.5H14v13H9.5z' },
  demand: { label: 'Demand', color: '#9c2f77', shape: 'M8 .5 15.5 8 8 15.5 .5 8z' },
  threat: { label: 'Threat', color: '#b54708', shape: 'M10 .5 2.5 9.5H7L5.5 15.5 13.5 6H9z' },
  withdrawal: { label: 'Withdrawal', color: '#7a4a2a', shape: 'M.5 8 7 1.5V5h8.5v6H7v3.5z' },
  agreement: { label: 'Agreement', color: '#006d77', shape: 'M1 8.5 3.5 6 6.5 9 12.5 2.5 15 5 6.5 14z' },
  endorsement: { label: 'Endorsement', color: '#4d7c0f', shape: 'M6 1h4v5h5v4h-5v5H6v-5H1V6h5z' },
  statement: { label: 'Statement', color: '#4b5563', shape: 'M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13z' },
  action: { label: 'Action', color: '#1f2937', shape: 'M2 2h12v12H2z' },
  correction: {
    label: 'Correction',
    color: '#8a6d00',
    shape: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 3.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z',
  },
  retraction: { label: 'Retraction', color: '#9f1239', shape: 'M1 5.5h14v5H1z' },
  // Another source for an event: two overlapping pages.
  report: { label: 'Report', color: '#52606d', shape: 'M1.5 3.5h9v11h-9zM5.5 1.5h9v11h-2V3.5H5.5z' },
};

export function typeStyle(type: string): TypeStyle {
  return TYPE_STYLES[type as EventType] ?? TYPE_STYLES.statement;
}

export function typeMarker(type: string, size?: number): SVGSVGElement {
  const style = typeStyle(type);
  return svgMarker(style.shape, style.color, size);
}

/** "● Statement" as a small inline label. */
export function typeBadge(type: string): HTMLElement {
  return h(
    'span',
    { class: 'type-badge', style: `color:${typeStyle(type).color}` },
    typeMarker(type, 12),
    ` ${typeStyle(type).label}`,
  );
}

export function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Event types' },
    EVENT_TYPES.map((type) => h('li', {}, typeMarker(type), ` ${TYPE_STYLES[type].label}`)),
  );
}
