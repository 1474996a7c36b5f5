import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The answers' schemas in the OpenAPI document are generated from the TypeScript types the routes
 * return (scripts/answer-schemas.mjs): the committed file must be what the types give today.
 */
describe('answer-schemas.generated.ts', () => {
  it('is up to date with the answer types (else: npm run schemas)', async () => {
    const run = promisify(execFile)(process.execPath, ['scripts/answer-schemas.mjs', '--check']);
    await expect(run).resolves.toBeDefined();
  }, 60_000);
});
