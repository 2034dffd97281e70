/**
 * The product's version: the one in the package.json beside dist/ (a clone, or the installed
 * tarball). Not npm_package_version, which is the version of whatever package's npm script ran
 * the command (a user's CI `npm run audit` would stamp their project's version on the report).
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-unknown';
  }
}

export const PRODUCT_VERSION: string = readVersion();
