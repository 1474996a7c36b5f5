import { CAMEO_CODES, CODING, codesFor, quadClassOf } from '../domain/events/cameo.js';

export const CODING_COLUMNS = [
  'event_type',
  'cameo_code',
  'cameo_name',
  'goldstein',
  'quad_class',
  'plover_event',
] as const;
export type CodingRow = Readonly<Record<(typeof CODING_COLUMNS)[number], string | number>>;

/**
 * The coding table itself, one row per Stance event type and CAMEO code it may take: the code's
 * name, its Goldstein score, its quad class and the PLOVER category Stance exports it as (empty
 * where PLOVER has none). The exports carry codes and scores per event; this table lets a reader
 * of a data package look them up without Stance's source (the descriptor's digest is of the same
 * content). Made from the domain's tables (CAMEO_CODES, CODING), so it cannot drift from them.
 */
export function codingRows(): CodingRow[] {
  return (Object.keys(CODING) as (keyof typeof CODING)[]).flatMap((type) =>
    codesFor(type).map((code) => {
      const [name, goldstein] = CAMEO_CODES[code];
      return {
        event_type: type,
        cameo_code: code,
        cameo_name: name,
        goldstein,
        quad_class: quadClassOf(code).code,
        plover_event: CODING[type].plover(code) ?? '',
      };
    }),
  );
}
