#!/usr/bin/env node
// The command-line tool's entry point. The commands import interface text compiled from
// messages/*.json into src/lib/paraglide (generated, not in git), so that is made sure of
// first, then the commands are loaded.
import { ensureCompiledMessages } from './compiled-messages.ts';

ensureCompiledMessages();
await import('./program.ts');
