#!/usr/bin/env node
// Rewrites the generated tables in docs/taxonomy.md from data/taxonomy/ailuminate-v1.json. Run after `npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';
import { defaultTaxonomy } from '../dist/taxonomy/taxonomy.js';
import { withGeneratedTables } from '../dist/taxonomy/taxonomy-markdown.js';

const path = new URL('../docs/taxonomy.md', import.meta.url);
writeFileSync(path, withGeneratedTables(readFileSync(path, 'utf8'), defaultTaxonomy()));
