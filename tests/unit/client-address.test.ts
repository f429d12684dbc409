import { describe, expect, it } from 'vitest';
import { clientAddress, rateLimitAddress, readTrustedProxySettings } from '#lib/server/http/client-address.ts';

describe('the trusted-proxy setting', () => {
	it('is off unless ADDRESS_HEADER is set; XFF_DEPTH defaults to 1', () => {
		expect(readTrustedProxySettings({})).toEqual({ header: undefined, depth: 1 });
		expect(readTrustedProxySettings({ ADDRESS_HEADER: ' X-Forwarded-For ', XFF_DEPTH: '2' })).toEqual({ header: 'x-forwarded-for', depth: 2 });
	});

	it('names what is wrong with a bad value', () => {
		expect(() => readTrustedProxySettings({ ADDRESS_HEADER: 'X Forwarded' })).toThrow(/ADDRESS_HEADER "X Forwarded" is not a header name/);
		for (const depth of ['0', '-1', '1.5', 'two', '21']) expect(() => readTrustedProxySettings({ XFF_DEPTH: depth })).toThrow(/XFF_DEPTH .* whole number from 1 to 20/);
	});
});

describe("the visitor's address", () => {
	const off = readTrustedProxySettings({});
	const xff = readTrustedProxySettings({ ADDRESS_HEADER: 'X-Forwarded-For' });
	const twoProxies = readTrustedProxySettings({ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '2' });
	const realIp = readTrustedProxySettings({ ADDRESS_HEADER: 'X-Real-IP' });

	it.each([
		// Setting off: a header is the sender's own text and is ignored.
		[off, { 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1', '127.0.0.1'],
		[off, {}, '::ffff:192.0.2.4', '192.0.2.4'],
		// One proxy: the rightmost entry, written by it; what the visitor put further left is ignored.
		[xff, { 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1', '203.0.113.9'],
		[xff, { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, '127.0.0.1', '203.0.113.9'],
		[xff, { 'x-forwarded-for': ['6.6.6.6', '203.0.113.9'] }, '127.0.0.1', '203.0.113.9'],
		[xff, { 'x-forwarded-for': '2001:DB8::1' }, '127.0.0.1', '2001:db8::1'],
		[xff, { 'x-forwarded-for': '[2001:db8::1]:4711' }, '127.0.0.1', '2001:db8::1'],
		[xff, { 'x-forwarded-for': '203.0.113.9:4711' }, '127.0.0.1', '203.0.113.9'],
		// Not through the proxy as configured, or not an address: the connection's address.
		[xff, {}, '10.0.0.5', '10.0.0.5'],
		[xff, { 'x-forwarded-for': 'unknown' }, '10.0.0.5', '10.0.0.5'],
		[xff, { 'x-forwarded-for': '' }, '10.0.0.5', '10.0.0.5'],
		[xff, { 'x-forwarded-for': '203.0.113.9, <script>' }, '10.0.0.5', '10.0.0.5'],
		// Two proxies: the second entry from the right.
		[twoProxies, { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' }, '10.0.0.1', '203.0.113.9'],
		[twoProxies, { 'x-forwarded-for': '203.0.113.9' }, '10.0.0.1', '10.0.0.1'],
		// A single-address header.
		[realIp, { 'x-real-ip': '198.51.100.3' }, '10.0.0.1', '198.51.100.3']
	])('%j with %j from %s is %s', (settings, headers, connection, expected) => {
		expect(clientAddress(settings, headers, connection)).toBe(expected);
	});
});

describe('the key an address is counted under', () => {
	it.each([
		['192.0.2.4', '192.0.2.4'],
		['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
		['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
		['2001:db8::1', '2001:db8:0:0::/64'],
		['::1', '0:0:0:0::/64'],
		['2001:0db8:0001:0002::1', '2001:db8:1:2::/64']
	])('%s counts as %s', (address, key) => {
		expect(rateLimitAddress(address)).toBe(key);
	});
});
