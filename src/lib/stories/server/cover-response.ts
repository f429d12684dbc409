import { createHash } from 'node:crypto';

/**
 * The answer for a cover image: its own Content-Type (one of the three checked types) and
 * an ETag. An address with the image's current version (`?v=`, as pages write it) may be
 * kept for a year, since a new image gets a new address; any other is checked each time.
 * Back office previews are never kept by shared caches.
 */
export function coverResponse(cover: { bytes: Buffer; contentType: string; updatedAt: string }, request: Request, url: URL, scope: 'public' | 'private'): Response {
	const etag = `"${createHash('sha256').update(cover.bytes).digest('base64url').slice(0, 27)}"`;
	const version = String(Date.parse(cover.updatedAt) || 0);
	const cacheControl =
		scope === 'private' ? 'private, no-store' : url.searchParams.get('v') === version ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
	const headers = {
		'content-type': cover.contentType,
		'cache-control': cacheControl,
		etag,
		'x-content-type-options': 'nosniff',
		'content-security-policy': "default-src 'none'; sandbox"
	};
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(cover.bytes), { status: 200, headers: { ...headers, 'content-length': String(cover.bytes.length) } });
}
