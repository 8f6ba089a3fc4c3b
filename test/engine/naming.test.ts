/** Automatic segment names: the most distinguishing features, readable wording, unique names; config validation. */
import { describe, expect, it } from 'vitest';
import { describeTerm, nameSegments, uniquify } from '../../workers/engine/segments/naming.ts';
import type { SegmentProfiles } from '../../workers/engine/segments/profiles.ts';
import { parseSegmentsConfig, segmentsConfig } from '../../workers/engine/segments/names_config.ts';

function profile(features: string[], z: number[][]): SegmentProfiles {
  const k = z.length;
  const d = features.length;
  return {
    features,
    n_samples: 100,
    labels: Array.from({ length: k }, (_, i) => i),
    sizes: new Array(k).fill(10),
    shares: new Array(k).fill(0.1),
    mean: new Float64Array(k * d),
    median: new Float64Array(k * d),
    z: Float64Array.from(z.flat()),
    population: { mean: new Float64Array(d), median: new Float64Array(d), std: new Float64Array(d).fill(1) },
    noise: null,
  };
}

describe('describeTerm', () => {
  it('words high and low for the kind of column', () => {
    expect(describeTerm('BALANCE', 0.8)).toBe('high BALANCE');
    expect(describeTerm('BALANCE', -2)).toBe('very low BALANCE');
    expect(describeTerm('PURCHASES_INSTALLMENTS_FREQUENCY', 1)).toBe('frequent PURCHASES_INSTALLMENTS');
    expect(describeTerm('CASH_ADVANCE_FREQUENCY', -0.7)).toBe('rare CASH_ADVANCE');
    expect(describeTerm('CASH_ADVANCE_TRX', 0.9)).toBe('many CASH_ADVANCE_TRX');
    expect(describeTerm('NumWebPurchases', -0.9)).toBe('few NumWebPurchases');
    expect(describeTerm('Number', 0.9)).toBe('high Number');
    expect(describeTerm('Age', 1.7)).toBe('much older');
    expect(describeTerm('Age', -0.5)).toBe('younger');
    expect(describeTerm('TENURE', -0.6)).toBe('short TENURE');
  });
});

describe('nameSegments', () => {
  const F = ['BALANCE', 'CASH_ADVANCE', 'PURCHASES_FREQUENCY', 'TENURE'];

  it('names the two features furthest from the population, largest first', () => {
    const names = nameSegments(
      profile(F, [
        [1.2, 0.9, -0.4, 0],
        [-0.5, -0.4, 1.1, 0.1],
        [0.1, -0.1, 0.05, 0.2],
      ]),
    );
    expect(names[0]).toBe('High BALANCE · high CASH_ADVANCE');
    expect(names[1]).toBe('Frequent PURCHASES · low BALANCE');
    expect(names[2]).toBe('Average customers'); // nothing reaches 0.3 standard deviations
  });

  it('drops a second feature that hardly differs', () => {
    expect(nameSegments(profile(F, [[0.1, 2, 0.2, 0]]))[0]).toBe('Very high CASH_ADVANCE');
  });

  it('makes names unique: one more feature first, then a number', () => {
    const names = nameSegments(
      profile(F, [
        [1, 0.8, 0.5, 0],
        [1, 0.8, -0.5, 0],
        [0, 0, 0, 0],
        [0.1, 0, 0, 0],
      ]),
    );
    expect(names[0]).toBe('High BALANCE · high CASH_ADVANCE · frequent PURCHASES');
    expect(names[1]).toBe('High BALANCE · high CASH_ADVANCE · rare PURCHASES');
    expect(names[2]).toBe('Average customers');
    expect(names[3]).toBe('Average customers (2)');
    expect(new Set(names).size).toBe(4);
    expect(uniquify(['a', 'a', 'a (2)', 'b'])).toEqual(['a', 'a (2)', 'a (2) (2)', 'b']);
  });
});

describe('segments in the configuration file', () => {
  it('round-trips names and validates every field', () => {
    const c = segmentsConfig({ 2: 'Revolvers', 0: 'Transactors' });
    expect(Object.keys(c.names)).toEqual(['0', '2']);
    expect(parseSegmentsConfig(JSON.parse(JSON.stringify(c)))).toEqual({ names: { 0: 'Transactors', 2: 'Revolvers' } });
    expect(parseSegmentsConfig(undefined)).toBeNull();
    expect(() => parseSegmentsConfig([])).toThrow(/segments must be an object/);
    expect(() => parseSegmentsConfig({ names: { x: 'a' } })).toThrow(/whole numbers/);
    expect(() => parseSegmentsConfig({ names: { 1: 3 } })).toThrow(/must be text/);
    expect(() => parseSegmentsConfig({ names: { 1: '  ' } })).toThrow(/is empty/);
    expect(() => parseSegmentsConfig({ colours: {} })).toThrow(/unknown key "colours"/);
    let field = '';
    try {
      parseSegmentsConfig({ names: { '-1': 'noise' } });
    } catch (e: any) {
      field = e.field;
    }
    expect(field).toBe('segments.names.-1');
  });
});

describe('nameSegments wording', () => {
  it('does not name the same thing twice (CASH_ADVANCE_FREQUENCY and CASH_ADVANCE_TRX)', () => {
    const F = ['CASH_ADVANCE_FREQUENCY', 'CASH_ADVANCE_TRX', 'BALANCE'];
    expect(nameSegments(profile(F, [[2, 1.9, 0.8]]))[0]).toBe('Very frequent CASH_ADVANCE · high BALANCE');
  });
});
