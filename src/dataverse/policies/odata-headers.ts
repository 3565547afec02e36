import type { Policy } from '../pipeline.js';

/**
 * The headers every Web API call should carry (Dataverse docs, "Compose HTTP requests"), unless
 * the call set its own:
 * - Accept, OData-MaxVersion and OData-Version, so the service answers in OData 4.0 JSON;
 * - `If-None-Match: null`, which the docs recommend to keep intermediaries from answering from a
 *   cache. Left off a conditional request (If-Match / If-None-Match set), whose meaning it
 *   would muddle;
 * - Content-Type for a JSON body;
 * - Prefer, from the call's preferences plus any Prefer header it set.
 */
export function odataHeadersPolicy(): Policy {
  return {
    name: 'odataHeaders',
    send(request, next) {
      let headers = request.headers
        .setIfAbsent('Accept', 'application/json')
        .setIfAbsent('OData-MaxVersion', '4.0')
        .setIfAbsent('OData-Version', '4.0');
      if (!headers.has('If-Match')) headers = headers.setIfAbsent('If-None-Match', 'null');
      if (request.body !== undefined) headers = headers.setIfAbsent('Content-Type', 'application/json; charset=utf-8');
      const preferences = [...(headers.get('Prefer')?.split(',').map((part) => part.trim()) ?? []), ...(request.prefer ?? [])]
        .filter(Boolean);
      if (preferences.length > 0) headers = headers.set('Prefer', [...new Set(preferences)].join(', '));
      return next({ ...request, headers });
    },
  };
}
