/**
 * Funding totals worked out straight from directory files, without the application's code:
 * the independent side of the tests that check the queries, the API and the pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

type Row = Record<string, string>;

function read(dir: string, file: string): Row[] {
	const full = path.join(dir, file);
	return fs.existsSync(full) ? parse(fs.readFileSync(full, 'utf8'), { columns: true, skip_empty_lines: true }) : [];
}

const amountOf = (text: string) => Number(text.replace(/[$,\s]/g, ''));

/**
 * Per indicator: `year|currency` → total, from each folder's `links.csv`, `funding.csv` (the
 * exchange format) and `grants.csv` (360Giving, day-first award dates, no programs).
 */
export function expectedFundingByIndicator(dirs: readonly string[]): Map<string, Map<string, number>> {
	const links = dirs.flatMap((dir) => read(dir, 'links.csv'));
	const records = dirs.flatMap((dir) => [
		...read(dir, 'funding.csv').map((r) => ({ program: r.program_id || null, recipient: r.recipient_id!, amount: amountOf(r.amount!), currency: r.currency!, year: Number(r.fiscal_year || r.award_date!.slice(0, 4)) })),
		...read(dir, 'grants.csv').map((r) => ({ program: null, recipient: r['Recipient Org:Identifier']!, amount: amountOf(r['Amount Awarded']!), currency: r.Currency!, year: Number(r['Award Date']!.slice(6, 10)) }))
	]);
	const result = new Map<string, Map<string, number>>();
	for (const indicator of new Set(links.map((l) => l.indicator_id!))) {
		const mine = links.filter((l) => l.indicator_id === indicator);
		const programs = new Set(mine.filter((l) => l.subject_type === 'program').map((l) => l.subject_id));
		const organizations = new Set(mine.filter((l) => l.subject_type === 'organization').map((l) => l.subject_id));
		const totals = new Map<string, number>();
		for (const r of records) {
			if (r.program ? !programs.has(r.program) : !organizations.has(r.recipient)) continue;
			const key = `${r.year}|${r.currency}`;
			totals.set(key, Math.round(((totals.get(key) ?? 0) + r.amount) * 100) / 100);
		}
		result.set(indicator, totals);
	}
	return result;
}
