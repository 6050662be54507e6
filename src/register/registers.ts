/**
 * Which datasets are registers with yearly erasure, read from catalog facts only: a dataset
 * partitioned by year (dl:partitionedBy dl:ByYear, with a dl:partitionElement) whose
 * retention rule is a fixed-cycle erasure (dl:retention → dl:retentionKind
 * dl:FixedCycleErasure). No dataset is named here; the register's id comes from the URL
 * or the command line.
 *
 * A year of such a register is a set of named graphs, one per protection class, all under
 * `<record graph base><dataset id>/<year>/` (Catalog.graphFor). Erasing a year drops them.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { DataElement, Dataset, RetentionRule } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import { dl, RECORD_GRAPH_BASE } from '../rdf/namespaces.ts';

export interface YearlyRegister {
  dataset: Dataset;
  /** The date element whose year decides the partition. */
  partitionElement: DataElement;
  retention: RetentionRule;
}

/** The register view of a dataset, or undefined when it is not a yearly-erased register. */
export function asYearlyRegister(catalog: Catalog, dataset: Dataset): YearlyRegister | undefined {
  if (dataset.partitionedBy !== dl.ByYear || !dataset.partitionElement || !dataset.retention) return undefined;
  const retention = catalog.retentionRules.get(dataset.retention);
  if (retention?.kind !== dl.FixedCycleErasure) return undefined;
  const partitionElement = dataset.elements.find((e) => e.iri === dataset.partitionElement);
  if (!partitionElement) return undefined;
  return { dataset, partitionElement, retention };
}

/** Every yearly-erased register of the catalog, by dataset id. */
export function yearlyRegisters(catalog: Catalog): YearlyRegister[] {
  return [...catalog.datasets.values()]
    .map((ds) => asYearlyRegister(catalog, ds))
    .filter((r): r is YearlyRegister => r !== undefined)
    .sort((a, b) => a.dataset.id.localeCompare(b.dataset.id));
}

/** The register with this dataset id (or IRI): 404 when unknown, 400 when not a yearly register. */
export function requireRegister(catalog: Catalog, id: string): YearlyRegister {
  const dataset = catalog.dataset(id);
  const known = yearlyRegisters(catalog).map((r) => r.dataset.id);
  if (!dataset) {
    throw new DatalyftError('register-not-found', `No register "${id}" in the catalog. Registers with yearly erasure: ${known.join(', ') || 'none'}.`, { status: 404, where: { register: id } });
  }
  const register = asYearlyRegister(catalog, dataset);
  if (!register) {
    throw new DatalyftError('not-a-register', `Dataset "${dataset.id}" is not a register with yearly erasure (it needs dl:partitionedBy dl:ByYear, a dl:partitionElement and a dl:FixedCycleErasure retention rule). Registers: ${known.join(', ') || 'none'}.`, { status: 400, where: { register: id } });
  }
  return register;
}

/** Prefix every named graph of one register (all years) starts with. */
export function registerGraphPrefix(register: YearlyRegister): string {
  return `${RECORD_GRAPH_BASE}${register.dataset.id}/`;
}

/** The year a graph of the register belongs to, or undefined when the graph is not one of its year graphs. */
export function yearOfGraph(register: YearlyRegister, graph: string): number | undefined {
  const prefix = registerGraphPrefix(register);
  if (!graph.startsWith(prefix)) return undefined;
  const year = graph.slice(prefix.length).split('/')[0] ?? '';
  return /^[0-9]{4}$/.test(year) ? Number(year) : undefined;
}

/** The register's graphs present in the store, by year. */
export function graphsByYear(register: YearlyRegister, storeGraphs: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const g of storeGraphs) {
    const year = yearOfGraph(register, g);
    if (year === undefined) continue;
    out.set(year, [...(out.get(year) ?? []), g].sort());
  }
  return new Map([...out.entries()].sort(([a], [b]) => a - b));
}

/** Every graph the register's records of one year can be in: one per protection class of its elements. */
export function yearGraphs(catalog: Catalog, register: YearlyRegister, year: number): string[] {
  return catalog.datasetClasses(register.dataset).map((pc) => catalog.graphFor(register.dataset, pc, year));
}
