import path from 'node:path';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit({
			adapter: adapter({ precompress: true }),
			csp: {
				mode: 'hash',
				directives: {
					'default-src': ['self'],
					'script-src': ['self'],
					'style-src': ['self', 'unsafe-inline'],
					'img-src': ['self', 'data:'],
					'font-src': ['self'],
					'connect-src': ['self'],
					'form-action': ['self'],
					'frame-ancestors': ['none'],
					'base-uri': ['self'],
					'object-src': ['none']
				}
			}
		})
	],
	css: {
		preprocessorOptions: {
			scss: {
				loadPaths: [path.resolve('node_modules/@uswds/uswds/packages')],
				quietDeps: true,
				silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'slash-div', 'legacy-js-api', 'if-function']
			}
		}
	},
	// The build reports problems, not progress: no per-file size table (logLevel 'warn' on
	// the command line in package.json) and no plugin timing report.
	build: { rolldownOptions: { checks: { bundlerTimings: false } } },
	server: { port: 3000 }
});
