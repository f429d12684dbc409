/**
 * A small page of its own, for answers given before the app's pages run (a refused request,
 * a database that cannot take writes): a title, a paragraph and a link, no script, nothing
 * of the request echoed unescaped.
 */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PlainPage {
	status: number;
	locale: string;
	title: string;
	text: string;
	link: { href: string; label: string };
	headers?: Record<string, string>;
}

export function plainPage({ status, locale, title, text, link, headers = {} }: PlainPage): Response {
	const html = `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Sac2050</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b">
<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="${escapeHtml(link.href)}" style="color: #005ea2">${escapeHtml(link.label)}</a></p></main>
</body></html>`;
	return new Response(html, {
		status,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
			...headers
		}
	});
}
