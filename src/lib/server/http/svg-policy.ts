/**
 * Headers for SVG files the site sends (the chart downloads, static images). An SVG opened
 * on its own is a document that could run script or load from elsewhere; the site's SVGs
 * need neither — shapes and text with presentation attributes, patterns referred to by
 * `url(#…)` inside the file — so their policy allows nothing at all.
 */

export const SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The headers every SVG response carries. */
export const SVG_SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'Content-Security-Policy': SVG_CONTENT_SECURITY_POLICY,
	'X-Content-Type-Options': 'nosniff'
};

/** True for `image/svg+xml` with or without parameters. */
export function isSvgContentType(contentType: string | null | undefined): boolean {
	return /^\s*image\/svg\+xml\s*(;|$)/i.test(contentType ?? '');
}

/** True when a request path names an .svg file (the static files, which the app's hooks never see). */
export function isSvgPath(pathname: string): boolean {
	return /\.svg$/i.test(pathname);
}
