import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility, axeViolations } from '../support/axe.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

/**
 * Stories in the built server, with and without JavaScript: the list and a sample story
 * (labelled as sample data, with its embedded chart and the chart's table), the story on its
 * indicator's page, real 404s for unknown, draft and scheduled stories, and the back office:
 * an editor writes a story, is told what is wrong with a cover that is too large or not an
 * image (nothing saved), adds one, schedules, previews and publishes. axe on every page.
 */

const PASSWORD = 'correct horse battery staple';
const EDITOR = 'editor@example.org';
const SAMPLE = 'jobs-after-two-downturns';

/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1cf6b0000000049454e44ae426082', 'hex');

const SCREENSHOTS = path.join(PROJECT_DIR, 'test-results');

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	const created = await runCli(['user', 'create', '--email', EDITOR, '--role', 'editor'], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
	expect(created.code, created.stderr).toBe(0);
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
});

async function newContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
	return browser.newContext({ javaScriptEnabled });
}

async function headingLevels(page: Page): Promise<number[]> {
	return page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((els) => els.map((e) => Number(e.tagName.slice(1))));
}

function expectHeadingOrder(levels: number[]) {
	expect(levels.filter((l) => l === 1)).toHaveLength(1);
	for (let i = 1; i < levels.length; i++) expect(levels[i]!, `heading ${i}: ${levels.join(',')}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
}

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true },
	{ name: 'without JavaScript', javaScriptEnabled: false }
])('public story pages $name', ({ name, javaScriptEnabled }) => {
	it('lists the published stories, newest first, labelled as sample data', async () => {
		const context = await newContext(javaScriptEnabled);
		const page = await context.newPage();
		const response = await page.goto(server.url + '/stories');
		expect(response?.status()).toBe(200);
		expect(await page.locator('h1').textContent()).toBe('What are the challenges and opportunities?');
		const titles = await page.locator('.story-card__title a').allTextContents();
		expect(titles.sort()).toEqual(['Clearing the air after the smoke years', 'Jobs came back after two downturns']);
		expect(await page.locator('.story-card .sample-tag').count()).toBe(2);
		expect(await page.locator('.story-card', { hasText: 'Jobs came back' }).locator('.story-card__indicators a').allTextContents()).toEqual(['Unemployment', 'Labor Force']);
		await page.screenshot({ path: path.join(SCREENSHOTS, `stories-${javaScriptEnabled ? 'js' : 'nojs'}.png`), fullPage: true });
		expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stories' }).getAttribute('aria-current')).toBe('page');
		expectHeadingOrder(await headingLevels(page));
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});

	it('shows a story with its embedded chart, the chart as a table, and its links', async () => {
		const context = await newContext(javaScriptEnabled);
		const page = await context.newPage();
		await page.goto(server.url + `/stories/${SAMPLE}`);
		expect(await page.locator('h1').textContent()).toBe('Jobs came back after two downturns');
		expect(await page.locator('.story .notice').textContent()).toContain('This is a sample story');
		expect(await page.locator('.story__body h2').first().textContent()).toBe('What the numbers do not say');
		expect(await page.locator('.story__body a[href="/indicators/labor-force"]').getAttribute('rel')).toBe('nofollow ugc');
		const chart = page.locator('figure.story-chart');
		expect(await chart.count()).toBe(1);
		expect(await chart.locator('figcaption').textContent()).toContain('Unemployment');
		expect(await chart.locator('svg[role="img"]').count()).toBeGreaterThan(0);
		expect(await chart.locator('.story-chart__note').textContent()).toContain('The values are the same as when this story was published');
		await chart.locator('summary').click();
		expect(await chart.locator('table tbody tr').first().locator('th, td').allTextContents()).toEqual(['2010', '12.4', '12.4']);
		expect(await page.locator('.story__links li').allTextContents()).toEqual(['Indicator: Unemployment', 'Indicator: Labor Force']);
		await page.screenshot({ path: path.join(SCREENSHOTS, `story-${javaScriptEnabled ? 'js' : 'nojs'}.png`), fullPage: true });
		expectHeadingOrder(await headingLevels(page));
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});

	it('lists the story on its indicator page', async () => {
		const context = await newContext(javaScriptEnabled);
		const page = await context.newPage();
		await page.goto(server.url + '/indicators/unemployment');
		const section = page.locator('section#stories');
		expect(await section.getAttribute('aria-labelledby')).toBe('stories-heading');
		expect(await section.locator('h2').textContent()).toBe('Stories about this indicator');
		expect(await section.locator('.story-card__title a').getAttribute('href')).toBe(`/stories/${SAMPLE}`);
		await context.close();
	});

	it('answers a real 404 for a story that is not there', async () => {
		const context = await newContext(javaScriptEnabled);
		const page = await context.newPage();
		const response = await page.goto(server.url + '/stories/no-such-story');
		expect(response?.status()).toBe(404);
		expect((await page.goto(server.url + '/stories/no-such-story/cover'))?.status()).toBe(404);
		await context.close();
	});
});

async function submit(page: Page, button: string | RegExp): Promise<Response> {
	const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
	await page.waitForLoadState('load');
	return response;
}

describe('the back office of stories', () => {
	it('writes, checks the cover, schedules, previews and publishes a story', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(server.url + '/sign-in?next=/admin/stories');
		await page.waitForLoadState('networkidle');
		await page.getByLabel('E-mail address').fill(EDITOR);
		await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await submit(page, 'Sign in');
		await page.waitForURL(server.url + '/admin/stories');
		expect(await page.locator('main table tbody tr').count()).toBe(2);
		expect(await axeViolations(page), 'list').toEqual([]);

		// A form with problems says which field and what to do.
		await page.getByRole('link', { name: 'Write a story' }).click();
		await page.getByLabel('Address').fill('Not An Address');
		expect((await submit(page, 'Save the draft')).status()).toBe(400);
		const summary = page.locator('.notice--error');
		expect(await summary.textContent()).toContain('Enter Title.');
		expect(await summary.textContent()).toContain('Address: use 2 to 80 lower-case letters');
		expect(await axeViolations(page), 'new with problems').toEqual([]);

		await page.getByLabel('Title').fill('Buses that come every ten minutes');
		await page.getByLabel('Address').fill('');
		await page.getByLabel('Summary').fill('What frequent buses would change.');
		await page.getByLabel('Story', { exact: true }).fill('Frequent buses change how people get to work.\n\n{{chart unemployment}}\n\n<script>alert(1)</script>');
		await page.getByLabel('Authors').fill('workgroup: Transportation workgroup');
		await page.getByRole('checkbox', { name: 'Unemployment' }).check();
		await submit(page, 'Save the draft');
		await page.waitForURL(/\/admin\/stories\/buses-that-come-every-ten-minutes\?created$/);
		expect(await page.locator('.notice--success').textContent()).toContain('The draft is saved');
		expect(await axeViolations(page), 'edit').toEqual([]);
		// A draft is not on the site.
		expect((await context.request.get(server.url + '/stories/buses-that-come-every-ten-minutes')).status()).toBe(404);

		// A cover that is not an image, or too large: the field is named and nothing is saved.
		await page.locator('input#cover').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a not really a png') });
		await page.getByLabel('Description of the image').fill('A bus at a stop');
		expect((await submit(page, 'Save the cover image')).status()).toBe(400);
		expect(await page.locator('#cover-error').textContent()).toContain('Cover image: this file is not a PNG, JPEG or WebP image');
		await page.locator('input#cover').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]) });
		await page.getByLabel('Description of the image').fill('A bus at a stop');
		expect((await submit(page, 'Save the cover image')).status()).toBe(400);
		expect(await page.locator('#cover-error').textContent()).toContain('Cover image: the file is larger than 2 MB');
		await page.locator('input#cover').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]) });
		await submit(page, 'Save the cover image');
		await page.waitForURL(/\?cover_too_large=\d+#cover$/);
		expect(await page.locator('#cover-error').textContent()).toContain('Cover image: the file is larger than 2 MB');
		expect(await page.locator('.story-cover-preview').count()).toBe(0);
		expect(await axeViolations(page), 'cover problems').toEqual([]);

		// No description: required.
		await page.locator('input#cover').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
		await page.getByLabel('Description of the image').fill('');
		expect((await submit(page, 'Save the cover image')).status()).toBe(400);
		expect(await page.locator('#alt-error').textContent()).toContain('Description of the image: describe what the image shows');
		await page.locator('input#cover').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
		await page.getByLabel('Description of the image').fill('A bus at a stop');
		await submit(page, 'Save the cover image');
		await page.waitForURL(/\?cover$/);
		expect(await page.locator('.story-cover-preview').getAttribute('alt')).toBe('A bus at a stop');
		await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-story-edit.png'), fullPage: true });

		// Scheduled for later: published, yet not on the site.
		await page.getByLabel('Publish on (UTC)').fill('2099-01-01T09:00');
		await submit(page, 'Save changes');
		await page.waitForURL(/\?saved$/);
		await submit(page, /^Publish on /);
		await page.waitForURL(/\?published$/);
		expect(await page.locator('.notice--success').textContent()).toContain('readers see it from January 1, 2099');
		expect((await context.request.get(server.url + '/stories/buses-that-come-every-ten-minutes')).status()).toBe(404);
		expect((await context.request.get(server.url + '/stories/buses-that-come-every-ten-minutes/cover')).status()).toBe(404);

		// The preview shows it as readers will, the raw HTML as text.
		await page.getByRole('link', { name: 'Preview the story' }).click();
		expect(await page.locator('h1').textContent()).toBe('Buses that come every ten minutes');
		expect(await page.locator('.story__body script').count()).toBe(0);
		expect(await page.locator('.story__body').textContent()).toContain('<script>alert(1)</script>');
		expect(await page.locator('figure.story-chart').count()).toBe(1);
		expect(await axeViolations(page), 'preview').toEqual([]);

		// Now: on the site, with its cover from the database.
		await page.goto(server.url + '/admin/stories/buses-that-come-every-ten-minutes');
		await submit(page, 'Take it off the site');
		await page.getByLabel('Publish on (UTC)').fill('');
		await submit(page, 'Save changes');
		await submit(page, 'Publish now');
		await page.waitForURL(/\?published$/);
		const story = await context.request.get(server.url + '/stories/buses-that-come-every-ten-minutes');
		expect(story.status()).toBe(200);
		await page.goto(server.url + '/stories');
		await page.screenshot({ path: path.join(SCREENSHOTS, 'stories-with-cover.png'), fullPage: true });
		const img = page.locator('.story-card', { hasText: 'Buses that come' }).locator('img');
		expect(await img.getAttribute('alt')).toBe('A bus at a stop');
		const cover = await context.request.get(server.url + (await img.getAttribute('src'))!);
		expect(cover.status()).toBe(200);
		expect(cover.headers()['content-type']).toBe('image/png');
		expect(cover.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
		expect(Buffer.compare(await cover.body(), PNG)).toBe(0);
		const unversioned = await context.request.get(server.url + '/stories/buses-that-come-every-ten-minutes/cover');
		expect(unversioned.headers()['cache-control']).toBe('public, max-age=0, must-revalidate');
		await context.close();
	});
});
