/**
 * `npm run audit`: Lighthouse (default mobile settings) on a running server; prints the
 * performance, accessibility, best-practices and SEO scores of each page and the audits that
 * cost points.
 *
 *   node bench/lighthouse.ts [base URL, default http://127.0.0.1:3000] [--page /path]... [--json]
 *
 * Default pages: the home, an area and an indicator page (the ones issue 4 holds to ≥ 95).
 * Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH). With --json, stdout carries one object
 * { machine, baseUrl, pages }; either way it is saved as bench/results/lighthouse-<timestamp>.json.
 * Exits with 1 when a score is under 95.
 */
import { parseArgs } from 'node:util';
import { AUDITED_PAGES, LIGHTHOUSE_CATEGORIES, auditPages, shortfalls } from '../tests/support/lighthouse.ts';
import { machineFacts, reporter, run, saveResult, table } from './support.ts';

const MINIMUM = 0.95;

async function main() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { page: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } }
	});
	const baseUrl = positionals[0] ?? 'http://127.0.0.1:3000';
	if (!URL.canParse(baseUrl)) throw new Error(`"${baseUrl}" is not a URL: give the running server's address, e.g. http://127.0.0.1:3000`);
	const reachable = await fetch(baseUrl, { redirect: 'manual' }).catch(() => null);
	if (!reachable) throw new Error(`Nothing answers at ${baseUrl}: start the server (npm start) or pass its address.`);

	const out = reporter(values.json);
	const paths = values.page ?? AUDITED_PAGES;
	out.log(`Lighthouse (mobile) on ${baseUrl}: ${paths.join(', ')}`);
	const pages = await auditPages(baseUrl, paths);

	const rows = pages.map((p) => [p.path, ...LIGHTHOUSE_CATEGORIES.map((c) => Math.round(p.categories[c].score * 100))]);
	out.log(table(['page', ...LIGHTHOUSE_CATEGORIES], rows));
	const below = shortfalls(pages, MINIMUM);
	if (below.length > 0) out.log(`\nUnder ${MINIMUM * 100}:\n${below.join('\n')}`);

	const result = { machine: machineFacts(), baseUrl, pages };
	out.log(`\nSaved ${saveResult('lighthouse', result)}`);
	out.result(result);
	if (below.length > 0) process.exitCode = 1;
}

run(main);
