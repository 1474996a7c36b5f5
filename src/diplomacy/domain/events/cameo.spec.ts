import { CAMEO_CODES, CameoCodeError, CODING, codesFor, codingFor, codingShown, GOLDSTEIN_SCALE } from './cameo.js';
import { EVENT_TYPES, type EventType, isAboutARecord } from './events.js';

const plain = { answersAnotherEvent: false };

describe('codingFor: the default coding of each event type', () => {
  it.each<
    [
      EventType,
      string,
      number,
      string | null,
      { stance?: 'supports' | 'opposes' | 'conditional' | 'neutral'; answersAnotherEvent: boolean },
    ]
  >([
    ['proposal', '030', 4.0, 'AGREE', plain],
    ['rejection', '120', -4.0, 'REJECT', { answersAnotherEvent: true }],
    ['concession', '080', 5.0, 'CONCEDE', plain],
    ['freeze_demand', '105', -5.0, 'REQUEST', plain],
    ['demand', '100', -5.0, 'REQUEST', plain],
    ['threat', '130', -4.4, 'THREATEN', plain],
    ['withdrawal', '080', 5.0, 'RETREAT', { answersAnotherEvent: true }],
    ['agreement', '019', 3.4, 'AGREE', { answersAnotherEvent: true }],
    ['agreement', '057', 8.0, 'AGREE', plain],
    ['endorsement', '051', 3.4, 'SUPPORT', plain],
    ['statement', '010', 0.0, null, { stance: 'supports', answersAnotherEvent: false }],
    ['statement', '010', 0.0, null, { stance: 'neutral', answersAnotherEvent: false }],
    ['statement', '010', 0.0, null, { stance: 'conditional', answersAnotherEvent: false }],
    ['statement', '111', -2.0, 'ACCUSE', { stance: 'opposes', answersAnotherEvent: false }],
    ['action', '160', -4.0, 'SANCTION', plain],
  ])('a %s is coded %s (Goldstein %d, PLOVER %s)', (type, code, goldstein, plover, context) => {
    expect(codingFor(type, undefined, context)).toEqual({
      code,
      name: CAMEO_CODES[code][0],
      goldstein,
      plover,
      scale: GOLDSTEIN_SCALE,
    });
  });

  it('names the codes by their CAMEO names', () => {
    expect(codingFor('proposal', undefined, plain)?.name).toBe('Express intent to cooperate, not specified below');
    expect(codingFor('threat', '138', plain)?.name).toBe('Threaten with military force, not specified below');
  });

  it.each(['correction', 'retraction'] as const)('a %s is a record about a record: no CAMEO code', (type) => {
    expect(codingFor(type, undefined, plain)).toBeNull();
    expect(() => codingFor(type, '010', plain)).toThrow(CameoCodeError);
    expect(() => codingFor(type, '010', plain)).toThrow(`a ${type} is a record about a record and has no CAMEO code`);
  });
});

describe('codingFor: a code the client picks', () => {
  it.each<[EventType, string, number, string | null]>([
    ['proposal', '036', 4.0, 'CONSULT'],
    ['proposal', '020', 3.0, 'REQUEST'],
    ['proposal', '0356', 5.0, 'AGREE'],
    ['rejection', '125', -5.0, 'REJECT'],
    ['rejection', '127', -5.0, 'REJECT'],
    ['concession', '0832', 5.0, 'CONCEDE'],
    ['concession', '0862', 9.0, 'CONCEDE'],
    ['freeze_demand', '1056', -5.0, 'REQUEST'],
    ['freeze_demand', '1042', -5.0, 'REQUEST'],
    ['threat', '138', -7.0, 'THREATEN'],
    ['agreement', '057', 8.0, 'AGREE'],
    ['statement', '012', -0.4, null],
    ['action', '161', -4.0, 'SANCTION'],
    ['action', '087', 9.0, 'CONCEDE'],
  ])('a %s may be coded %s (Goldstein %d, PLOVER %s)', (type, code, goldstein, plover) => {
    expect(codingFor(type, code, plain)).toMatchObject({ code, goldstein, plover });
  });

  it.each<[EventType, string]>([
    ['proposal', '120'],
    ['proposal', '051'],
    ['rejection', '130'],
    ['freeze_demand', '111'],
    ['threat', '100'],
    ['endorsement', '010'],
    ['agreement', '030'],
    ['statement', '120'],
    ['withdrawal', '130'],
  ])('a %s cannot be coded %s, a code of another family', (type, code) => {
    expect(() => codingFor(type, code, plain)).toThrow(CameoCodeError);
    expect(() => codingFor(type, code, plain)).toThrow(
      `CAMEO ${code} (${CAMEO_CODES[code][0]}) is not in the ${type} family`,
    );
  });

  it('refuses a code Stance does not know and lists the ones it knows for the type', () => {
    expect(() => codingFor('rejection', '999', plain)).toThrow(
      '"999" is not a CAMEO code Stance knows; known codes for a rejection: 120, 125, 127',
    );
  });

  it('keeps leading zeros: "30" is not "030"', () => {
    expect(() => codingFor('proposal', '30', plain)).toThrow(CameoCodeError);
  });
});

describe('the CAMEO table', () => {
  it('gives every type but records about records a family and a default code inside it', () => {
    for (const type of EVENT_TYPES) {
      if (isAboutARecord(type)) {
        expect(type in CODING).toBe(false);
        continue;
      }
      const codes = codesFor(type);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(() => codingFor(type, code, plain)).not.toThrow();
    }
  });

  it('lists the codes of a family', () => {
    // Object key order puts integer-like codes ("100") before zero-led ones ("030"): compare as sets.
    expect(codesFor('rejection').sort()).toEqual(['120', '125', '127']);
    expect(codesFor('threat').sort()).toEqual(['130', '138']);
    expect(codesFor('agreement').sort()).toEqual(['019', '057']);
    expect(codesFor('freeze_demand').sort()).toEqual(['100', '104', '1042', '105', '1056', '106']);
    expect(codesFor('action').sort()).toEqual(['080', '083', '0832', '086', '0862', '087', '160', '161']);
  });

  it('keeps every Goldstein score on the -10..10 scale and every code a string of digits', () => {
    for (const [code, [name, goldstein]] of Object.entries(CAMEO_CODES)) {
      expect(code).toMatch(/^\d{3,4}$/);
      expect(name.length).toBeGreaterThan(0);
      expect(goldstein).toBeGreaterThanOrEqual(-10);
      expect(goldstein).toBeLessThanOrEqual(10);
    }
  });

  it('scores cooperation above zero and conflict below it', () => {
    expect(codingFor('agreement', '057', plain)!.goldstein).toBeGreaterThan(0);
    expect(codingFor('threat', '138', plain)!.goldstein).toBeLessThan(codingFor('threat', '130', plain)!.goldstein);
    expect(codingFor('rejection', undefined, plain)!.goldstein).toBeLessThan(0);
  });
});

describe('codingShown: a coding as the table says it now', () => {
  const recordedWith = (type: EventType, code: string, plover: string | null) => ({
    type,
    cameo: { code, name: CAMEO_CODES[code][0], goldstein: CAMEO_CODES[code][1], plover, scale: GOLDSTEIN_SCALE },
  });

  it('given a 111 statement recorded before the table gave it ACCUSE, then it is shown as ACCUSE, its code kept', () => {
    const shown = codingShown(recordedWith('statement', '111', null));
    expect(shown.cameo).toEqual(codingFor('statement', '111', plain));
    expect(shown.cameo?.plover).toBe('ACCUSE');
  });

  it('keeps what the table does not know, and records about records without a coding', () => {
    const unknown = {
      type: 'statement' as const,
      cameo: { code: '0999', name: 'x', goldstein: 0, plover: null, scale: 's' },
    };
    expect(codingShown(unknown)).toBe(unknown);
    const correction = { type: 'correction' as const, cameo: null };
    expect(codingShown(correction)).toBe(correction);
  });
});
