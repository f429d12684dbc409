/**
 * Rendered pages in this process's memory, for one data version at a time, least recently
 * used dropped first once they hold more than `maxBytes`.
 */

export interface CachedPage {
	status: number;
	/** The response headers as rendered, without Content-Length. */
	headers: Array<[string, string]>;
	body: Uint8Array<ArrayBuffer>;
	/** Strong validator: a hash of the body. */
	etag: string;
}

/** Rough per-entry overhead beyond the body: key, headers, Map bookkeeping. */
const ENTRY_OVERHEAD = 1024;

function sizeOf(key: string, page: CachedPage): number {
	let size = ENTRY_OVERHEAD + key.length * 2 + page.body.byteLength;
	for (const [name, value] of page.headers) size += (name.length + value.length) * 2;
	return size;
}

export class PageStore<Page extends CachedPage = CachedPage> {
	readonly maxBytes: number;
	#version: number | undefined;
	#pages = new Map<string, Page>();
	#bytes = 0;

	constructor(maxBytes: number) {
		this.maxBytes = maxBytes;
	}

	get size(): number {
		return this.#pages.size;
	}

	get bytes(): number {
		return this.#bytes;
	}

	/** Drops every page when the data version is not the one the pages were rendered for. */
	useVersion(version: number): void {
		if (this.#version === version) return;
		this.#version = version;
		this.#pages.clear();
		this.#bytes = 0;
	}

	get(version: number, key: string): Page | undefined {
		if (version !== this.#version) return undefined;
		const page = this.#pages.get(key);
		if (page) {
			// Most recently used last: Map keeps insertion order.
			this.#pages.delete(key);
			this.#pages.set(key, page);
		}
		return page;
	}

	/** Keeps a page rendered for `version`, unless the version has moved on meanwhile. */
	put(version: number, key: string, page: Page): void {
		if (version !== this.#version) return;
		const size = sizeOf(key, page);
		if (size > this.maxBytes) return;
		const previous = this.#pages.get(key);
		if (previous) {
			this.#pages.delete(key);
			this.#bytes -= sizeOf(key, previous);
		}
		this.#pages.set(key, page);
		this.#bytes += size;
		for (const [oldest, old] of this.#pages) {
			if (this.#bytes <= this.maxBytes) break;
			this.#pages.delete(oldest);
			this.#bytes -= sizeOf(oldest, old);
		}
	}
}
