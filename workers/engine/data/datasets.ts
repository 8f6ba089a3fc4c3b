/** The built-in data sets offered by the app (all generated in code or from an npm package; nothing third-party committed). */
import { DataError } from '../errors.ts';
import type { RawTable } from './csv.ts';
import { demoCreditCardsTable } from './demo_credit_cards.ts';
import { irisTable } from './iris.ts';
import { toyTable } from './toy_shapes.ts';

export interface BuiltinDataset {
  id: string;
  name: string;
  description: string;
  synthetic: boolean;
  make(): RawTable;
}

export const DEFAULT_DATASET_ID = 'demo-credit-cards';

export const BUILTIN_DATASETS: BuiltinDataset[] = [
  {
    id: 'demo-credit-cards',
    name: 'Synthetic demo - credit-card customers',
    description:
      '8950 generated customers with the 17 behaviour columns of the CC GENERAL data set (balance, purchases, cash advance, ' +
      'frequencies, credit limit, payments, tenure) and a CUST_ID; five hidden segments, skewed money columns, a few gaps.',
    synthetic: true,
    make: demoCreditCardsTable,
  },
  {
    id: 'circles',
    name: 'Toy: noisy circles',
    description: '500 points on two concentric circles (as make_circles(factor=0.5, noise=0.05)): not convex, k-means fails.',
    synthetic: true,
    make: () => toyTable('circles'),
  },
  {
    id: 'moons',
    name: 'Toy: noisy moons',
    description: '500 points on two interleaving half circles (as make_moons(noise=0.05)).',
    synthetic: true,
    make: () => toyTable('moons'),
  },
  {
    id: 'varied',
    name: 'Toy: blobs of varied density',
    description: '500 points in three Gaussian blobs with standard deviations 1.0, 2.5 and 0.5.',
    synthetic: true,
    make: () => toyTable('varied'),
  },
  {
    id: 'aniso',
    name: 'Toy: anisotropic blobs',
    description: '500 points in three blobs stretched by the linear map [[0.6, -0.6], [-0.4, 0.8]].',
    synthetic: true,
    make: () => toyTable('aniso'),
  },
  {
    id: 'blobs',
    name: 'Toy: blobs',
    description: '500 points in three well separated isotropic Gaussian blobs.',
    synthetic: true,
    make: () => toyTable('blobs'),
  },
  {
    id: 'no-structure',
    name: 'Toy: no structure',
    description: '500 points uniform in the unit square: there are no clusters to find.',
    synthetic: true,
    make: () => toyTable('no-structure'),
  },
  {
    id: 'iris',
    name: 'Iris flowers',
    description: "Fisher's iris data: 150 flowers, four measurements in cm, and the species as a categorical column.",
    synthetic: false,
    make: irisTable,
  },
];

/** A fresh table of a built-in data set; DataError for an unknown id. */
export function builtinDataset(id: string): RawTable {
  const ds = BUILTIN_DATASETS.find((d) => d.id === id);
  if (!ds) {
    throw new DataError('dataset', `unknown built-in data set "${id}"; expected one of ${BUILTIN_DATASETS.map((d) => `"${d.id}"`).join(', ')}`);
  }
  return ds.make();
}
