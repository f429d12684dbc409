import fs from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Flags, type Result } from 'lighthouse';
import { CHROMIUM_PATH } from './browser.ts';

export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number];

/**
 * The categories whose score does not depend on how busy the machine is. Performance is a
 * timing (Total Blocking Time of Chromium's own work moves it by 5–10 points under load), so
 * it is measured by `bench/lighthouse.ts`, never asserted by a test.
 */
export const DETERMINISTIC_CATEGORIES = ['accessibility', 'best-practices', 'seo'] as const satisfies readonly LighthouseCategory[];

/** The pages issue 4 holds to "Lighthouse at least 95": the home, an area and an indicator with sample data and a chart. */
export const AUDITED_PAGES = ['/', '/areas/sustainability', '/indicators/air-quality-pm25'] as const;

export interface FailingAudit {
	id: string;
	title: string;
	score: number | null;
	/** Lighthouse's own one-line explanation, e.g. "1 resource found" or a measured time. */
	displayValue?: string;
}

export interface CategoryScore {
	/** 0–1, as Lighthouse reports it (0.95 is shown as 95). */
	score: number;
	/** Audits in the category that lost points, worst first. */
	failing: FailingAudit[];
}

export interface PageAudit {
	path: string;
	url: string;
	/** The categories that were audited (all four unless fewer were asked for). */
	categories: Partial<Record<LighthouseCategory, CategoryScore>>;
}

/**
 * Lighthouse's default (mobile) settings: a Moto G-class viewport, simulated slow 4G and
 * 4× CPU slowdown. Throttling is simulated from the recorded trace, so the machine's own
 * speed matters far less than with applied throttling.
 */
const FLAGS: Flags = {
	output: 'json',
	logLevel: 'error'
};

/** Debian's Chromium, headless, with its own throwaway profile (chrome-launcher makes and removes one). */
async function launchChrome() {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`);
	}
	return chromeLauncher.launch({
		chromePath: CHROMIUM_PATH,
		chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic'],
		logLevel: 'silent'
	});
}

function categoryScore(result: Result, category: LighthouseCategory): CategoryScore {
	const found = result.categories[category];
	if (!found || found.score === null) {
		const reason = result.runtimeError?.message ?? 'the category has no score';
		throw new Error(`Lighthouse did not score "${category}" for ${result.finalDisplayedUrl}: ${reason}`);
	}
	const failing: FailingAudit[] = [];
	for (const ref of found.auditRefs) {
		const audit = result.audits[ref.id];
		// Weight 0 audits do not count toward the score; "notApplicable" and "manual" have no score.
		if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
		failing.push({ id: audit.id, title: audit.title, score: audit.score, displayValue: audit.displayValue });
	}
	failing.sort((a, b) => (a.score ?? 0) - (b.score ?? 0));
	return { score: found.score, failing };
}

/**
 * Runs Lighthouse on each path of a running server, one after another in one Chrome
 * (Lighthouse opens a fresh tab per page).
 */
export async function auditPages(
	baseUrl: string,
	paths: readonly string[] = AUDITED_PAGES,
	categories: readonly LighthouseCategory[] = LIGHTHOUSE_CATEGORIES
): Promise<PageAudit[]> {
	const chrome = await launchChrome();
	try {
		const audits: PageAudit[] = [];
		for (const path of paths) {
			const url = new URL(path, baseUrl).toString();
			const runner = await lighthouse(url, { ...FLAGS, onlyCategories: [...categories], port: chrome.port });
			if (!runner) throw new Error(`Lighthouse returned no result for ${url}.`);
			const { lhr } = runner;
			if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
			const scores: PageAudit['categories'] = Object.fromEntries(categories.map((c) => [c, categoryScore(lhr, c)]));
			audits.push({ path, url, categories: scores });
		}
		return audits;
	} finally {
		chrome.kill();
	}
}

/** Every category of every page under `minimum`, with the audits that cost it points. */
export function shortfalls(audits: PageAudit[], minimum: number): string[] {
	const lines: string[] = [];
	for (const page of audits) {
		for (const category of LIGHTHOUSE_CATEGORIES) {
			const audited = page.categories[category];
			if (!audited) continue;
			const { score, failing } = audited;
			if (score >= minimum) continue;
			lines.push(`${page.path} ${category}: ${Math.round(score * 100)} (needs ${Math.round(minimum * 100)})`);
			for (const audit of failing) {
				const score = audit.score === null ? '—' : String(Math.round(audit.score * 100));
				lines.push(`  ${audit.id} — ${audit.title}: ${score}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
			}
		}
	}
	return lines;
}
