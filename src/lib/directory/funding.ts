/**
 * Sums of funding records (COMMUNITY.md §1), pure: which records reach an indicator, and their
 * totals by year, source kind or any other key. Amounts in different currencies are kept
 * apart, never added; each record counts once however many links reach it.
 */
import { fundingYear, type Funding } from './model.ts';

export type FundingFacts = Pick<Funding, 'id' | 'programId' | 'recipientId' | 'amount' | 'currency' | 'fiscalYear' | 'awardDate' | 'sourceKind'>;

export interface YearTotal {
	year: number;
	amount: number;
	currency: string;
}

export interface KeyTotal {
	key: string;
	amount: number;
	currency: string;
	/** How many records the total adds up. */
	records: number;
}

/** The records whose program is linked, or that have no program and whose recipient is linked; each once. */
export function fundingReaching<T extends FundingFacts>(records: Iterable<T>, linked: { programs: ReadonlySet<string>; organizations: ReadonlySet<string> }): T[] {
	const seen = new Set<string>();
	const reached: T[] = [];
	for (const record of records) {
		if (seen.has(record.id)) continue;
		const reaches = record.programId !== null ? linked.programs.has(record.programId) : linked.organizations.has(record.recipientId);
		if (!reaches) continue;
		seen.add(record.id);
		reached.push(record);
	}
	return reached;
}

/** Totals per year and currency, by year then currency; records without a year are left out (see `undated`). */
export function totalsByYear(records: Iterable<FundingFacts>): YearTotal[] {
	const totals = new Map<string, YearTotal>();
	for (const record of records) {
		const year = fundingYear(record);
		if (year === null) continue;
		const key = `${year}|${record.currency}`;
		const total = totals.get(key) ?? { year, amount: 0, currency: record.currency };
		total.amount += record.amount;
		totals.set(key, total);
	}
	return [...totals.values()].map((t) => ({ ...t, amount: roundCents(t.amount) })).sort((a, b) => a.year - b.year || a.currency.localeCompare(b.currency));
}

/** Records that have neither a fiscal year nor an award date, so count in no year. */
export function undated<T extends FundingFacts>(records: Iterable<T>): T[] {
	return [...records].filter((r) => fundingYear(r) === null);
}

/** Totals per key (e.g. source kind) and currency, largest first. */
export function totalsBy<T extends FundingFacts>(records: Iterable<T>, keyOf: (record: T) => string): KeyTotal[] {
	const totals = new Map<string, KeyTotal>();
	for (const record of records) {
		const key = keyOf(record);
		const id = `${key}|${record.currency}`;
		const total = totals.get(id) ?? { key, amount: 0, currency: record.currency, records: 0 };
		total.amount += record.amount;
		total.records++;
		totals.set(id, total);
	}
	return [...totals.values()].map((t) => ({ ...t, amount: roundCents(t.amount) })).sort((a, b) => a.currency.localeCompare(b.currency) || b.amount - a.amount || a.key.localeCompare(b.key));
}

/** The currencies that occur, the most-used first (the one a chart draws). */
export function currenciesOf(totals: ReadonlyArray<{ currency: string; amount: number }>): string[] {
	const sums = new Map<string, number>();
	for (const t of totals) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.amount);
	return [...sums.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/** Sums of many cents-precise amounts drift in binary floating point; totals are shown to the cent. */
function roundCents(amount: number): number {
	return Math.round(amount * 100) / 100;
}

/**
 * Whether a record last verified on `verifiedAt` (`YYYY-MM-DD`, or null: never) is possibly
 * out of date on `today`: not verified within `months` months.
 */
export function isVerificationStale(verifiedAt: string | null, today: Date, months: number): boolean {
	if (!verifiedAt) return true;
	const [y, m, d] = verifiedAt.slice(0, 10).split('-').map(Number) as [number, number, number];
	const due = new Date(Date.UTC(y, m - 1 + months, d));
	// 31 March + 1 month is 1 May in Date arithmetic; the due date is the month's last day instead.
	if (due.getUTCDate() !== d) due.setUTCDate(0);
	return today.getTime() >= due.getTime() + 24 * 3600 * 1000;
}
