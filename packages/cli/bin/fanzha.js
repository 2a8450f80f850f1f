#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, as the server runs.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
