/**
 * A story's Markdown as HTML a page may show. Pure, unit-tested.
 *
 * markdown-it reads the Markdown with raw HTML turned off (any tag is shown as text), then
 * sanitize-html keeps only the tags and attributes listed here: no script or style, no event
 * attributes, no images or frames, and links only to http(s), mailto or this site's own
 * paths, each with rel="nofollow ugc". A line `{{chart <indicator id>}}` becomes a chart
 * segment the page draws itself (see model.ts, CHART_DIRECTIVE).
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

/** An address a story may link to: http(s), mailto, a path of this site or a place on the page. */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'a', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
	allowedAttributes: { a: ['href', 'rel'], ol: ['start'], th: ['scope'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	transformTags: {
		// The page's title is its only h1: a story's top heading is a section of the page.
		h1: 'h2',
		a: (tagName, attribs) => {
			const { href, ...rest } = attribs;
			return { tagName, attribs: { ...rest, ...(href && SAFE_HREF.test(href) ? { href } : {}), rel: 'nofollow ugc' } };
		}
	}
};

/** Sanitized HTML of a Markdown text (without chart segments). */
export function renderMarkdown(text: string): string {
	return sanitizeHtml(markdown.render(text), SANITIZE);
}

export type StorySegment = { kind: 'html'; html: string } | { kind: 'chart'; indicatorId: string };

/** A chart line as markdown-it renders it: a paragraph of its own (never inside code). */
const CHART_PARAGRAPH = /<p>\{\{\s*chart\s+([a-z0-9][a-z0-9-]*)\s*\}\}<\/p>\n?/gi;

/** A story's body as sanitized HTML pieces with its embedded charts between them (each indicator's once). */
export function renderStoryBody(text: string): StorySegment[] {
	const html = renderMarkdown(text);
	const segments: StorySegment[] = [];
	const charted = new Set<string>();
	let at = 0;
	for (const match of html.matchAll(CHART_PARAGRAPH)) {
		const before = html.slice(at, match.index).trim();
		if (before) segments.push({ kind: 'html', html: before });
		// One chart per indicator: a second line for the same one is left out.
		const indicatorId = match[1]!.toLowerCase();
		if (!charted.has(indicatorId)) segments.push({ kind: 'chart', indicatorId });
		charted.add(indicatorId);
		at = match.index + match[0].length;
	}
	const rest = html.slice(at).trim();
	if (rest) segments.push({ kind: 'html', html: rest });
	return segments;
}

/** The words of a Markdown text without any markup, for search and summaries. */
export function plainText(text: string): string {
	const html = renderMarkdown(text.replace(/^[ \t]*\{\{\s*chart\s+[^}]*\}\}[ \t]*$/gim, ''));
	return sanitizeHtml(html.replace(/<\/(p|h\d|li|blockquote|pre|tr)>/g, '$&\n'), { allowedTags: [], allowedAttributes: {} })
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/[ \t]+/g, ' ')
		.replace(/\n{2,}/g, '\n')
		.trim();
}
