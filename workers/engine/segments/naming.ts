/**
 * Automatic segment names from what sets each segment apart: the features whose segment mean is furthest from the
 * population mean in standard deviations (the z-score profile), worded for people ("High BALANCE · frequent
 * PURCHASES_INSTALLMENTS", "Many CASH_ADVANCE_TRX", "Older · low Income"). Names are unique within a labelling.
 */
import type { SegmentProfiles } from './profiles.ts';

export interface NamingOptions {
  /** Features named per segment (default 2). */
  max_terms?: number;
  /** A feature is named only when |z| reaches this (default 0.3 standard deviations). */
  min_abs_z?: number;
  /** Above this |z| the wording says "very" (default 1.5). */
  strong_z?: number;
}

export interface NameTerm {
  feature: string;
  z: number;
  text: string;
}

const FREQ_RE = /[_\s-]*(frequency|freq)$/i;
const COUNT_RE = /(^|[_\s-])(trx|count|cnt|visits|transactions)$/i;
/** NumWebPurchases, n_orders, count_visits (case matters: "Num" must be followed by a separator or a capital). */
const COUNT_PREFIX_RE = /^([Nn]um|[Nn]umber|[Cc]ount|n)([_\s-]|(?=[A-Z]))/;
const AGE_RE = /^(age|customer[_\s-]?age)$/i;
const TENURE_RE = /(^|[_\s-])(tenure|seniority)$/i;

/** One feature's wording: "high BALANCE", "frequent PURCHASES", "many CASH_ADVANCE_TRX", "older". Lower case first letter. */
export function describeTerm(feature: string, z: number, strong_z = 1.5): string {
  const up = z > 0;
  const very = Math.abs(z) >= strong_z ? 'very ' : '';
  if (AGE_RE.test(feature)) return `${very ? 'much ' : ''}${up ? 'older' : 'younger'}`;
  if (FREQ_RE.test(feature) && feature.replace(FREQ_RE, '') !== '') {
    return `${very}${up ? 'frequent' : 'rare'} ${feature.replace(FREQ_RE, '')}`;
  }
  if (TENURE_RE.test(feature)) return `${very}${up ? 'long' : 'short'} ${feature}`;
  if (COUNT_RE.test(feature) || COUNT_PREFIX_RE.test(feature)) return `${up ? (very ? 'very many' : 'many') : very ? 'very few' : 'few'} ${feature}`;
  return `${very}${up ? 'high' : 'low'} ${feature}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The features of segment c ordered by |z|, largest first (ties: column order). */
export function distinguishingFeatures(profile: SegmentProfiles, c: number): { feature: string; z: number }[] {
  const d = profile.features.length;
  const out = profile.features.map((feature, j) => ({ feature, z: profile.z[c * d + j], j }));
  out.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.j - b.j);
  return out.map(({ feature, z }) => ({ feature, z }));
}

/** What a column is about, without its frequency / count suffix (CASH_ADVANCE_FREQUENCY and CASH_ADVANCE_TRX: CASH_ADVANCE). */
function stem(feature: string): string {
  return feature.replace(FREQ_RE, '').replace(/[_\s-]*(trx|count|cnt)$/i, '').toLowerCase();
}

function nameFrom(terms: { feature: string; z: number }[], n: number, opts: Required<NamingOptions>): string {
  // The n largest differences, one per stem (a second term about the same thing says nothing new).
  const picked: { feature: string; z: number }[] = [];
  const stems = new Set<string>();
  for (const t of terms) {
    if (picked.length >= n || Math.abs(t.z) < opts.min_abs_z) break;
    if (stems.has(stem(t.feature))) continue;
    stems.add(stem(t.feature));
    picked.push(t);
  }
  if (picked.length === 0) return 'Average customers';
  return capitalise(picked.map((t) => describeTerm(t.feature, t.z, opts.strong_z)).join(' · '));
}

/** One unique name per segment of the profile, in the order of profile.labels. */
export function nameSegments(profile: SegmentProfiles, options: NamingOptions = {}): string[] {
  const opts: Required<NamingOptions> = { max_terms: 2, min_abs_z: 0.3, strong_z: 1.5, ...options };
  const k = profile.labels.length;
  const ranked = Array.from({ length: k }, (_, c) => distinguishingFeatures(profile, c));
  const nTerms = new Array<number>(k).fill(opts.max_terms);
  let names = ranked.map((r, c) => nameFrom(r, nTerms[c], opts));
  // Duplicates: name one more distinguishing feature (up to every feature), then number what is still the same.
  const d = profile.features.length;
  for (let round = 0; round < d; round++) {
    const dup = duplicates(names);
    if (dup.size === 0) break;
    let grew = false;
    names = names.map((name, c) => {
      if (!dup.has(name) || nTerms[c] >= d) return name;
      nTerms[c]++;
      grew = true;
      return nameFrom(ranked[c], nTerms[c], opts);
    });
    if (!grew) break;
  }
  return uniquify(names);
}

function duplicates(names: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return dup;
}

/** Appends " (2)", " (3)" … to later repeats so that every name is unique. */
export function uniquify(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let i = 2; used.has(name); i++) name = `${n} (${i})`;
    used.add(name);
    return name;
  });
}
