import { describe, expect, it } from 'vitest';
import { plainText, renderMarkdown, renderStoryBody } from '#lib/stories/render.ts';
import { chartIndicators, isStoryId, isVisible, publicationState, slugify } from '#lib/stories/model.ts';

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
