import net from 'node:net';
import { UserFacingError } from '../errors.ts';

/**
 * Which address a request comes from, for every rate limit. Behind a reverse proxy every
 * connection comes from the proxy, so the visitor's address must be read from a header the
 * proxy sets — and only then: without the setting, such a header is the visitor's own text
 * and is ignored.
 *
 * - `ADDRESS_HEADER` (unset: the connection's address) names the header, e.g.
 *   `X-Forwarded-For`, `X-Real-IP` or `CF-Connecting-IP`.
 * - `XFF_DEPTH` (default 1) is how many trusted proxies add to that header: the address is
 *   the one that many entries from the right (the rightmost entry is written by the
 *   nearest proxy; entries further left are whatever the visitor sent).
 *
 * A request without the header, with fewer entries than XFF_DEPTH, or with something that
 * is not an IP address there did not come through the proxies as configured: it is counted
 * under the connection's address, which the sender cannot choose.
 */
export interface TrustedProxySettings {
	/** Lower-case header name, or undefined to use the connection's address. */
	header?: string;
	depth: number;
}

export function readTrustedProxySettings(env: Record<string, string | undefined>): TrustedProxySettings {
	const header = env.ADDRESS_HEADER?.trim().toLowerCase() || undefined;
	if (header !== undefined && !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(header)) {
		throw new UserFacingError(`ADDRESS_HEADER "${env.ADDRESS_HEADER}" is not a header name: write it as your proxy sends it, for example X-Forwarded-For.`);
	}
	const rawDepth = env.XFF_DEPTH?.trim();
	const depth = rawDepth ? Number(rawDepth) : 1;
	if (!Number.isInteger(depth) || depth < 1 || depth > 20) {
		throw new UserFacingError(`XFF_DEPTH "${env.XFF_DEPTH}" is not a number of proxies: use a whole number from 1 to 20 (1 when one proxy sits in front of Sac2050).`);
	}
	return { header, depth };
}

function plainAddress(value: string | undefined): string | undefined {
	if (!value) return undefined;
	let address = value.trim();
	// "[2001:db8::1]:443" and "192.0.2.1:443" as some proxies write them.
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
	if (bracketed) address = bracketed[1]!;
	else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
	if (address.toLowerCase().startsWith('::ffff:') && net.isIPv4(address.slice(7))) address = address.slice(7);
	return net.isIP(address) ? address.toLowerCase() : undefined;
}

/** The visitor's address under `settings`, from the request headers and the connection's address. */
export function clientAddress(settings: TrustedProxySettings, headers: Record<string, string | string[] | undefined>, connectionAddress: string | undefined): string {
	const connection = plainAddress(connectionAddress) ?? connectionAddress ?? 'unknown';
	if (!settings.header) return connection;
	const raw = headers[settings.header];
	if (raw === undefined) return connection;
	const entries = (Array.isArray(raw) ? raw.join(',') : raw).split(',');
	if (entries.length < settings.depth) return connection;
	return plainAddress(entries[entries.length - settings.depth]) ?? connection;
}

/**
 * The key an address is counted under: IPv4 addresses as they are, IPv6 addresses by their
 * /64 network (one household or server usually holds a whole /64 and could otherwise step
 * through it).
 */
export function rateLimitAddress(address: string): string {
	if (!net.isIPv6(address)) return address;
	const [head = '', tail = ''] = address.split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
	return `${groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}
