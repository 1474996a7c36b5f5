import { joinPayloads } from './notifications.js';

describe('joinPayloads: several tellings of one channel as one NOTIFY', () => {
  it('keeps the highest log position', () => {
    expect(joinPayloads(['12', '40', '7'])).toBe('40');
  });

  it('lists the topics of added items once, or says every topic past the size limit', () => {
    expect(joinPayloads(['items:a', 'items:b,a', 'items:c'])).toBe('items:a,b,c');
    const many = Array.from({ length: 1000 }, (_, i) => `items:topic-number-${i}`);
    expect(joinPayloads(many)).toBe('items');
  });

  it('says only "something changed" for payloads of different kinds', () => {
    expect(joinPayloads(['items:a', 'parties'])).toBe('');
    expect(joinPayloads(['parties'])).toBe('parties');
  });
});
