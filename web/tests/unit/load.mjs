// Shared test input: the fixtures beside these tests, and the served vocabulary when the
// checkout has it (src/vocab/vocab.json), else the small fixture vocabulary.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Parsed JSON of a file relative to web/tests/. */
export function fixture(rel) {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../${rel}`, import.meta.url)), 'utf8'));
}

/** The vocabulary the tests use and where it came from. */
export function servedVocabulary() {
  const real = fileURLToPath(new URL('../../../src/vocab/vocab.json', import.meta.url));
  if (existsSync(real)) return { json: JSON.parse(readFileSync(real, 'utf8')), from: 'src/vocab/vocab.json' };
  return { json: fixture('fixtures/vocab.json'), from: 'web/tests/fixtures/vocab.json' };
}
