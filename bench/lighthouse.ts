/**
 * Lighthouse (default mobile settings): the performance, accessibility, best-practices and
 * SEO scores of each page and the audits that cost points. The performance score is a timing
 * (Total Blocking Time moves with the machine's load), so it is measured here and reported in
 * BENCHMARKS.md; the test suite asserts only the other three (tests/browser/lighthouse.test.ts).
 *
 *   node bench/lighthouse.ts [base URL] [--page /path]... [--json]
 *
 * Without a base URL it starts `sac2050 serve` (build/) on a free port against a fresh SQLite
 * file with the region's sample data, and stops it afterwards. Default pages: the home, an
 * area and an indicator page. Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH). With
 * --json, stdout carries one object { machine, baseUrl, pages, meetsGoal }; either way it is
 * saved as bench/results/lighthouse-<timestamp>.json. The goal is 95 in every category.
 */
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../tests/support/databases.ts';
import { AUDITED_PAGES, LIGHTHOUSE_CATEGORIES, auditPages, shortfalls } from '../tests/support/lighthouse.ts';
import { startServer } from '../tests/support/server.ts';
import { machineFacts, reporter, run, saveResult, table } from './support.ts';

const MINIMUM = 0.95;

async function main() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { page: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } }
	});
	const out = reporter(values.json);
	let baseUrl = positionals[0];
	let stop = async () => {};
	if (baseUrl === undefined) {
		const database = await createTestDatabase('sqlite');
		const server = await startServer({ DATABASE_URL: database.url });
		baseUrl = server.url;
		stop = async () => {
			await server.stop();
			await database.drop();
		};
	} else {
		if (!URL.canParse(baseUrl)) throw new Error(`"${baseUrl}" is not a URL: give the running server's address, e.g. http://127.0.0.1:3000`);
		const reachable = await fetch(baseUrl, { redirect: 'manual' }).catch(() => null);
		if (!reachable) throw new Error(`Nothing answers at ${baseUrl}: start the server (npm start) or pass its address.`);
	}

	try {
		const paths = values.page ?? AUDITED_PAGES;
		out.log(`Lighthouse (mobile) on ${baseUrl}: ${paths.join(', ')}`);
		const pages = await auditPages(baseUrl, paths);

		const rows = pages.map((p) => [p.path, ...LIGHTHOUSE_CATEGORIES.map((c) => Math.round((p.categories[c]?.score ?? 0) * 100))]);
		out.log(table(['page', ...LIGHTHOUSE_CATEGORIES], rows));
		const below = shortfalls(pages, MINIMUM);
		if (below.length > 0) out.log(`\nUnder ${MINIMUM * 100}:\n${below.join('\n')}`);

		const result = { benchmark: 'lighthouse', machine: machineFacts(), baseUrl, pages, meetsGoal: below.length === 0 };
		out.log(`\nSaved ${saveResult('lighthouse', result)}`);
		out.result(result);
	} finally {
		await stop();
	}
}

run(main);
