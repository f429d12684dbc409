import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';

/** The WCAG 2.2 AA rule set every page is checked against. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe violations of the page as it is now, one readable line each. */
export async function axeViolations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
	return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

/**
 * axe needs script in the page, so a page "without JavaScript" is checked in a context whose
 * own scripts are blocked: the DOM is exactly the server-rendered one a no-JS visitor gets.
 */
export async function axeViolationsWithoutAppScripts(browser: Browser, visited: Page): Promise<string[]> {
	const context = await browser.newContext();
	await context.addCookies(await visited.context().cookies());
	await context.route('**/*.js', (route) => route.abort());
	const page = await context.newPage();
	await page.goto(visited.url());
	const violations = await axeViolations(page);
	await context.close();
	return violations;
}

/** axe for the page as the visitor of its context sees it, with or without JavaScript. */
export async function checkAccessibility(browser: Browser, page: Page, javaScriptEnabled: boolean): Promise<string[]> {
	return javaScriptEnabled ? axeViolations(page) : axeViolationsWithoutAppScripts(browser, page);
}
