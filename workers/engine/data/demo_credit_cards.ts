/**
 * "Synthetic demo - credit-card customers": generated in code (no third-party data), with the columns of Kaggle's
 * CC GENERAL (same names and order) and behaviour of the same kind: five segments (revolvers, transactors,
 * instalment buyers, low activity, premium all-rounders), right-skewed money columns (lognormal), frequencies
 * in [0, 1] on a grid of twelfths, TENURE 6..12 (mostly 12), 300 missing MINIMUM_PAYMENTS and 1 missing CREDIT_LIMIT.
 */
import { RandomState } from '../util/random.ts';
import type { RawTable } from './csv.ts';
import { tableFromColumns } from './table_util.ts';

export const CC_COLUMNS = [
  'BALANCE',
  'BALANCE_FREQUENCY',
  'PURCHASES',
  'ONEOFF_PURCHASES',
  'INSTALLMENTS_PURCHASES',
  'CASH_ADVANCE',
  'PURCHASES_FREQUENCY',
  'ONEOFF_PURCHASES_FREQUENCY',
  'PURCHASES_INSTALLMENTS_FREQUENCY',
  'CASH_ADVANCE_FREQUENCY',
  'CASH_ADVANCE_TRX',
  'PURCHASES_TRX',
  'CREDIT_LIMIT',
  'PAYMENTS',
  'MINIMUM_PAYMENTS',
  'PRC_FULL_PAYMENT',
  'TENURE',
] as const;

export const DEMO_SEGMENTS = ['revolver', 'transactor', 'instalment buyer', 'low activity', 'premium'] as const;
const WEIGHTS = [0.2, 0.17, 0.23, 0.28, 0.12];

export const DEMO_N_ROWS = 8950;
export const DEMO_N_MISSING_MINIMUM_PAYMENTS = 300;

export interface DemoCreditCards {
  table: RawTable;
  /** Generating segment per row (index into DEMO_SEGMENTS); not part of the table. */
  segment: Int32Array;
}

/** Generates the demo (deterministic for a seed; about 20-40 ms). */
export function makeDemoCreditCards(seed = 42, n = DEMO_N_ROWS): DemoCreditCards {
  const rng = new RandomState(seed);
  const ln = (median: number, sigma: number) => median * Math.exp(sigma * rng.normal());
  const u = (a: number, b: number) => a + (b - a) * rng.random();
  const chance = (p: number) => rng.random() < p;
  const twelfths = (f: number) => Math.round(Math.min(1, Math.max(0, f)) * 12) / 12;

  const col: Record<string, Float64Array> = {};
  for (const c of CC_COLUMNS) col[c] = new Float64Array(n);
  const segment = new Int32Array(n);
  const cum: number[] = [];
  let acc = 0;
  for (const w of WEIGHTS) cum.push((acc += w));

  for (let i = 0; i < n; i++) {
    const r = rng.random() * cum[cum.length - 1];
    let s = 0;
    while (s < cum.length - 1 && r >= cum[s]) s++;
    segment[i] = s;

    const tenure = chance(0.85) ? 12 : 6 + rng.randint(6);
    const months = tenure / 12;
    let limit: number, balance: number, balFreq: number;
    let oneoff = 0, inst = 0, cash = 0;
    let pFreq = 0, oFreq = 0, iFreq = 0, cFreq = 0;
    let payments: number, minPay: number, fullPay = 0;

    switch (s) {
      case 0: // revolver: high balance and cash advance, rarely pays in full
        limit = ln(4500, 0.5);
        balance = Math.min(ln(3500, 0.6), limit * 1.3);
        balFreq = chance(0.85) ? 1 : u(0.7, 1);
        if (chance(0.5)) {
          oneoff = chance(0.7) ? ln(300, 1) : 0;
          inst = chance(0.35) ? ln(200, 1) : 0;
        }
        cash = ln(2500, 0.8);
        cFreq = u(0.15, 0.75);
        payments = ln(1800, 0.7);
        minPay = ln(1200, 0.7);
        fullPay = chance(0.9) ? 0 : u(0, 0.25);
        break;
      case 1: // transactor: large one-off purchases, pays in full
        limit = ln(6000, 0.5);
        balance = ln(400, 1.0);
        balFreq = u(0.5, 1);
        oneoff = ln(1800, 0.9);
        inst = chance(0.6) ? ln(400, 0.9) : 0;
        cash = chance(0.12) ? ln(300, 1) : 0;
        if (cash > 0) cFreq = u(0.05, 0.2);
        payments = ln(2000, 0.6) + (oneoff + inst) * u(0.3, 0.8);
        minPay = ln(200, 0.6);
        fullPay = chance(0.8) ? u(0.5, 1) : u(0, 0.5);
        break;
      case 2: // instalment buyer
        limit = ln(3000, 0.5);
        balance = ln(700, 0.9);
        balFreq = chance(0.9) ? 1 : u(0.6, 1);
        oneoff = chance(0.3) ? ln(200, 1) : 0;
        inst = ln(700, 0.8);
        cash = chance(0.15) ? ln(400, 1) : 0;
        if (cash > 0) cFreq = u(0.05, 0.25);
        payments = ln(900, 0.7);
        minPay = ln(500, 0.8);
        fullPay = chance(0.4) ? u(0, 0.5) : 0;
        break;
      case 3: // low activity
        limit = ln(2500, 0.6);
        balance = ln(600, 1.1);
        balFreq = u(0.3, 1);
        if (chance(0.4)) {
          oneoff = chance(0.6) ? ln(150, 1) : 0;
          inst = chance(0.5) ? ln(120, 1) : 0;
        }
        cash = chance(0.4) ? ln(500, 1) : 0;
        if (cash > 0) cFreq = u(0.05, 0.3);
        payments = ln(600, 0.9);
        minPay = ln(350, 0.9);
        fullPay = chance(0.85) ? 0 : u(0, 1);
        break;
      default: // premium all-rounder: high limit, both kinds of purchases
        limit = ln(11000, 0.4);
        balance = ln(2500, 0.8);
        balFreq = 1;
        oneoff = ln(4000, 0.8);
        inst = ln(1500, 0.8);
        cash = chance(0.3) ? ln(1500, 1) : 0;
        if (cash > 0) cFreq = u(0.05, 0.3);
        payments = ln(5000, 0.6);
        minPay = ln(700, 0.8);
        fullPay = u(0, 1);
        break;
    }

    oneoff = Math.round(oneoff * months * 100) / 100;
    inst = Math.round(inst * months * 100) / 100;
    cash *= months;
    if (oneoff > 0) oFreq = twelfths(s === 1 || s === 4 ? u(0.4, 1) : u(0.05, 0.4));
    if (inst > 0) iFreq = twelfths(s === 2 || s === 4 ? u(0.55, 1) : u(0.05, 0.5));
    if (oneoff > 0) oFreq = Math.max(oFreq, 1 / 12);
    if (inst > 0) iFreq = Math.max(iFreq, 1 / 12);
    if (oneoff + inst > 0) pFreq = Math.min(1, Math.max(oFreq, iFreq, twelfths(Math.max(oFreq, iFreq) + u(0, 0.3))));
    if (cash > 0) cFreq = Math.max(1 / 12, twelfths(cFreq));
    else cFreq = 0;

    col.BALANCE[i] = balance;
    col.BALANCE_FREQUENCY[i] = twelfths(balFreq);
    col.PURCHASES[i] = Math.round((oneoff + inst) * 100) / 100;
    col.ONEOFF_PURCHASES[i] = oneoff;
    col.INSTALLMENTS_PURCHASES[i] = inst;
    col.CASH_ADVANCE[i] = cash;
    col.PURCHASES_FREQUENCY[i] = pFreq;
    col.ONEOFF_PURCHASES_FREQUENCY[i] = oFreq;
    col.PURCHASES_INSTALLMENTS_FREQUENCY[i] = iFreq;
    col.CASH_ADVANCE_FREQUENCY[i] = cFreq;
    col.CASH_ADVANCE_TRX[i] = cash > 0 ? Math.max(1, Math.round(cFreq * tenure * ln(1.3, 0.5))) : 0;
    col.PURCHASES_TRX[i] = oneoff + inst > 0 ? Math.max(1, Math.round(pFreq * tenure * ln(s === 4 ? 4 : 1.6, 0.6))) : 0;
    col.CREDIT_LIMIT[i] = Math.max(50, Math.round(limit / 50) * 50);
    col.PAYMENTS[i] = payments * months;
    col.MINIMUM_PAYMENTS[i] = Math.min(minPay, balance * u(0.8, 1.5) + 50);
    col.PRC_FULL_PAYMENT[i] = fullPay > 0 ? twelfths(fullPay) : 0;
    col.TENURE[i] = tenure;
  }

  // Gaps: MINIMUM_PAYMENTS missing mostly where nothing was paid (as in the real data); one CREDIT_LIMIT missing.
  const gaps = rng.permutation(n, DEMO_N_MISSING_MINIMUM_PAYMENTS);
  for (let k = 0; k < gaps.length; k++) {
    const i = gaps[k];
    col.MINIMUM_PAYMENTS[i] = NaN;
    if (chance(0.75)) col.PAYMENTS[i] = 0;
  }
  col.CREDIT_LIMIT[rng.randint(n)] = NaN;

  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = `C${10001 + i}`;
  const table = tableFromColumns('demo-credit-cards.csv', [
    { name: 'CUST_ID', values: ids },
    ...CC_COLUMNS.map((c) => ({ name: c, values: col[c] })),
  ]);
  return { table, segment };
}

export function demoCreditCardsTable(): RawTable {
  return makeDemoCreditCards().table;
}
