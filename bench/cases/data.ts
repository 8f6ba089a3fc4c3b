/**
 * The data layer on cc_general.csv (8950 x 18): parse, summarize, preprocess (median impute + standard scaler), and the
 * whole pipeline; plus generation of the synthetic demo. A scikit-learn script bench/sklearn/data.py could time the
 * pipeline id 'data_cc_pipeline' as pandas.read_csv + fillna(median) + StandardScaler.
 */
import type { BenchCase } from '../types.ts';
import { parseCsv, type RawTable } from '../../workers/engine/data/csv.ts';
import { defaultFeatures, summarizeColumns } from '../../workers/engine/data/columns.ts';
import { fitPreprocessing } from '../../workers/engine/data/preprocess.ts';
import { makeDemoCreditCards } from '../../workers/engine/data/demo_credit_cards.ts';
import { HAVE_SHARED, SHARED_SKIP_REASON, readSharedText } from '../../test/helpers/shared.ts';

const skip = HAVE_SHARED ? undefined : SHARED_SKIP_REASON;
const text = () => readSharedText('data', 'cc_general.csv');
const spec = (table: RawTable) => ({ features: defaultFeatures(summarizeColumns(table)), impute: 'median' as const, log1p: [], scaler: 'standard' as const });

export const cases: BenchCase[] = [
  {
    group: 'data',
    id: 'data_cc_parse',
    impl: 'ours',
    repeats: 7,
    skip,
    setup: text,
    run: (t: string) => parseCsv(t, 'cc_general.csv'),
  },
  {
    group: 'data',
    id: 'data_cc_summarize',
    impl: 'ours',
    repeats: 7,
    skip,
    setup: () => parseCsv(text(), 'cc_general.csv'),
    run: (table: RawTable) => summarizeColumns(table),
  },
  {
    group: 'data',
    id: 'data_cc_preprocess',
    impl: 'ours',
    repeats: 7,
    skip,
    setup: () => {
      const table = parseCsv(text(), 'cc_general.csv');
      return { table, spec: spec(table) };
    },
    run: (s: { table: RawTable; spec: ReturnType<typeof spec> }) => fitPreprocessing(s.table, s.spec),
  },
  {
    group: 'data',
    id: 'data_cc_pipeline',
    impl: 'ours',
    repeats: 7,
    skip,
    setup: text,
    run: (t: string) => {
      const table = parseCsv(t, 'cc_general.csv');
      return fitPreprocessing(table, spec(table));
    },
  },
  {
    group: 'data',
    id: 'data_demo_generate',
    impl: 'ours',
    repeats: 7,
    run: () => makeDemoCreditCards(),
  },
];
