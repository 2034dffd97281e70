/**
 * The restJson1 protocol (Lambda and other REST services): the operation is named by the HTTP
 * method and path, inputs travel in path labels, the query string and a JSON body, and errors
 * are `{"message"}` (or `{"Message"}`) with the error name in `x-amzn-errortype`.
 *
 * The route table is read from the installed SDK client itself (each operation schema carries
 * its `http` trait: method, path template, success code), so every operation the SDK can send,
 * writes included, is recognised by its own name: a write can never be mistaken for a read.
 */
import { createRequire } from 'node:module';
import type { AwsErrorSpec, SandboxRequest, SandboxResponse } from '../types.js';

export interface RestRoute {
  operation: string;
  method: string;
  /** The path template, e.g. /2015-03-31/functions/{FunctionName}/policy. */
  template: string;
  pattern: RegExp;
  labels: string[];
  /** Query parameters the template fixes (GET /2018-10-31/layers?find=LayerVersion). */
  fixedQuery: Array<[string, string]>;
  /** Literal characters: the most specific template wins. */
  specificity: number;
}

export interface RestMatch {
  operation: string;
  /** Path labels, percent-decoded. */
  labels: Record<string, string>;
}

const require = createRequire(import.meta.url);
const routeCache = new Map<string, RestRoute[]>();

/** Every operation of an SDK client package, as routes, most specific first. */
export function sdkRestRoutes(clientPackage: string): RestRoute[] {
  let routes = routeCache.get(clientPackage);
  if (routes) return routes;
  const mod = require(clientPackage) as Record<string, unknown>;
  routes = [];
  for (const [name, value] of Object.entries(mod)) {
    // Operation schemas are exported as `Name$`: [9, namespace, name, { http: [method, path, code] }, ...].
    if (!name.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    const http = (value[3] as { http?: [string, string, number] } | undefined)?.http;
    if (!http) continue;
    const [method, rawTemplate] = http;
    const [template, query = ''] = rawTemplate.split('?') as [string, string?];
    const labels: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const label = /^\{([^}+]+)(\+)?\}$/.exec(part);
        if (!label) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        labels.push(label[1]!);
        return label[2] ? '(.+)' : '([^/]+)';
      })
      .join('');
    routes.push({
      operation: value[2] as string,
      method,
      template,
      pattern: new RegExp(`^${source}/?$`),
      labels,
      fixedQuery: [...new URLSearchParams(query)],
      specificity: template.replace(/\{[^}]+\}/g, '').length + query.length,
    });
  }
  routes.sort((a, b) => b.specificity - a.specificity);
  routeCache.set(clientPackage, routes);
  return routes;
}

/** The operation a request names, with its path labels; undefined when no route matches. */
export function matchRestRoute(routes: readonly RestRoute[], req: SandboxRequest): RestMatch | undefined {
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(req.path);
    if (!m) continue;
    if (!route.fixedQuery.every(([k, v]) => req.query.get(k) === v)) continue;
    const labels: Record<string, string> = {};
    try {
      route.labels.forEach((label, i) => (labels[label] = decodeURIComponent(m[i + 1]!)));
    } catch {
      continue;
    }
    return { operation: route.operation, labels };
  }
  return undefined;
}

export function restJsonResponse(body: unknown, requestId: string, status = 200): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
}

/** An error: the name in x-amzn-errortype, the message in the body (`Message` as Lambda writes it). */
export function restJsonError(error: AwsErrorSpec, requestId: string, extraBody: Record<string, unknown> = {}): SandboxResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
  return { status: error.status, headers, body: JSON.stringify({ Type: error.status >= 500 ? 'Service' : 'User', Message: error.message, ...extraBody }) };
}
