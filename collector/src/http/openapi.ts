import { z } from 'zod';
import { COLLECTOR_VERSION } from '../version.js';
import type { RouteDef } from './route.js';

type Json = Record<string, unknown>;

/**
 * An OpenAPI 3.1 document of the routes, from the same zod schemas that parse their requests.
 * Built here (z.toJSONSchema) rather than by a plugin: the routes already carry zod schemas, and
 * 3.1 takes JSON Schema 2020-12 as it is, so a page of code is all it needs.
 */
export function buildOpenApi(defs: readonly RouteDef[], extra: readonly ExtraPath[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const jsonOf = (schema: z.ZodType, io: 'input' | 'output') =>
    z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  const errorResponse = {
    description: 'An error: { error, message }',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };

  for (const def of defs) {
    const path = def.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: Json[] = [];
    for (const [where, schema] of [
      ['query', def.query],
      ['path', def.params],
    ] as const) {
      if (schema === undefined) continue;
      const json = jsonOf(schema, 'input');
      const props = (json.properties ?? {}) as Record<string, Json>;
      const required = new Set((json.required ?? []) as string[]);
      for (const [name, prop] of Object.entries(props)) {
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
      }
    }
    const ok = def.response.schema
      ? { content: { 'application/json': { schema: jsonOf(def.response.schema, 'output') } } }
      : {
          content: Object.fromEntries(
            (def.response.contentType ?? 'application/octet-stream').split(/,\s*|\s+or\s+/).map((t) => [t, {}]),
          ),
        };
    const operation: Json = {
      summary: def.summary,
      tags: [def.tag],
      operationId: `${def.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      security: def.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      'x-pantau-access': def.access,
      parameters,
      responses: {
        [String(def.response.status)]: { description: 'Success', ...ok },
        '400': errorResponse,
        ...(def.access === 'public' ? {} : { '401': errorResponse, '403': errorResponse }),
      },
    };
    if (def.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonOf(def.body, 'input') } },
      };
    }
    paths[path] = { ...paths[path], [def.method.toLowerCase()]: operation };
  }
  for (const e of extra) {
    paths[e.path] = {
      ...paths[e.path],
      [e.method]: {
        summary: e.summary,
        tags: [e.tag],
        security: [],
        responses: { [e.status]: { description: 'Success', content: { [e.contentType]: {} } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Pantau collector API', version: COLLECTOR_VERSION, description: 'docs/api.md' },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' } },
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'pantau_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}

/** A route served outside the route table (streams, files), described by hand. */
export interface ExtraPath {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly status: string;
  readonly contentType: string;
}
