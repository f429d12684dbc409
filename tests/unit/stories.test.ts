import { describe, expect, it } from 'vitest';
import { plainText, renderMarkdown, renderStoryBody } from '#lib/stories/render.ts';
import { chartIndicators, isStoryId, isVisible, publicationState, slugify } from '#lib/stories/model.ts';
import { COVER_MAX_BYTES, publishAtValue, readCoverForm, readStoryForm, sniffImageType } from '#lib/stories/form.ts';
import { comparePoints } from '#lib/stories/chart-compare.ts';

describe('story Markdown, sanitized', () => {
	it('renders ordinary Markdown: headings one level under the page title, lists, emphasis, links', () => {
		const html = renderMarkdown('# Jobs\n\nSome *good* news, **really**.\n\n- one\n- two\n\n[The data](https://example.org/data)');
		expect(html).toContain('<h2>Jobs</h2>');
		expect(html).toContain('<em>good</em>');
		expect(html).toContain('<strong>really</strong>');
		expect(html).toContain('<li>one</li>');
		expect(html).toContain('<a href="https://example.org/data" rel="nofollow ugc">The data</a>');
	});

	it('keeps no script: a <script> tag is shown as text, never as an element', () => {
		const html = renderMarkdown('Hello <script>alert(1)</script> world');
		expect(html).not.toMatch(/<script/i);
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	});

	it('keeps no event attributes: <img onerror> is text', () => {
		const html = renderMarkdown('<img src=x onerror="alert(1)">');
		expect(html).not.toMatch(/<img/i);
		expect(html).not.toMatch(/<[^>]+onerror/i);
	});

	it('makes no javascript: link', () => {
		for (const source of ['[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x](jav&#x09;ascript:alert(1))', '<javascript:alert(1)>', '[x](data:text/html;base64,PHNjcmlwdD4=)']) {
			const html = renderMarkdown(source);
			expect(html, source).not.toMatch(/href="\s*(javascript|data):/i);
			expect(html, source).not.toMatch(/<a [^>]*href="[^"]*script/i);
		}
	});

	it('keeps no raw HTML block', () => {
		const html = renderMarkdown('<div class="x" style="position:fixed">\n<iframe src="https://evil.example"></iframe>\n</div>\n\n<style>body{display:none}</style>');
		expect(html).not.toMatch(/<(div|iframe|style)\b/i);
		expect(html).not.toMatch(/<[a-z][^>]*\sstyle=/i);
		expect(html).toContain('&lt;div class="x"');
	});

	it('drops images and protocol-relative links, keeps the site\'s own paths', () => {
		expect(renderMarkdown('![a cat](https://example.org/cat.png)')).not.toMatch(/<img/i);
		expect(renderMarkdown('[x](//evil.example/)')).not.toMatch(/href="\/\//);
		expect(renderMarkdown('[Unemployment](/indicators/unemployment)')).toContain('<a href="/indicators/unemployment" rel="nofollow ugc">');
	});

	it('gives every link rel="nofollow ugc", replacing one written in the text', () => {
		const html = renderMarkdown('See https://example.org and [this](https://example.org/a "title")');
		expect(html.match(/<a /g)).toHaveLength(2);
		expect(html.match(/rel="nofollow ugc"/g)).toHaveLength(2);
		expect(html).not.toContain('title=');
	});
});

describe('embedded charts', () => {
	it('splits the body at lines {{chart <id>}}, not inside code', () => {
		const segments = renderStoryBody('Before.\n\n{{chart unemployment}}\n\nAfter.\n\n```\n{{chart energy}}\n```');
		expect(segments.map((s) => s.kind)).toEqual(['html', 'chart', 'html']);
		expect(segments[1]).toEqual({ kind: 'chart', indicatorId: 'unemployment' });
		expect((segments[2] as { html: string }).html).toContain('<pre><code>{{chart energy}}');
	});

	it('draws each indicator\'s chart once', () => {
		const segments = renderStoryBody('{{chart unemployment}}\n\nText.\n\n{{chart unemployment}}\n\n{{chart energy}}');
		expect(segments.filter((s) => s.kind === 'chart')).toEqual([
			{ kind: 'chart', indicatorId: 'unemployment' },
			{ kind: 'chart', indicatorId: 'energy' }
		]);
	});

	it('lists the charted indicators once each, in order', () => {
		expect(chartIndicators('{{chart b}}\ntext\n  {{ chart a }}\n{{chart b}}\nnot {{chart c}} inline')).toEqual(['b', 'a']);
	});

	it('leaves chart lines and markup out of the plain text', () => {
		expect(plainText('# Title\n\n{{chart unemployment}}\n\nA *story* & <b>more</b>.')).toBe('Title\nA story & <b>more</b>.');
	});
});

describe('the scheduling rule', () => {
	const now = new Date('2026-06-01T12:00:00Z');
	it('shows a published story whose time has come, or that has no time', () => {
		expect(isVisible({ status: 'published', publishAt: null }, now)).toBe(true);
		expect(isVisible({ status: 'published', publishAt: '2026-06-01T12:00:00Z' }, now)).toBe(true);
		expect(isVisible({ status: 'published', publishAt: '2026-05-01T00:00:00Z' }, now)).toBe(true);
	});
	it('hides a story scheduled for later, and every draft or story under review', () => {
		expect(isVisible({ status: 'published', publishAt: '2026-06-01T12:00:01Z' }, now)).toBe(false);
		expect(isVisible({ status: 'draft', publishAt: null }, now)).toBe(false);
		expect(isVisible({ status: 'pending_review', publishAt: '2020-01-01T00:00:00Z' }, now)).toBe(false);
		expect(isVisible({ status: 'published', publishAt: 'not a date' }, now)).toBe(false);
	});
	it('tells the back office what a story is waiting for', () => {
		expect(publicationState({ status: 'published', publishAt: '2027-01-01T00:00:00Z' }, now)).toBe('scheduled');
		expect(publicationState({ status: 'published', publishAt: null }, now)).toBe('live');
		expect(publicationState({ status: 'pending_review', publishAt: null }, now)).toBe('pending_review');
	});
});

describe('story ids', () => {
	it('are slugs made from the title', () => {
		expect(slugify('Jobs come back to Sacramento!')).toBe('jobs-come-back-to-sacramento');
		expect(slugify('Café & más')).toBe('cafe-mas');
		expect(isStoryId('jobs-come-back')).toBe(true);
		expect(isStoryId('Jobs')).toBe(false);
		expect(isStoryId('a--b')).toBe(false);
		expect(isStoryId('x')).toBe(false);
	});
});

describe('the story form', () => {
	const form = (fields: Record<string, string | string[]>) => {
		const data = new FormData();
		for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
		return data;
	};

	it('reads a valid story: trimmed text, a UTC date, authors, checked indicators and other links', () => {
		const result = readStoryForm(
			form({
				id: 'jobs-come-back',
				title: '  Jobs come back ',
				summary: 'Short.',
				body: 'Text\r\n\r\n{{chart unemployment}}',
				publishAt: '2026-06-01T09:30',
				authors: 'person: Ana Ruiz\nworkgroup: Jobs workgroup\n\nMaria Lopez',
				indicator: ['unemployment', 'labor-force', 'unemployment'],
				links: 'organization: valley-vision\nprogram: summer-jobs'
			})
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.value).toEqual({
			id: 'jobs-come-back',
			title: 'Jobs come back',
			summary: 'Short.',
			body: 'Text\n\n{{chart unemployment}}',
			publishAt: '2026-06-01T09:30:00.000Z',
			authors: [
				{ kind: 'person', name: 'Ana Ruiz' },
				{ kind: 'workgroup', name: 'Jobs workgroup' },
				{ kind: 'person', name: 'Maria Lopez' }
			],
			links: [
				{ type: 'indicator', id: 'unemployment' },
				{ type: 'indicator', id: 'labor-force' },
				{ type: 'organization', id: 'valley-vision' },
				{ type: 'program', id: 'summer-jobs' }
			]
		});
		expect(publishAtValue(result.value.publishAt)).toBe('2026-06-01T09:30');
	});

	it('says, per field, what is wrong', () => {
		const result = readStoryForm(
			form({ id: 'Not An Id', title: '', body: '', publishAt: '2026-02-30T10:00', authors: 'robot: R2', links: 'indicator: unemployment', summary: 'x'.repeat(501) })
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems).toEqual({ id: 'id_format', title: 'required', body: 'required', publishAt: 'date', authors: 'author_line', links: 'link_line', summary: 'too_long' });
		expect(result.values.title).toBe('');
	});

	it('keeps the id of an existing story whatever the form says', () => {
		const result = readStoryForm(form({ id: 'other', title: 'T', body: 'B' }), 'fixed-id');
		expect(result.ok && result.value.id).toBe('fixed-id');
		expect(result.ok && result.value.publishAt).toBeNull();
	});
});

describe('the cover image', () => {
	const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
	const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
	const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

	it('is known by its bytes, whatever its name or claimed type', () => {
		expect(sniffImageType(png)).toBe('image/png');
		expect(sniffImageType(jpeg)).toBe('image/jpeg');
		expect(sniffImageType(webp)).toBe('image/webp');
		expect(sniffImageType(Buffer.from('GIF89a'))).toBeUndefined();
		expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
		expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeUndefined();
	});

	const coverForm = (file: File | undefined, alt: string) => {
		const data = new FormData();
		if (file) data.set('cover', file);
		data.set('alt', alt);
		return data;
	};

	it('takes a PNG, JPEG or WebP of at most 2 MB with its description', async () => {
		const result = await readCoverForm(coverForm(new File([png], 'x.jpg', { type: 'image/jpeg' }), 'A chart'), false);
		expect(result.ok && 'bytes' in result.value && result.value.contentType).toBe('image/png');
	});

	it('refuses a file that is not one of them, one too large, a missing one or a missing description', async () => {
		expect(await readCoverForm(coverForm(new File(['GIF89a...'], 'x.png', { type: 'image/png' }), 'A chart'), false)).toMatchObject({ ok: false, problems: { cover: 'cover_type' } });
		expect(await readCoverForm(coverForm(new File([png, Buffer.alloc(COVER_MAX_BYTES)], 'x.png'), 'A chart'), false)).toMatchObject({ ok: false, problems: { cover: 'cover_size' } });
		expect(await readCoverForm(coverForm(undefined, 'A chart'), false)).toMatchObject({ ok: false, problems: { cover: 'cover_required' } });
		expect(await readCoverForm(coverForm(new File([png], 'x.png'), '  '), false)).toMatchObject({ ok: false, problems: { alt: 'alt_required' } });
		// With an image there already: a new description alone.
		expect(await readCoverForm(coverForm(undefined, 'New words'), true)).toEqual({ ok: true, value: { alt: 'New words' }, alt: 'New words' });
	});
});

describe('an embedded chart, then and now', () => {
	it('lines up the values of both dates by period', () => {
		const then = [
			{ period: '2022', year: 2022, value: 4.2 },
			{ period: '2023', year: 2023, value: 4.3 }
		];
		expect(comparePoints(then, then)).toEqual({ changed: false, rows: [{ period: '2022', then: 4.2, now: 4.2 }, { period: '2023', then: 4.3, now: 4.3 }] });
		const now = [
			{ period: '2023', year: 2023, value: 4.4 },
			{ period: '2024', year: 2024, value: 4.9 }
		];
		expect(comparePoints(then, now)).toEqual({
			changed: true,
			rows: [
				{ period: '2022', then: 4.2, now: null },
				{ period: '2023', then: 4.3, now: 4.4 },
				{ period: '2024', then: null, now: 4.9 }
			]
		});
		expect(comparePoints(undefined, now).changed).toBe(false);
	});
});
