import { MAX_NESTING, textProblem, unstorableText } from './text.js';

describe('text the database can store (the input boundary)', () => {
  it('given text with NUL or a lone surrogate, then it names the problem; whole surrogate pairs are fine', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('\ud83d')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('x\udc00')).toMatch(/lone/);
    expect(textProblem('\udc00\ud83d')).toMatch(/lone/); // a pair in the wrong order
    expect(textProblem('🚀 Путин «нет»')).toBeUndefined();
  });

  it('given a value, then each bad field is named once by its path, lists by their own name', () => {
    expect(
      unstorableText({
        quote: 'ok',
        speaker: { name: 'a\u0000' },
        targets: ['russia', '\ud800', 'x\u0000'],
        payload: { 'k\u0000': 1, deep: { deeper: '\udfff' } },
      }),
    ).toEqual([
      { field: 'speaker.name', problem: expect.stringMatching(/NUL/) },
      { field: 'targets', problem: expect.stringMatching(/surrogate/) },
      { field: 'payload', problem: expect.stringMatching(/property name that must not contain the NUL/) },
      { field: 'payload.deep.deeper', problem: expect.stringMatching(/surrogate/) },
    ]);
  });

  it(`given nesting deeper than ${MAX_NESTING} levels, then it stops there and says so`, () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableText({ payload: deep })).toEqual([
      { field: 'payload', problem: `must not be nested more than ${MAX_NESTING} levels deep` },
    ]);
    let fine: unknown = 'x';
    for (let i = 0; i < MAX_NESTING - 1; i++) fine = { a: fine };
    expect(unstorableText(fine)).toEqual([]);
  });
});
