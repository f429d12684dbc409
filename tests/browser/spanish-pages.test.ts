import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * Spanish pages hold no English interface text: every page a resident reaches, read as a
 * browser without JavaScript shows it (visible text, accessible names, chart and map texts),
 * against a list of English phrases: the interface catalog's own (messages/en.json, where the
 * Spanish differs) and the sentences the charts and maps are built from.
 */

type Catalog = Record<string, string | unknown[]>;
const read = (code: string): Catalog => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'messages', `${code}.json`), 'utf8'));

/** The literal stretches of an English message (placeholders removed) that a Spanish page must not contain. */
function englishPhrases(): string[] {
	const en = read('en');
	const es = read('es');
	const phrases = new Set<string>();
	for (const [key, text] of Object.entries(en)) {
		if (key === '$schema' || typeof text !== 'string' || es[key] === text) continue;
		for (const piece of text.split(/\{\w+\}/)) {
			const phrase = piece.trim().replace(/^[,.;:()\s]+|[,.;:()\s]+$/g, '');
			// Three words or more: shorter pieces ("Open SDG", "Sac2050") are names, the same in both languages.
			if (phrase.split(/\s+/).length >= 3) phrases.add(phrase);
		}
	}
	return [...phrases];
}

/** Sentences built in code around data (chart and map summaries, legends, units) and plain-vocabulary labels. */
const BUILT_PHRASES = [
	'It rose from',
	'It fell from',
	'It was ',
	'It stayed at',
	'ended where it started',
	'its lowest since',
	'its highest since',
	'Also shown',
	'target is',
	'If the recent trend continues',
	'a projection, not data',
	'had the highest value',
	'the lowest (',
	'places with data',
	'only one place',
	'No values are available',
	'No data for',
	'Darker shades',
	'Higher is better',
	'Lower is better',
	'no data (',
	'percent of labor force',
	'Sample data',
	'Not reported',
	'Not yet measured',
	'Improving',
	'Worsening',
	'Legend',
	'Projection to'
];

const PAGES = [
	'/es',
	'/es/areas/economy',
	'/es/areas/sustainability',
	'/es/indicators/unemployment',
	'/es/indicators/unemployment?compare=GeoCode',
	'/es/indicators/air-quality-pm25',
	'/es/places/06067',
	'/es/reporting-status',
	'/es/methodology',
	'/es/search?q=empleo',
	'/es/organizations',
	'/es/organizations?kind=nonprofit&q=zzzz',
	'/es/organizations/river-city-reads',
	'/es/organizations/state-learning-grants-office',
	'/es/programs/after-school-tutoring',
	'/es/policies/regional-clean-air-plan',
	'/es/stories',
	'/es/stories/jobs-after-two-downturns',
	'/es/contact',
	'/es/translations',
	'/es/sign-in',
	'/es/sign-up',
	'/es/forgot-password',
	'/es/no-such-page'
];

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	browser = await launchBrowser();
	context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
});

afterAll(async () => {
	await context?.close();
	await browser?.close();
	await server?.stop();
	await database?.drop();
});

/** What a reader meets on the page: visible text, accessible names and descriptions, and the texts inside charts and maps. */
async function readerText(pathname: string): Promise<{ status: number; text: string }> {
	const page = await context.newPage();
	try {
		const response = await page.goto(server.url + pathname);
		const text = await page.evaluate(() => {
			const parts = [document.title, document.body.innerText];
			for (const element of document.querySelectorAll('[aria-label], [title], [alt], [placeholder], input[type="submit"][value]')) {
				for (const name of ['aria-label', 'title', 'alt', 'placeholder']) parts.push(element.getAttribute(name) ?? '');
				if (element instanceof HTMLInputElement && element.type === 'submit') parts.push(element.value);
			}
			for (const element of document.querySelectorAll('svg title, svg desc, svg text, details summary')) parts.push(element.textContent ?? '');
			return parts.join('\n');
		});
		return { status: response?.status() ?? 0, text };
	} finally {
		await page.close();
	}
}

describe('Spanish pages', () => {
	const phrases = [...englishPhrases(), ...BUILT_PHRASES];

	it('the list of English phrases is long enough to mean something', () => {
		expect(phrases.length).toBeGreaterThan(300);
		expect(phrases).toContain('Skip to main content');
	});

	it.each(PAGES)('%s shows no English interface text', async (pathname) => {
		const { status, text } = await readerText(pathname);
		expect(status).toBe(pathname.endsWith('no-such-page') ? 404 : 200);
		expect(text.length).toBeGreaterThan(200);
		const found = phrases.filter((phrase) => text.includes(phrase));
		expect(found, `${pathname} shows English: ${found.join(' | ')}`).toEqual([]);
	});

	it('the same check finds English on an English page (the check can fail)', async () => {
		const { text } = await readerText('/en/indicators/unemployment');
		const found = phrases.filter((phrase) => text.includes(phrase));
		expect(found.length).toBeGreaterThan(10);
		expect(found).toEqual(expect.arrayContaining(['It fell from', 'Darker shades', 'percent of labor force']));
	});
});
