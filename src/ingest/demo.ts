/**
 * Demo data: a deterministic synthetic population (households, children, work, sickness,
 * pensions, deaths) and, from it, records for every dataset of the catalog, written in
 * each source system's own layout and loaded through the same ingest path as any other
 * records — with a realistic share of errors that the quality report then shows.
 *
 * What is generic here is the population and its events (a VAB day, a sick period, a
 * monthly income statement, a pension case ...). Which dataset an event feeds, which
 * cohort a benefit is drawn from and how often, and what values its elements take, is data:
 * demo/profile.json. A dataset the profile does not know still gets a few records, its
 * elements filled by datatype. Records are built by element (dct:identifier) and turned
 * into the source layout through the mapping (field names, inverse normalisations, codes).
 *
 * Seeded PRNG (mulberry32): the same seed, persons and reference day give the same records.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Catalog } from '../catalog/catalog.ts';
import type { DataElement, Dataset } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import { xsd } from '../rdf/namespaces.ts';
import type { HubStore } from '../store/types.ts';
import { checkPersonnummer, daysInMonth, luhnDigit, makeOrganisationsnummer, makePersonnummer } from './identifiers.ts';
import { toSourceValue, type Layout } from './mapping.ts';
import { ingestBatch, ingestEngine } from './pipeline.ts';

export const DEMO_PROFILE_FILE = path.join(REPO_ROOT, 'demo', 'profile.json');
export const DEFAULT_SEED = 20_250_108;
export const DEMO_BATCH = 5000;

/* ---------------- randomness ---------------- */

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: a uniform number in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks by weight from [value, weight] pairs. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![0];
  }
  /** A derived generator, so that one part of the data does not shift another. */
  fork(label: string): Rng {
    let h = this.state ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Rng(h >>> 0);
  }
}

/* ---------------- dates ---------------- */

export interface Day {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
export const iso = (day: Day): string => `${pad(day.y, 4)}-${pad(day.m)}-${pad(day.d)}`;
const toUtc = (day: Day): number => Date.UTC(day.y, day.m - 1, day.d);
const fromUtc = (ms: number): Day => {
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
};
export const addDays = (day: Day, n: number): Day => fromUtc(toUtc(day) + n * 86_400_000);
const diffDays = (a: Day, b: Day): number => Math.round((toUtc(a) - toUtc(b)) / 86_400_000);
const isWeekday = (day: Day): boolean => {
  const wd = new Date(toUtc(day)).getUTCDay();
  return wd !== 0 && wd !== 6;
};
const ageAt = (birth: Day, at: Day): number => at.y - birth.y - (at.m < birth.m || (at.m === birth.m && at.d < birth.d) ? 1 : 0);
const monthOf = (day: Day): string => `${pad(day.y, 4)}-${pad(day.m)}`;
const firstOfMonth = (y: number, m: number): Day => ({ y, m, d: 1 });
const monthsBefore = (day: Day, n: number): { y: number; m: number }[] => {
  const out: { y: number; m: number }[] = [];
  for (let k = n; k >= 1; k--) {
    const total = day.y * 12 + (day.m - 1) - k;
    out.push({ y: Math.floor(total / 12), m: (total % 12) + 1 });
  }
  return out;
};

/* ---------------- the population ---------------- */

export interface Person {
  index: number;
  /** Age on the reference day. */
  age: number;
  pnr: string;
  birth: Day;
  sex: 'K' | 'M';
  first: string;
  last: string;
  household: number;
  kommun: string;
  address: string;
  civil: string;
  samordning: boolean;
  protected: boolean;
  spouse?: Person;
  children: Person[];
  guardians: Person[];
  dead?: Day;
  emigrated?: Day;
  employer?: string;
  salary?: number;
  unemployed?: boolean;
  programme?: { code: string; decision: string; from: Day; to: Day; extent: number };
  student?: boolean;
  sick?: { from: Day; to?: Day; diagnosis: string; extent: number };
  longTermSick?: { diagnosis: string; extent: number; from: Day };
  disabled?: { diagnosis: string; description: string };
  pensioner?: { from: Day; monthly: number; low: boolean };
  school?: { code: string; form: string; huvudman: string };
  rent?: number;
  area?: number;
  assets?: number;
}

export interface Population {
  reference: Day;
  persons: Person[];
  employers: string[];
  municipalities: { code: string; org: string; name: string; schools: string[] }[];
}

interface Names {
  female: string[];
  male: string[];
  last: string[];
  streets: string[];
  municipalities: { code: string; name: string }[];
  diagnoses: { sick: string[]; longTerm: string[]; child: string[]; disability: string[]; disabilityText: string[] };
}

function makeUniquePnr(rng: Rng, used: Set<string>, birth: Day, sex: 'K' | 'M', samordning: boolean): string {
  for (;;) {
    const serial = rng.int(0, 499) * 2 + (sex === 'M' ? 1 : 0);
    const pnr = makePersonnummer({ year: birth.y, month: birth.m, day: birth.d }, serial, { samordningsnummer: samordning });
    if (!used.has(pnr)) {
      used.add(pnr);
      return pnr;
    }
  }
}

function birthFor(rng: Rng, reference: Day, minAge: number, maxAge: number): Day {
  // A day between (maxAge + 1) years and minAge years before the reference day.
  const days = rng.int(Math.ceil(minAge * 365.25) + 1, Math.floor((maxAge + 1) * 365.25) - 1);
  return addDays(reference, -days);
}

export function generatePopulation(options: { persons: number; seed: number; reference: Day; names: Names }): Population {
  const rng = new Rng(options.seed).fork('population');
  const { reference, names } = options;
  const used = new Set<string>();
  const employers: string[] = [];
  const usedOrg = new Set<string>();
  while (employers.length < Math.max(20, Math.round(options.persons / 40))) {
    const payload = `${rng.pick(['55', '55', '55', '56', '71', '80', '20'])}${rng.int(2, 9)}${pad(rng.int(0, 999_999), 6)}`;
    const org = makeOrganisationsnummer(payload.slice(0, 9));
    if (!usedOrg.has(org)) {
      usedOrg.add(org);
      employers.push(org);
    }
  }
  const municipalities = names.municipalities.map((k, i) => {
    const org = makeOrganisationsnummer(`2120${pad(i, 5)}`);
    const schools: string[] = [];
    for (let s = 0; s < 6; s++) schools.push(`${pad(rng.int(10, 99), 2)}${pad(rng.int(0, 999_999), 6)}`);
    return { ...k, org, schools };
  });
  const persons: Person[] = [];
  let household = 0;
  const add = (p: Omit<Person, 'index' | 'age' | 'children' | 'guardians'>): Person => {
    const person: Person = { ...p, index: persons.length, age: ageAt(p.birth, reference), children: [], guardians: [] };
    persons.push(person);
    return person;
  };
  const makeAdult = (sex: 'K' | 'M', minAge: number, maxAge: number, last: string, kommun: { code: string; name: string }, address: string, civil: string, hh: number): Person => {
    const samordning = minAge >= 20 && rng.chance(0.02);
    const birth = birthFor(rng, reference, minAge, maxAge);
    return add({
      pnr: makeUniquePnr(rng, used, birth, sex, samordning), birth, sex, first: rng.pick(sex === 'K' ? names.female : names.male), last,
      household: hh, kommun: kommun.code, address, civil, samordning, protected: rng.chance(0.005),
    });
  };
  while (persons.length < options.persons) {
    household++;
    const kommun = rng.pick(names.municipalities);
    const address = `${rng.pick(names.streets)} ${rng.int(1, 120)}, ${pad(rng.int(100, 999), 3)} ${pad(rng.int(10, 99), 2)} ${kommun.name}`;
    const last = rng.pick(names.last);
    const kind = rng.weighted([['family', 30], ['single-parent', 9], ['single', 24], ['couple', 11], ['pensioner-couple', 14], ['pensioner', 12]] as const);
    if (kind === 'family' || kind === 'single-parent' || kind === 'couple') {
      const a = makeAdult(rng.chance(0.5) ? 'K' : 'M', kind === 'couple' ? 24 : 26, kind === 'couple' ? 64 : 52, last, kommun, address, kind === 'single-parent' ? rng.pick(['ogift', 'skild']) : 'gift', household);
      const adults = [a];
      if (kind !== 'single-parent') {
        const b = makeAdult(a.sex === 'K' ? 'M' : 'K', Math.max(22, ageAt(a.birth, reference) - 6), Math.min(64, ageAt(a.birth, reference) + 6), last, kommun, address, 'gift', household);
        a.spouse = b;
        b.spouse = a;
        adults.push(b);
      }
      if (kind !== 'couple') {
        const youngest = Math.min(...adults.map((p) => ageAt(p.birth, reference)));
        const n = rng.weighted([[1, 40], [2, 42], [3, 18]] as const);
        for (let c = 0; c < n && persons.length < options.persons; c++) {
          const sex = rng.chance(0.5) ? 'K' : 'M';
          const birth = birthFor(rng, reference, 0, Math.min(17, youngest - 20));
          if (diffDays(reference, birth) < 30) continue;
          const child = add({
            pnr: makeUniquePnr(rng, used, birth, sex, false), birth, sex, first: rng.pick(sex === 'K' ? names.female : names.male), last,
            household, kommun: kommun.code, address, civil: 'ogift', samordning: false, protected: a.protected,
          });
          child.guardians.push(...adults);
          for (const g of adults) g.children.push(child);
        }
      }
    } else if (kind === 'single') {
      makeAdult(rng.chance(0.5) ? 'K' : 'M', 19, 64, last, kommun, address, rng.weighted([['ogift', 70], ['skild', 25], ['änka/änkling', 5]] as const), household);
    } else {
      const a = makeAdult(rng.chance(0.5) ? 'K' : 'M', 65, 92, last, kommun, address, kind === 'pensioner' ? rng.pick(['änka/änkling', 'skild', 'ogift']) : 'gift', household);
      if (kind === 'pensioner-couple') {
        const b = makeAdult(a.sex === 'K' ? 'M' : 'K', 65, 92, last, kommun, address, 'gift', household);
        a.spouse = b;
        b.spouse = a;
      }
    }
  }
  // Facts of life: deaths, emigration, work, sickness, disability, pensions, school.
  const facts = rng.fork('facts');
  for (const p of persons) {
    const age = ageAt(p.birth, reference);
    if (age >= 35 && age <= 64 && p.children.length > 0 && facts.chance(0.006)) {
      p.dead = addDays(reference, -facts.int(30, 700));
      if (p.spouse) p.spouse.civil = 'änka/änkling';
    } else if (age >= 75 && facts.chance(0.01)) {
      p.dead = addDays(reference, -facts.int(10, 300));
    } else if (age >= 20 && age <= 60 && !p.children.length && facts.chance(0.004)) {
      p.emigrated = addDays(reference, -facts.int(60, 900));
    }
    if (p.dead || p.emigrated) continue;
    if (age >= 19 && age <= 66) {
      if (facts.chance(age <= 24 ? 0.6 : age >= 62 ? 0.7 : 0.8)) {
        p.employer = facts.pick(employers);
        p.salary = Math.round(facts.int(22_000, 62_000) / 100) * 100 + (age > 35 ? 4000 : 0);
      } else {
        p.unemployed = true;
      }
      if (age <= 30 && facts.chance(0.15)) p.student = true;
      if (p.unemployed && facts.chance(0.45)) {
        const from = addDays(reference, -facts.int(20, 300));
        p.programme = { code: facts.pick(['JOBBGAR', 'UGA', 'ETAB', 'ARBM', 'FORB']), decision: `AF-${from.y}-${pad(p.index, 6)}`, from, to: addDays(from, facts.int(90, 365)), extent: facts.pick([1, 1, 1, 0.75, 0.5]) };
        if (age <= 24) p.programme.code = 'UGA';
        if (p.samordning) p.programme.code = 'ETAB';
      }
      if (p.employer && facts.chance(0.05)) {
        const from = addDays(reference, -facts.int(10, 200));
        p.sick = { from, to: facts.chance(0.6) ? addDays(from, facts.int(14, 120)) : undefined, diagnosis: facts.pick(names.diagnoses.sick), extent: facts.pick([1, 1, 0.75, 0.5, 0.25]) };
      }
      if (age >= 30 && age <= 64 && !p.employer && facts.chance(0.06)) {
        p.longTermSick = { diagnosis: facts.pick(names.diagnoses.longTerm), extent: facts.pick([1, 1, 0.75, 0.5]), from: addDays(reference, -facts.int(365, 4000)) };
      }
    }
    if (facts.chance(age < 18 ? 0.02 : 0.025)) p.disabled = { diagnosis: facts.pick(names.diagnoses.disability), description: facts.pick(names.diagnoses.disabilityText) };
    if (age >= 65) {
      const low = facts.chance(0.3);
      p.pensioner = { from: { y: p.birth.y + 65, m: p.birth.m, d: 1 }, monthly: low ? facts.int(9000, 14_000) : facts.int(14_000, 32_000), low };
      if (p.pensioner.from.m === 12) p.pensioner.from = { y: p.pensioner.from.y + 1, m: 1, d: 1 };
      else p.pensioner.from = { y: p.pensioner.from.y, m: p.pensioner.from.m + 1, d: 1 };
    }
    if (age >= 18 && (p.pensioner?.low || (p.children.length > 0 && (p.salary ?? 0) < 30_000))) {
      p.rent = facts.int(4500, 11_000);
      p.area = facts.int(35, 110);
      p.assets = facts.chance(0.6) ? facts.int(0, 90_000) : facts.int(90_000, 400_000);
    }
    if (age >= 1 && age <= 15) {
      const k = municipalities.find((m) => m.code === p.kommun) ?? municipalities[0]!;
      p.school = { code: facts.pick(k.schools), form: age <= 5 ? 'förskola' : age === 6 ? 'förskoleklass' : facts.chance(0.01) ? 'anpassad grundskola' : 'grundskola', huvudman: k.org };
    }
  }
  // Even a small population has survivors: a couple of parents and one elderly husband who died.
  const kill = (p: Person): void => {
    p.dead = addDays(reference, -facts.int(30, 500));
    for (const key of ['employer', 'salary', 'unemployed', 'programme', 'student', 'sick', 'longTermSick', 'pensioner', 'rent'] as const) delete p[key];
    if (p.spouse) p.spouse.civil = 'änka/änkling';
  };
  let widowed = persons.filter((x) => x.dead && x.children.length > 0 && x.spouse && !x.spouse.dead).length;
  for (const p of persons) {
    if (widowed >= 2) break;
    if (p.age < 35 || p.age > 64 || p.children.length === 0 || !p.spouse || p.spouse.dead || p.dead || p.spouse.age >= 65) continue;
    kill(p);
    widowed++;
  }
  const widowYear = 1945 + (reference.y - 2025);
  if (!persons.some((p) => p.sex === 'K' && p.birth.y < widowYear && p.spouse?.dead && !p.dead)) {
    const husband = persons.find((p) => p.sex === 'M' && !p.dead && p.spouse && p.spouse.sex === 'K' && p.spouse.birth.y < widowYear && !p.spouse.dead);
    if (husband) kill(husband);
  }
  return { reference, persons, employers, municipalities };
}

/* ---------------- the profile ---------------- */

export type ValueSpec = string | number | boolean | { from?: string; values?: (string | number | boolean)[]; p?: number; min?: number; max?: number; round?: number };

export interface DatasetProfile {
  /** The event stream that feeds the dataset. */
  stream: string;
  /** For the benefit stream: which part of the population, and what share of it. */
  cohort?: string;
  share?: number;
  /** Case style: ongoing (monthly), period (from–to), once (one decision), days (single days). */
  style?: 'ongoing' | 'period' | 'once' | 'days';
  daily?: [number, number];
  monthly?: [number, number];
  once?: [number, number];
  /** For derived streams: which source datasets' cases to follow (default: the same agency). */
  prefix?: string;
  values?: Record<string, ValueSpec>;
  /** Share of records made wrong on purpose, and how. */
  errors?: { share: number; kinds: string[] };
}

export interface DemoProfile {
  $comment?: string;
  names: Names;
  elements: Record<string, ValueSpec>;
  datasets: Record<string, DatasetProfile>;
  defaultErrors: { share: number; kinds: string[] };
}

export function loadDemoProfile(file: string = DEMO_PROFILE_FILE): DemoProfile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoProfile;
  } catch (error) {
    throw new DatalyftError('demo-profile-invalid', `Cannot read the demo profile ${path.relative(REPO_ROOT, file)}: ${(error as Error).message}`, { status: 500, where: { file } });
  }
}

/* ---------------- events ---------------- */

/** What one record is about; elements take their values from here (profile "from"). */
export type Ctx = Record<string, unknown> & { person: Person };

interface Case {
  dataset: Dataset;
  ctx: Ctx;
  caseId: string;
  decisionId?: string;
  agency?: string;
  paymentIds: string[];
}

interface Generation {
  catalog: Catalog;
  population: Population;
  profile: DemoProfile;
  rng: Rng;
  reference: Day;
  cases: Case[];
  counters: Map<string, number>;
  investigations: Ctx[];
}

/** A context that adds to another without copying it (events share their case's fields). */
function derive(base: Ctx, extra: Record<string, unknown>): Ctx {
  return Object.assign(Object.create(base) as Ctx, extra);
}

function next(g: Generation, key: string): number {
  const n = (g.counters.get(key) ?? 0) + 1;
  g.counters.set(key, n);
  return n;
}

const alive = (p: Person): boolean => !p.dead && !p.emigrated;
const age = (_g: Generation, p: Person): number => p.age;

/** Cohorts of the benefit stream: who may have the benefit at all. */
const COHORTS: Record<string, (g: Generation, p: Person) => boolean> = {
  'all-adults': (g, p) => alive(p) && age(g, p) >= 18,
  employed: (_g, p) => alive(p) && !!p.employer,
  sick: (_g, p) => alive(p) && !!p.sick,
  'long-term-sick': (_g, p) => alive(p) && !!p.longTermSick,
  'young-disabled': (g, p) => alive(p) && age(g, p) >= 19 && age(g, p) <= 29 && (!!p.disabled || !!p.longTermSick || !p.employer),
  'disabled-adults': (g, p) => alive(p) && age(g, p) >= 18 && age(g, p) < 66 && !!p.disabled,
  'disabled-children': (g, p) => alive(p) && age(g, p) < 18 && !!p.disabled && p.guardians.some(alive),
  'in-programme': (g, p) => alive(p) && !!p.programme && age(g, p) >= 25 && !p.samordning,
  'in-programme-young': (g, p) => alive(p) && !!p.programme && age(g, p) < 25,
  'new-arrivals': (_g, p) => alive(p) && !!p.programme && (p.samordning || p.programme.code === 'ETAB'),
  'pregnant': (g, p) => alive(p) && p.sex === 'K' && age(g, p) >= 22 && age(g, p) <= 42 && !!p.employer,
  'parents-young-children': (g, p) => alive(p) && p.children.some((c) => alive(c) && age(g, c) < 8),
  'single-parents': (g, p) => alive(p) && p.children.some((c) => age(g, c) < 18) && (!p.spouse || !alive(p.spouse)),
  'low-income-families': (g, p) => alive(p) && !!p.rent && p.children.length > 0 && age(g, p) < 65,
  'caring-relatives': (g, p) => alive(p) && !!p.employer && age(g, p) >= 30,
  'work-injured': (_g, p) => alive(p) && !!p.employer && !!p.sick,
  'on-sickness-compensation-low-income': (_g, p) => alive(p) && !!p.longTermSick && !!p.rent,
  'adoptive-parents': (g, p) => alive(p) && !!p.spouse && p.children.some((c) => age(g, c) < 2),
  pensioners: (_g, p) => alive(p) && !!p.pensioner,
  'pensioners-born-before-1954': (_g, p) => alive(p) && !!p.pensioner && p.birth.y < 1954,
  'pensioners-born-1938-on': (_g, p) => alive(p) && !!p.pensioner && p.birth.y >= 1938,
  'low-income-pensioners': (_g, p) => alive(p) && !!p.pensioner?.low,
  'pensioners-with-housing-cost': (_g, p) => alive(p) && !!p.pensioner?.low && !!p.rent,
  'uninsured-elderly': (_g, p) => alive(p) && !!p.pensioner?.low && (p.samordning || p.index % 17 === 0),
  'surviving-spouses': (_g, p) => alive(p) && !!p.spouse?.dead && !p.pensioner,
  'surviving-widows': (g, p) => alive(p) && p.sex === 'K' && !!p.spouse?.dead && p.birth.y < 1945 + (g.reference.y - 2025),
  'orphans': (g, p) => alive(p) && age(g, p) < 20 && p.guardians.some((x) => !!x.dead),
};

function amount(rng: Rng, range: [number, number] | undefined, fallback: [number, number], round = 1): number {
  const [min, max] = range ?? fallback;
  return Math.round(rng.int(min, max) / round) * round;
}

/** The benefit stream: cases of a benefit for a share of its cohort. */
function benefitEvents(g: Generation, ds: Dataset, spec: DatasetProfile): Ctx[] {
  const rng = g.rng.fork(`benefit ${ds.id}`);
  const cohort = COHORTS[spec.cohort ?? 'all-adults'] ?? COHORTS['all-adults']!;
  const share = spec.share ?? 0.01;
  const out: Ctx[] = [];
  const prefix = spec.prefix ?? ds.id.replace(/^[a-z]+-/, '').slice(0, 4).toUpperCase();
  const members = g.population.persons.filter((p) => cohort(g, p));
  let chosen = members.filter(() => rng.chance(share));
  // Even a small population shows a rare benefit: at least two cases where the cohort has members.
  if (chosen.length < 2) chosen = members.slice(0, 2);
  for (const p of chosen) {
    const minor = age(g, p) < 18;
    const recipient = minor ? (p.guardians.find(alive) ?? p) : p;
    const subject = minor ? p : undefined;
    const deceased = p.guardians.find((x) => !!x.dead) ?? (recipient.spouse?.dead ? recipient.spouse : undefined);
    // A survivor's benefit starts the month after the death; others from the fact behind them.
    const afterDeath = deceased?.dead ? (deceased.dead.m === 12 ? { y: deceased.dead.y + 1, m: 1, d: 1 } : { y: deceased.dead.y, m: deceased.dead.m + 1, d: 1 }) : undefined;
    const start = afterDeath ?? (spec.style === 'ongoing'
      ? (p.pensioner?.from ?? p.longTermSick?.from ?? p.programme?.from ?? addDays(g.reference, -rng.int(60, 900)))
      : (p.sick?.from ?? p.programme?.from ?? addDays(g.reference, -rng.int(10, 300))));
    const end = spec.style === 'ongoing' ? undefined : spec.style === 'once' ? start : (p.sick?.to ?? p.programme?.to ?? addDays(start, rng.int(14, 180)));
    const decisionDate = addDays(start, -rng.int(3, 30));
    const outcome = rng.weighted([['bifall', 88], ['delvis bifall', 6], ['avslag', 6]] as const);
    const caseNo = next(g, `case ${ds.controller}`);
    const year = decisionDate.y;
    const base: Ctx = {
      person: recipient, subject: p, child: subject, guardian: minor ? recipient : undefined, spouse: recipient.spouse, deceased, deathDate: deceased?.dead,
      firstChild: recipient.children.find((c) => alive(c) && age(g, c) < 18),
      benefit: ds.id, start, end, decisionDate, applicationDate: addDays(decisionDate, -rng.int(5, 40)),
      caseId: `${prefix}-${year}-${pad(caseNo, 6)}`, decisionId: outcome === 'avslag' && rng.chance(0.3) ? undefined : `B-${year}-${pad(next(g, `decision ${ds.controller}`), 7)}`,
      outcome, extent: p.sick?.extent ?? p.longTermSick?.extent ?? p.programme?.extent ?? rng.pick([1, 1, 0.75, 0.5, 0.25]),
      amountDaily: amount(rng, spec.daily, [250, 1100]), amountMonthly: amount(rng, spec.monthly, [1200, 15_000], 10), amountOnce: amount(rng, spec.once, [2000, 60_000], 100),
      diagnosis: p.sick?.diagnosis ?? p.longTermSick?.diagnosis ?? p.disabled?.diagnosis, disability: p.disabled?.description,
      employer: recipient.employer, sgi: recipient.salary ? recipient.salary * 12 : undefined, income: recipient.salary ? recipient.salary * 12 : (recipient.pensioner ? recipient.pensioner.monthly * 12 : 0),
      housingCost: recipient.rent, floorArea: recipient.area, assets: recipient.assets, childrenCount: recipient.children.filter((c) => age(g, c) < 18).length,
      householdId: `HH-${pad(recipient.household, 6)}`, pensionMonthly: recipient.pensioner?.monthly, yearOfStart: String(start.y),
      programme: p.programme?.code, studying: p.age >= 18 && !!p.student, workCapacity: p.sick ? 1 - p.sick.extent : p.longTermSick ? 1 - p.longTermSick.extent : undefined,
      assistant: g.population.persons[(p.index * 7919) % g.population.persons.length],
      relative: p.spouse ?? p.guardians[0] ?? g.population.persons[(p.index * 104_729) % g.population.persons.length],
    };
    base.decisionAmount = spec.style === 'ongoing' ? base.amountMonthly : spec.style === 'once' ? base.amountOnce : base.amountDaily;
    if (spec.style === 'days') {
      const days = rng.int(2, 8);
      for (let k = 0; k < days; k++) {
        const day = addDays(g.reference, -rng.int(1, 90));
        if (!isWeekday(day)) continue;
        out.push(derive(base, { day, start: day, end: day }));
      }
      continue;
    }
    out.push(base);
  }
  return out;
}

/** Parental days: a parent of a young child takes single days of föräldrapenning. */
function parentalDayEvents(g: Generation, ds: Dataset, spec: DatasetProfile, maxChildAge: number, minChildDays: number): Ctx[] {
  const rng = g.rng.fork(`days ${ds.id}`);
  const out: Ctx[] = [];
  const prefix = spec.prefix ?? 'FP';
  for (const p of g.population.persons) {
    if (!alive(p)) continue;
    const kids = p.children.filter((c) => alive(c) && age(g, c) < maxChildAge && diffDays(g.reference, c.birth) >= minChildDays);
    if (kids.length === 0 || !rng.chance(spec.share ?? 0.3)) continue;
    const caseId = `${prefix}-${g.reference.y}-${pad(next(g, 'case dl:fk-days'), 6)}`;
    const decisionId = `B-${g.reference.y}-${pad(next(g, `decision ${ds.controller}`), 7)}`;
    const daily = p.salary ? Math.min(1250, Math.round((p.salary * 12 * 0.97 * 0.8) / 365)) : 250;
    const nDays = rng.int(1, 8);
    const seen = new Set<string>();
    for (let k = 0; k < nDays; k++) {
      const day = addDays(g.reference, -rng.int(1, 90));
      if (!isWeekday(day) || seen.has(iso(day))) continue;
      seen.add(iso(day));
      const child = rng.pick(kids);
      const extent = rng.weighted([[1, 80], [0.5, 10], [0.75, 4], [0.25, 4], [0.125, 2]] as const);
      const seriouslyIll = rng.chance(0.01);
      out.push({
        person: p, child, day, start: day, end: day, caseId, decisionId, benefit: ds.id, extent, amountDaily: Math.round(daily * extent),
        outcome: rng.weighted([['bifall', 95], ['avslag', 5]] as const), employer: p.employer, sgi: p.salary ? p.salary * 12 : undefined,
        reason: seriouslyIll ? 'allvarligt sjukt barn' : rng.weighted([['barnets sjukdom', 85], ['ordinarie vårdares sjukdom', 8], ['besök i barnhälsovården', 7]] as const),
        childDiagnosis: seriouslyIll ? rng.pick(g.profile.names.diagnoses.child) : undefined, decisionDate: addDays(day, rng.int(5, 25)),
      });
    }
  }
  return out;
}

function collectCases(g: Generation, ds: Dataset, events: Ctx[]): void {
  const seen = new Set<string>();
  for (const e of events) {
    const caseId = e.caseId as string | undefined;
    if (!caseId || seen.has(caseId)) continue;
    seen.add(caseId);
    g.cases.push({ dataset: ds, ctx: e, caseId, decisionId: e.decisionId as string | undefined, agency: ds.controller, paymentIds: [] });
  }
}

/** Employer-reported VAB absence, mostly matching the VAB days claimed. */
function employerAbsenceEvents(g: Generation, vabDays: Ctx[], ds: Dataset): Ctx[] {
  const rng = g.rng.fork(`employer ${ds.id}`);
  const out: Ctx[] = [];
  let spec = 0;
  for (const e of vabDays) {
    if (!e.employer || e.outcome === 'avslag') continue;
    if (rng.chance(0.1)) continue; // not reported by the employer: a discrepancy to find
    const day = e.day as Day;
    const hours = rng.chance(0.15) ? rng.int(1, 7) : undefined;
    out.push(derive(e, { month: monthOf(day), hours, extent: hours === undefined ? e.extent : undefined, absenceType: 'tillfällig föräldrapenning', specification: String(++spec) }));
  }
  for (const p of g.population.persons) {
    if (!alive(p) || !p.employer || !p.children.some((c) => age(g, c) < 12) || !rng.chance(0.01)) continue;
    const day = addDays(g.reference, -rng.int(1, 90));
    if (!isWeekday(day)) continue;
    out.push({ person: p, employer: p.employer, day, month: monthOf(day), extent: 1, absenceType: 'tillfällig föräldrapenning', specification: String(++spec) });
  }
  return out;
}

/** The absence register: a child absent on its parent's VAB day (mostly), and other days. */
function schoolDayEvents(g: Generation, vabDays: Ctx[], ds: Dataset): Ctx[] {
  const rng = g.rng.fork(`school ${ds.id}`);
  const out: Ctx[] = [];
  const seen = new Set<string>();
  const yearStart: Day = { y: g.reference.y, m: 1, d: 1 };
  const push = (child: Person, day: Day, status: string, valid?: boolean): void => {
    if (!child.school || diffDays(day, yearStart) < 0) return;
    const key = `${child.pnr} ${child.school.code} ${iso(day)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({
      person: child, child, day, school: child.school.code, schoolForm: child.school.form, principalOrg: child.school.huvudman, attendance: status,
      valid, dayPart: rng.chance(0.9) ? 'heldag' : 'del av dag', reportedAt: `${iso(day)}T${pad(rng.int(15, 18))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`,
    });
  };
  for (const e of vabDays) {
    const child = e.child as Person | undefined;
    if (!child) continue;
    push(child, e.day as Day, rng.chance(0.92) ? 'frånvaro' : 'närvaro', rng.chance(0.9));
  }
  for (const p of g.population.persons) {
    if (!alive(p) || !p.school || !rng.chance(0.04)) continue;
    const day = addDays(g.reference, -rng.int(1, 60));
    if (isWeekday(day)) push(p, day, 'frånvaro', rng.chance(0.7));
  }
  return out;
}

function agiEvents(g: Generation, ds: Dataset, filter?: (p: Person) => boolean, months = 3): Ctx[] {
  const rng = g.rng.fork(`agi ${ds.id}`);
  const out: Ctx[] = [];
  for (const p of g.population.persons) {
    if (!p.employer || !p.salary || (filter && !filter(p))) continue;
    for (const { y, m } of monthsBefore(g.reference, months)) {
      const gross = p.sick && diffDays(firstOfMonth(y, m), p.sick.from) >= 0 ? Math.round(p.salary * (1 - p.sick.extent * 0.8)) : p.salary;
      out.push({
        person: p, employer: p.employer, month: `${pad(y, 4)}-${pad(m)}`, specification: '001', salary: gross,
        benefitsInKind: rng.chance(0.15) ? rng.int(500, 4000) : undefined, tax: Math.round(gross * (0.22 + rng.next() * 0.1)), corrected: rng.chance(0.01) ? true : undefined,
        source: 'arbetsgivardeklaration',
      });
    }
  }
  return out;
}

function taxYear(g: Generation): number {
  return g.reference.m >= 9 ? g.reference.y - 1 : g.reference.y - 2;
}

function taxEvents(g: Generation, ds: Dataset, filter?: (p: Person) => boolean): Ctx[] {
  const rng = g.rng.fork(`tax ${ds.id}`);
  const year = taxYear(g);
  const out: Ctx[] = [];
  for (const p of g.population.persons) {
    if (ageAt(p.birth, { y: year, m: 12, d: 31 }) < 18 || (p.dead && p.dead.y <= year) || (filter && !filter(p))) continue;
    const work = (p.salary ?? 0) * 12;
    const pension = (p.pensioner?.monthly ?? 0) * 12;
    if (work + pension === 0 && !rng.chance(0.3)) continue;
    out.push({
      person: p, year: String(year), decisionDate: { y: year + 1, m: rng.pick([6, 8, 9]), d: rng.int(1, 28) }, income: work + pension,
      businessIncome: rng.chance(0.05) ? rng.int(-20_000, 300_000) : undefined, capitalIncome: rng.chance(0.4) ? rng.int(-15_000, 80_000) : undefined,
      pgi: Math.min(work, 600_000), source: 'slutlig skatt',
    });
  }
  return out;
}

/* ---------------- element values ---------------- */

const paths = new Map<string, string[]>();
function fromCtx(ctx: Ctx, key: string): unknown {
  let path = paths.get(key);
  if (!path) {
    path = key.split('.');
    paths.set(key, path);
  }
  let v: unknown = ctx[path[0]!];
  for (let i = 1; i < path.length; i++) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[path[i]!] : undefined;
  return v;
}

/** A context value as an element value of the element's datatype. */
function asValue(v: unknown, el: DataElement): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && 'pnr' in (v as object)) return (v as Person).pnr;
  if (typeof v === 'object' && 'y' in (v as object) && 'm' in (v as object)) {
    const day = v as Day;
    if (el.datatype === xsd.gYearMonth) return monthOf(day);
    if (el.datatype === xsd.gYear) return pad(day.y, 4);
    return iso(day);
  }
  if (el.datatype === xsd.decimal || el.datatype === xsd.integer) return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : undefined;
  if (el.datatype === xsd.boolean) return typeof v === 'boolean' ? v : undefined;
  return typeof v === 'string' ? v : String(v);
}

function valueFor(el: DataElement, spec: ValueSpec | undefined, ctx: Ctx, rng: Rng): unknown {
  if (spec === undefined) return undefined;
  if (typeof spec !== 'object') return asValue(spec, el);
  if (spec.p !== undefined && !rng.chance(spec.p)) return undefined;
  if (spec.from) return asValue(fromCtx(ctx, spec.from), el);
  if (spec.values) return asValue(rng.pick(spec.values), el);
  if (spec.min !== undefined && spec.max !== undefined) {
    const round = spec.round ?? 1;
    return Math.round((spec.min + rng.next() * (spec.max - spec.min)) / round) * round;
  }
  return undefined;
}

/** A value for an element the profile does not describe, by its datatype (required elements only). */
function fallbackValue(el: DataElement, ctx: Ctx, rng: Rng, n: number, ref: Day): unknown {
  switch (el.datatype) {
    case xsd.date: return iso((ctx.start as Day | undefined) ?? addDays(ref, -rng.int(1, 300)));
    case xsd.dateTime: return `${iso(addDays(ref, -rng.int(1, 30)))}T12:00:00`;
    case xsd.gYearMonth: return monthOf(addDays(ref, -rng.int(1, 90)));
    case xsd.gYear: return pad((ref).y - 1, 4);
    case xsd.decimal: return rng.int(0, 10_000);
    case xsd.integer: return rng.int(0, 10);
    case xsd.boolean: return rng.chance(0.5);
    default: return el.validator ? ctx.person.pnr : `${el.id}-${n}`;
  }
}

/** A record of a dataset, by element identifier. */
function canonicalRecord(g: Generation, ds: Dataset, spec: DatasetProfile, ctx: Ctx, rng: Rng, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const el of ds.elements) {
    const own = spec.values?.[el.id];
    let v = own !== undefined ? valueFor(el, own, ctx, rng) : valueFor(el, g.profile.elements[el.id], ctx, rng);
    if (v === undefined && el.required) v = fallbackValue(el, ctx, rng, n, g.reference);
    if (v !== undefined) out[el.id] = v;
  }
  return out;
}

/* ---------------- errors on purpose ---------------- */

function breakPnr(pnr: string, kind: string): string {
  if (kind === 'personnummer-date') return `${pnr.slice(0, 6)}00${pnr.slice(8, 11)}${luhnDigit(`${pnr.slice(2, 6)}00${pnr.slice(8, 11)}`)}`;
  const wrong = (Number(pnr[11]) + 1 + (Number(pnr[10]) % 8)) % 10;
  return pnr.slice(0, 11) + String(wrong === Number(pnr[11]) ? (wrong + 1) % 10 : wrong);
}

/** Makes a record wrong in one way; returns false when the kind does not apply to it. */
function injectError(ds: Dataset, layout: Layout, record: Record<string, unknown>, kind: string, rng: Rng): boolean {
  const pick = (test: (el: DataElement) => boolean): DataElement | undefined => {
    const candidates = ds.elements.filter((el) => test(el) && record[el.id] !== undefined && layout.byElement.has(el.iri));
    return candidates.length > 0 ? rng.pick(candidates) : undefined;
  };
  switch (kind) {
    case 'personnummer-luhn':
    case 'personnummer-date': {
      const el = pick((e) => e.validator?.endsWith('PersonnummerCheck') ?? false);
      if (!el || !checkPersonnummer(String(record[el.id])).ok) return false;
      record[el.id] = breakPnr(String(record[el.id]), kind);
      return true;
    }
    case 'organisationsnummer': {
      const el = pick((e) => e.validator?.endsWith('OrganisationsnummerCheck') ?? false);
      if (!el) return false;
      const v = String(record[el.id]);
      record[el.id] = v.slice(0, -1) + String((Number(v.slice(-1)) + 3) % 10);
      return true;
    }
    case 'period': {
      const el = pick((e) => e.datatype === xsd.gYearMonth);
      if (!el) return false;
      record[el.id] = `${String(record[el.id]).slice(0, 4)}-13`;
      return true;
    }
    case 'date': {
      const el = pick((e) => e.datatype === xsd.date);
      if (!el) return false;
      record[el.id] = `${String(record[el.id]).slice(0, 4)}-02-30`;
      return true;
    }
    case 'negative-amount': {
      const el = pick((e) => e.datatype === xsd.decimal && layout.constraints[layout.byElement.get(e.iri)!.field]?.minimum !== undefined);
      if (!el) return false;
      record[el.id] = -Math.abs(Number(record[el.id]) || 100);
      return true;
    }
    case 'missing-required': {
      const idElements = new Set(layout.idFields.map((f) => layout.byField.get(f)?.element.id));
      const el = pick((e) => e.required && !idElements.has(e.id));
      if (!el) return false;
      delete record[el.id];
      return true;
    }
    default:
      return false;
  }
}

/* ---------------- records in the source layout ---------------- */

/** A record by element identifier → the same record in the layout's field names and forms. */
export function toSourceRecord(layout: Layout, canonical: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of layout.fields) {
    const v = canonical[f.element.id];
    if (v === undefined) continue;
    if (layout.defaults[f.field] !== undefined && layout.defaults[f.field] === v) continue;
    out[f.field] = toSourceValue(layout, f.field, v);
  }
  for (const field of layout.idFields) {
    if (!(field in out) && layout.ignore.has(field)) out[field] = extra[field] ?? extra.specification ?? '1';
  }
  if (layout.canonical) out.id = extra.id;
  return out;
}

export interface DemoDataset {
  dataset: Dataset;
  layout: Layout;
  records: Record<string, unknown>[];
  /** Records made wrong on purpose. */
  wrong: number;
}

export interface DemoOptions {
  persons: number;
  seed?: number;
  /** The demo's "today"; dates are relative to it. */
  reference: Date;
  profile?: DemoProfile;
  /** Only these datasets (ids); default all with a record class. */
  only?: string[];
}

/** Derived streams need the cases of the benefit streams: they run last. */
const DERIVED = new Set(['person', 'case', 'decision', 'payment', 'selection', 'investigation', 'recovery', 'employer-absence', 'school-day', 'income-copy']);

export function generateDemo(catalog: Catalog, options: DemoOptions): DemoDataset[] {
  const profile = options.profile ?? loadDemoProfile();
  const seed = options.seed ?? DEFAULT_SEED;
  const reference: Day = { y: options.reference.getUTCFullYear(), m: options.reference.getUTCMonth() + 1, d: options.reference.getUTCDate() };
  const population = generatePopulation({ persons: options.persons, seed, reference, names: profile.names });
  const g: Generation = { catalog, population, profile, rng: new Rng(seed).fork('events'), reference, cases: [], counters: new Map(), investigations: [] };
  const registry = ingestEngine(catalog).mappings;
  const datasets = [...catalog.datasets.values()].filter((d) => d.recordClass && (!options.only || options.only.includes(d.id)));
  const specOf = (ds: Dataset): DatasetProfile => profile.datasets[ds.id] ?? { stream: 'benefit', cohort: 'all-adults', share: 0.003, style: 'period' };
  const events = new Map<string, Ctx[]>();
  const streamOf = (ds: Dataset) => specOf(ds).stream;
  // Phase 1: primary events.
  for (const ds of datasets.filter((d) => !DERIVED.has(streamOf(d)))) {
    const spec = specOf(ds);
    let list: Ctx[];
    switch (spec.stream) {
      case 'vab-day': list = parentalDayEvents(g, ds, spec, 12, 240); break;
      case 'parental-day': list = parentalDayEvents(g, ds, spec, 8, 0); break;
      case 'child': list = population.persons.filter((c) => alive(c) && age(g, c) < 16 && c.guardians.some(alive)).map((c) => {
        const guardian = c.guardians.filter(alive).sort((a, b) => (a.sex === 'K' ? -1 : 1) - (b.sex === 'K' ? -1 : 1))[0]!;
        return { person: guardian, child: c, benefit: ds.id, caseId: `BB-${pad(c.index, 7)}`, decisionId: `B-${addDays(c.birth, 30).y}-BB${pad(c.index, 7)}`, start: addDays(c.birth, 30), decisionDate: addDays(c.birth, 20), amountMonthly: 1250, decisionAmount: 1250, outcome: 'bifall', childrenCount: guardian.children.filter((k) => age(g, k) < 16).length };
      }); break;
      case 'agi': list = agiEvents(g, ds); break;
      case 'tax': list = taxEvents(g, ds); break;
      case 'occupational-pension': list = population.persons.filter((p) => alive(p) && p.pensioner && g.rng.fork(`tjp ${p.index}`).chance(0.7)).map((p) => ({ person: p, payer: g.rng.fork(`tjp ${p.index}`).pick(population.employers), year: String(taxYear(g)), amountYearly: Math.round((p.pensioner!.monthly * 12 * 0.35) / 10) * 10, start: p.pensioner!.from })); break;
      case 'study': list = population.persons.filter((p) => alive(p) && p.student).map((p) => ({ person: p, start: { y: reference.m >= 8 ? reference.y : reference.y - 1, m: 8, d: 28 } as Day, end: { y: reference.m >= 8 ? reference.y + 1 : reference.y, m: 6, d: 7 } as Day, school: g.rng.fork(`csn ${p.index}`).pick(population.employers), extent: p.employer ? 0.5 : 1, amountOnce: p.employer ? 5600 : 11_200 })); break;
      case 'programme': list = population.persons.filter((p) => alive(p) && p.programme).map((p) => ({ person: p, programmeDecisionId: p.programme!.decision, programme: p.programme!.code, decisionDate: addDays(p.programme!.from, -7), start: p.programme!.from, end: p.programme!.to, extent: p.programme!.extent })); break;
      default: list = benefitEvents(g, ds, spec);
    }
    events.set(ds.id, list);
    collectCases(g, ds, list);
  }
  // Phase 2: what follows from the cases.
  const agencyCases = (ds: Dataset) => g.cases.filter((c) => c.agency === ds.controller && c.dataset.iri !== ds.iri);
  const clients = (agency: string | undefined) => new Set(g.cases.filter((c) => c.agency === agency).map((c) => c.ctx.person));
  const order = ['employer-absence', 'school-day', 'income-copy', 'case', 'decision', 'payment', 'selection', 'investigation', 'recovery', 'person'];
  for (const stream of order) {
    for (const ds of datasets.filter((d) => streamOf(d) === stream)) {
      const spec = specOf(ds);
      const rng = g.rng.fork(`${stream} ${ds.id}`);
      let list: Ctx[] = [];
      const vabDays = [...events.entries()].filter(([id]) => specOf(catalog.dataset(id)!).stream === 'vab-day').flatMap(([, l]) => l);
      switch (stream) {
        case 'employer-absence': list = employerAbsenceEvents(g, vabDays, ds); break;
        case 'school-day': list = schoolDayEvents(g, vabDays, ds); break;
        case 'income-copy': {
          const who = clients(ds.controller);
          list = spec.cohort === 'tax' ? taxEvents(g, ds, (p) => who.has(p)) : agiEvents(g, ds, (p) => who.has(p), 1);
          break;
        }
        case 'case': list = agencyCases(ds).map((c) => {
          const closed = !!c.ctx.end && diffDays(reference, c.ctx.end as Day) > 0;
          return derive(c.ctx, { caseStatus: closed ? 'avslutat' : 'pågående', closedAt: closed ? c.ctx.end : undefined });
        }); break;
        case 'decision': list = agencyCases(ds).filter((c) => c.decisionId).map((c) => c.ctx); break;
        case 'payment': {
          for (const c of agencyCases(ds)) {
            if (!c.decisionId || c.ctx.outcome === 'avslag') continue;
            const ongoing = !c.ctx.end || diffDays(c.ctx.end as Day, addDays(reference, -90)) > 0;
            const monthly = (c.ctx.amountMonthly as number | undefined) ?? 0;
            // The latest month's payment of an ongoing case; one payment for a case that has ended.
            const months = ongoing ? monthsBefore(reference, 1) : [{ y: (c.ctx.end as Day).y, m: (c.ctx.end as Day).m }];
            for (const { y, m } of months) {
              const paymentId = `U-${pad(y, 4)}${pad(m)}-${pad(next(g, `payment ${ds.controller}`), 7)}`;
              c.paymentIds.push(paymentId);
              const daily = (c.ctx.amountDaily as number | undefined) ?? 0;
              const sum = specOf(c.dataset).style === 'days' || specOf(c.dataset).stream.endsWith('-day') ? daily : specOf(c.dataset).style === 'ongoing' ? monthly : (specOf(c.dataset).style === 'once' ? (c.ctx.amountOnce as number) : daily * 21);
              list.push(derive(c.ctx, { paymentId, paymentDate: { y, m, d: 25 }, month: `${pad(y, 4)}-${pad(m)}`, amountPaid: Math.max(1, Math.round(sum)), paidFrom: firstOfMonth(y, m), paidTo: { y, m, d: daysInMonth(y, m) }, paymentStatus: rng.chance(0.98) ? 'utbetald' : 'stoppad', tax: Math.round(sum * 0.3) }));
            }
          }
          break;
        }
        case 'selection': {
          for (const c of agencyCases(ds)) {
            if (!rng.chance(spec.share ?? 0.015)) continue;
            const selectionDate = addDays(reference, -rng.int(5, 120));
            const ctx: Ctx = derive(c.ctx, { selectionId: `URV-${selectionDate.y}-${pad(next(g, `selection ${ds.controller}`), 5)}`, selectionDate, riskScore: Math.round((0.55 + rng.next() * 0.45) * 100) / 100, selected: true });
            list.push(ctx);
            g.investigations.push(derive(ctx, { agency: ds.controller }));
          }
          break;
        }
        case 'investigation': {
          for (const s of g.investigations.filter((x) => x.agency === ds.controller)) {
            if (!rng.chance(0.6)) continue;
            const startedAt = addDays(s.selectionDate as Day, rng.int(1, 20));
            const closed = diffDays(reference, startedAt) > 40 && rng.chance(0.7);
            const result = closed ? rng.weighted([['ingen åtgärd', 55], ['återkrav', 35], ['polisanmälan', 10]] as const) : undefined;
            const ctx: Ctx = derive(s, { investigationId: `KU-${startedAt.y}-${pad(next(g, `investigation ${ds.controller}`), 5)}`, startedAt, closedAt: closed ? addDays(startedAt, rng.int(20, 60)) : undefined, result, policeReport: result === 'polisanmälan', amountWrong: result && result !== 'ingen åtgärd' ? rng.int(2000, 60_000) : undefined });
            list.push(ctx);
            s.investigation = ctx;
          }
          break;
        }
        case 'recovery': {
          const mine = g.investigations.filter((x) => x.agency === ds.controller && x.investigation && x.decisionId);
          // A small population still shows one recovery claim: the first closed investigation's.
          if (!mine.some((x) => ['återkrav', 'polisanmälan'].includes((x.investigation as Ctx).result as string))) {
            const first = mine.find((x) => (x.investigation as Ctx).closedAt);
            if (first) Object.assign(first.investigation as Ctx, { result: 'återkrav', amountWrong: 4800 });
          }
          for (const s of mine) {
            const inv = s.investigation as Ctx | undefined;
            if (!inv || (inv.result !== 'återkrav' && inv.result !== 'polisanmälan') || !s.decisionId) continue;
            const c = g.cases.find((k) => k.caseId === s.caseId);
            const wrong = inv.amountWrong as number;
            list.push(derive(inv, { recoveryId: `AK-${(inv.closedAt as Day).y}-${pad(next(g, `recovery ${ds.controller}`), 5)}`, decisionDate: inv.closedAt, amountRecovery: wrong, amountRepaid: rng.chance(0.4) ? Math.round(wrong * rng.next()) : 0, paymentId: c?.paymentIds[0], recoveryStatus: rng.pick(['obetald', 'delvis betald', 'betald']) }));
          }
          break;
        }
        case 'person': {
          const filter = spec.cohort === 'clients' ? clients(ds.controller) : undefined;
          const people = new Set<Person>();
          for (const p of population.persons) if (!filter || filter.has(p)) people.add(p);
          if (filter) for (const p of [...people]) for (const c of p.children) people.add(c);
          list = [...people].map((p) => ({ person: p, guardian: p.guardians[0], childOf: p.children[0], legalSex: p.sex === 'K' ? 'kvinna' : 'man', address: p.protected ? undefined : p.address }));
          break;
        }
        default: break;
      }
      events.set(ds.id, list);
    }
  }
  // Records, in each dataset's source layout, with errors on purpose.
  const out: DemoDataset[] = [];
  for (const ds of datasets) {
    const spec = specOf(ds);
    let layout: Layout;
    try {
      layout = registry.layout(ds);
    } catch {
      continue; // a dataset whose mapping does not compile is reported by the mapping tests
    }
    const rng = g.rng.fork(`records ${ds.id}`);
    const errors = spec.errors ?? profile.defaultErrors;
    const records: Record<string, unknown>[] = [];
    const ids = new Set<string>();
    let wrong = 0;
    let n = 0;
    for (const ctx of events.get(ds.id) ?? []) {
      n++;
      const canonical = canonicalRecord(g, ds, spec, ctx, rng, n);
      const extra = { specification: ctx.specification, id: `${ds.id}-${n}` };
      const source = toSourceRecord(layout, canonical, extra);
      const key = JSON.stringify(layout.idFields.map((f) => source[f]));
      if (ids.has(key)) continue; // one record per id, as the source system keeps it
      ids.add(key);
      if (errors.share > 0 && rng.chance(errors.share)) {
        const broken = { ...canonical };
        if (injectError(ds, layout, broken, rng.pick(errors.kinds), rng)) {
          wrong++;
          records.push(toSourceRecord(layout, broken, extra));
          continue;
        }
      }
      records.push(source);
    }
    out.push({ dataset: ds, layout, records, wrong });
  }
  return out;
}

/* ---------------- loading ---------------- */

export interface DemoLoadDeps {
  catalog: Catalog;
  store: HubStore;
  config: { dataDir: string };
  now: () => Date;
  log: (line: string) => void;
}

export interface DemoSummary {
  persons: number;
  datasets: number;
  records: number;
  accepted: number;
  rejected: number;
  quads: number;
  seconds: number;
  skipped: string[];
}

/** True when the store holds no record graph: a fresh data directory. */
export async function storeHasRecords(store: HubStore): Promise<boolean> {
  const base = 'https://w3id.org/datalyft/graph/';
  return (await store.graphs()).some((g) => g.startsWith(base) && !['ontology', 'catalog', 'shapes'].includes(g.slice(base.length)));
}

/**
 * Generates the demo data and loads it through the ingest path, batch by batch, as a
 * principal that may write each dataset. Records with violations (the errors made on
 * purpose) are left out and logged to the quality log; every other record loads.
 */
export async function loadDemo(deps: DemoLoadDeps, options: DemoOptions & { onProgress?: (done: number, total: number, dataset: string) => void; signal?: AbortSignal }): Promise<DemoSummary> {
  const started = Date.now();
  const generated = generateDemo(deps.catalog, options);
  const total = generated.reduce((s, d) => s + d.records.length, 0);
  const summary: DemoSummary = { persons: options.persons, datasets: 0, records: total, accepted: 0, rejected: 0, quads: 0, seconds: 0, skipped: [] };
  let done = 0;
  // Two batches in flight: one in the SHACL worker or the store while the next is checked at the door.
  const inFlight = new Set<Promise<void>>();
  for (const { dataset, layout, records } of generated) {
    if (records.length === 0) continue;
    const writer = [...deps.catalog.principals.values()].find((p) => p.role && deps.catalog.roles.get(p.role)?.mayWrite.includes(dataset.iri));
    if (!writer) {
      summary.skipped.push(`${dataset.id} (no principal may write it)`);
      done += records.length;
      continue;
    }
    summary.datasets++;
    for (let start = 0; start < records.length; start += DEMO_BATCH) {
      if (options.signal?.aborted) break;
      const batch = records.slice(start, start + DEMO_BATCH);
      const job: Promise<void> = ingestBatch(deps, {
        dataset: dataset.iri, sourceSystem: layout.sourceSystem, records: batch, principal: writer.id, via: 'demo', invalid: 'skip-records', upsert: false,
      }).then((result) => {
        summary.accepted += result.accepted;
        summary.rejected += result.rejected;
        summary.quads += result.quads;
        done += batch.length;
        options.onProgress?.(done, total, dataset.id);
      }).finally(() => inFlight.delete(job));
      inFlight.add(job);
      if (inFlight.size >= 2) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}
