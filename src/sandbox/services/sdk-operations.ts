/**
 * The full operation list of a service, read from the AWS SDK client package itself, so
 * the sandbox can tell an operation it refuses (AccessDenied: the account is read-only)
 * from one that does not exist (the service's unknown-operation error).
 */
const cache = new Map<string, Promise<Set<string>>>();

export function sdkOperations(clientPackage: string): Promise<Set<string>> {
  let found = cache.get(clientPackage);
  if (!found) {
    found = import(clientPackage).then(
      (mod: Record<string, unknown>) =>
        new Set(Object.keys(mod).filter((k) => k.endsWith('Command') && k !== 'Command').map((k) => k.slice(0, -'Command'.length))),
    );
    cache.set(clientPackage, found);
  }
  return found;
}
