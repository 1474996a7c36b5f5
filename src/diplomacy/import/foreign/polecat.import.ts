import { day, list, missing, type Read, type Row, text } from './foreign-rows.js';

/** A POLECAT-style row (the columns polecat.row.ts writes; Stance's own ones are used where present). */
export function readPolecat(row: Row): Read {
  const date = day(row['Event Date']);
  if (!date) return missing('Event Date');
  const publisher = text(row.Source) ?? 'POLECAT record';
  return {
    id: text(row['Event ID']),
    date,
    enddate: day(row['Stance End Date']),
    edtf: text(row['Stance Occurred EDTF']),
    actor: text(row['Stance Actor']) ?? text(row['Actor Name']) ?? '',
    recipients: row['Stance Recipients'] !== undefined ? list(row['Stance Recipients']) : list(row['Recipient Name']),
    category: text(row['Event Type']),
    mode: text(row['Event Mode']),
    cameo: text(row['Stance CAMEO Code']),
    summary: text(row['Event Text']),
    quote: text(row['Stance Quote']),
    source: {
      publisher,
      title: text(row.Headline) ?? publisher,
      ...(text(row['Stance Source URL'])?.startsWith('http') ? { url: text(row['Stance Source URL']) } : {}),
      publishedAt: day(row['Publication Date']),
    },
    reportedAt: text(row['Stance Reported At']),
    topics: [text(row['Stance Topic']), ...list(row.Contexts)].filter((t): t is string => t !== undefined),
    stance: { item: text(row['Stance Item']), refersTo: text(row['Stance Refers To']) },
  };
}
