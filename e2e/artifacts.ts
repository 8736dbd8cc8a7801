// Where the end-to-end tests leave their screenshots: test-results/ at the
// repository root, kept by CI and looked at by people, never asserted on.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ARTIFACTS = path.resolve('test-results');

/** The path for artifact `name`, with its folder made. */
export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
