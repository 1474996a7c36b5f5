import type { EntityManager } from 'typeorm';
import { type CatalogSpeaker, inDayOrder, type SpeakerRole } from '../shared/speakers.js';

/**
 * Speakers in the database (migrations/1763801500000-speaker-roles.ts): one row of `speakers`
 * (name, party, aliases) and a row of `speaker_roles` per role with its days. The one place that
 * reads and writes them, for POST /speakers and the seeds alike.
 */

/** Every speaker with its roles, in order of their first day. Days as text: no time zone touches them. */
export async function readSpeakers(db: Pick<EntityManager, 'query'>): Promise<CatalogSpeaker[]> {
  const rows = await db.query<{ name: string; party: string; aliases: string[]; roles: SpeakerRole[] }[]>(`
    SELECT s.name, s.party, s.aliases,
           coalesce(json_agg(json_strip_nulls(json_build_object(
                      'role', r.role, 'from', to_char(r.from_day, 'YYYY-MM-DD'), 'to', to_char(r.to_day, 'YYYY-MM-DD')))
                    ORDER BY r.from_day NULLS FIRST) FILTER (WHERE r.role IS NOT NULL), '[]') AS roles
      FROM speakers s LEFT JOIN speaker_roles r ON r.speaker = s.name AND r.party = s.party
     GROUP BY s.name, s.party
     ORDER BY s.party, s.name`);
  return rows.map(({ name, party, aliases, roles }) => ({ name, party, aliases, roles }));
}

/**
 * Writes a speaker with its aliases and roles, checked before (roleProblems). `replace`: a
 * speaker already there (same name and party) gets these aliases and roles instead of its own
 * (POST /speakers); `keep`: it is left as it is (the seeds, loaded again over a catalog someone
 * may have completed). Answers whether it wrote.
 */
export async function writeSpeaker(
  manager: EntityManager,
  speaker: CatalogSpeaker,
  existing: 'replace' | 'keep',
): Promise<boolean> {
  const written = await manager.query<unknown[]>(
    `INSERT INTO speakers (name, party, aliases) VALUES ($1, $2, $3)
     ON CONFLICT (name, party) DO ${existing === 'replace' ? 'UPDATE SET aliases = EXCLUDED.aliases' : 'NOTHING'}
     RETURNING name`,
    [speaker.name, speaker.party, speaker.aliases],
  );
  if (written.length === 0) return false;
  await manager.query('DELETE FROM speaker_roles WHERE speaker = $1 AND party = $2', [speaker.name, speaker.party]);
  const roles = inDayOrder(speaker.roles);
  if (roles.length)
    await manager.query(
      `INSERT INTO speaker_roles (speaker, party, role, from_day, to_day)
       SELECT $1, $2, role, from_day, to_day FROM unnest($3::text[], $4::date[], $5::date[]) AS r (role, from_day, to_day)`,
      [
        speaker.name,
        speaker.party,
        roles.map((r) => r.role),
        roles.map((r) => r.from ?? null),
        roles.map((r) => r.to ?? null),
      ],
    );
  return true;
}
