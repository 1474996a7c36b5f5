import { createHash } from 'node:crypto';
import type { PoolClient, QueryConfig } from 'pg';
import type { EntityManager } from 'typeorm';

const names = new Map<string, string>();

/**
 * A statement PostgreSQL parses and plans once per connection instead of on every call: for the
 * statements of every append, planning cost about as much as running them. Named by a hash of
 * its text, so one name always means one text (node-postgres refuses anything else).
 */
export function prepared(text: string, values: readonly unknown[]): QueryConfig {
  let name = names.get(text);
  if (!name) names.set(text, (name = `stance_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return { name, text, values: values as unknown[] };
}

/** The connection of a transaction's manager, to run statements on it directly. */
export async function connectionOf(manager: EntityManager): Promise<PoolClient> {
  if (!manager.queryRunner) throw new Error('needs the manager of a transaction');
  return (await manager.queryRunner.connect()) as PoolClient;
}
