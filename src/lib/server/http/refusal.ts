/**
 * A small page of its own for a request refused at the edge, before the app's pages run
 * (a form without its CSRF token, a body larger than the route takes). Such an answer is
 * given without reading the request's body; `sac2050 serve` then ends the connection.
 */
function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Refusal {
	status: number;
	locale: string;
	title: string;
	text: string;
	/** A link back: its text and same-site path. */
	back?: { label: string; href: string };
}

export function refusalPage({ status, locale, title, text, back }: Refusal): Response {
	const link = back ? `<p><a href="${escapeHtml(back.href)}" style="color: #005ea2">${escapeHtml(back.label)}</a></p>` : '';
	const html = `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Sac2050</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b">
<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${link}</main>
</body></html>`;
	const headers = new Headers({
		'content-type': 'text/html; charset=utf-8',
		'cache-control': 'private, no-store',
		'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
	});
	return new Response(html, { status, headers });
}
