// Writes docs/errors.md from the table of error codes in src/errors.ts (npm run docs:errors).

import { writeFileSync } from 'node:fs';
import { renderErrorReference } from '../src/error-reference.ts';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorReference());
