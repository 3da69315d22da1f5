// A loopback stand-in for api.twilio.com that checks every request against Twilio's official
// OpenAPI description (CreateMessage, FetchBalance) with ajv and answers with the spec's examples.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { json, type RecordedRequest, type StubServer, startStub } from './stub-server.js';

const SPEC_PATH = new URL('../../../../../shared/fixtures/twilio/twilio_api_v2010.json', import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replaces every local `$ref` with what it points at (cycles cut at the second visit). */
function deref(node: Json, root: Json, seen: string[] = []): Json {
  if (Array.isArray(node)) return node.map((n) => deref(n, root, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    if (seen.includes(ref)) return {};
    let target: Json = root;
    for (const part of ref.slice(2).split('/')) {
      target = (target as Record<string, Json>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] as Json;
    }
    return deref(target, root, [...seen, ref]);
  }
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) out[k] = deref(v, root, seen);
  return out;
}

export interface TwilioOperation {
  requestSchema?: ValidateFunction;
  pathParamSchema: ValidateFunction;
  example: Json;
  responseSchema: ValidateFunction;
}

/** Compiles the CreateMessage and FetchBalance operations of the official spec. */
export function loadTwilioOperations(): { createMessage: TwilioOperation; fetchBalance: TwilioOperation } {
  const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
  const paths = (spec as { paths: Record<string, Record<string, Json>> }).paths;
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: 'array' });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  // Twilio's own format for E.164 numbers (and channel addresses such as whatsapp:+1...).
  ajv.addFormat('phone-number', /^(\+[1-9]\d{1,14}|[a-z]+:\+?[\w.@-]+)$/);
  const op = (path: string, method: 'post' | 'get', status: string): TwilioOperation => {
    const o = deref(paths[path]?.[method] as Json, spec) as Record<string, Json>;
    const param = (o.parameters as Record<string, Json>[]).find((p) => p.name === 'AccountSid') as Record<string, Json>;
    const content = (
      (o.responses as Record<string, Json>)[status] as Record<string, Record<string, Record<string, Json>>>
    ).content?.['application/json'] as Record<string, Json>;
    const examples = content.examples as Record<string, { value: Json }>;
    const result: TwilioOperation = {
      pathParamSchema: ajv.compile(param.schema as object),
      example: (Object.values(examples)[0] as { value: Json }).value,
      responseSchema: ajv.compile(content.schema as object),
    };
    const body = (o.requestBody as Record<string, Record<string, Record<string, Json>>> | undefined)?.content?.[
      'application/x-www-form-urlencoded'
    ]?.schema;
    if (body) result.requestSchema = ajv.compile({ ...(body as object), additionalProperties: false });
    return result;
  };
  return {
    createMessage: op('/2010-04-01/Accounts/{AccountSid}/Messages.json', 'post', '201'),
    fetchBalance: op('/2010-04-01/Accounts/{AccountSid}/Balance.json', 'get', '200'),
  };
}

/** Form body → object, repeated names → arrays (as Twilio reads it). */
export function formToObject(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export interface TwilioStub extends StubServer {
  /** Validation problems of each request, in order (empty when it was valid). */
  problems: string[][];
  /** Overrides the answer to the next message create. */
  nextCreate?: (res: ServerResponse) => void;
}

/** Starts the stand-in; requests must carry HTTP Basic `apiKey:apiSecret`. */
export async function startTwilioStub(apiKey: string, apiSecret: string): Promise<TwilioStub> {
  const { createMessage, fetchBalance } = loadTwilioOperations();
  const problems: string[][] = [];
  const holder: { nextCreate?: (res: ServerResponse) => void } = {};
  const check = (req: RecordedRequest, operation: TwilioOperation, accountSid: string, body?: object): string[] => {
    const found: string[] = [];
    const expectedAuth = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expectedAuth) found.push('authorization: not HTTP Basic apiKey:apiSecret');
    if (!operation.pathParamSchema(accountSid))
      found.push(`AccountSid: ${JSON.stringify(operation.pathParamSchema.errors)}`);
    if (operation.requestSchema) {
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') found.push('content-type: not form');
      if (!operation.requestSchema(body)) found.push(`body: ${JSON.stringify(operation.requestSchema.errors)}`);
    }
    return found;
  };
  const stub = await startStub((req, res) => {
    const create = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url);
    const balance = /^\/2010-04-01\/Accounts\/([^/]+)\/Balance\.json$/.exec(req.url);
    if (create && req.method === 'POST') {
      const body = formToObject(req.text);
      const found = check(req, createMessage, decodeURIComponent(create[1]!), body);
      problems.push(found);
      if (found.length > 0)
        return json(res, 400, { code: 21000, message: found.join('; '), more_info: '', status: 400 });
      const answer = holder.nextCreate;
      if (answer) {
        holder.nextCreate = undefined;
        return answer(res);
      }
      const example = createMessage.example as Record<string, Json>;
      return json(res, 201, {
        ...example,
        to: body.To as string,
        body: body.Body as string,
        sid: `SM${'0'.repeat(31)}${problems.length}`,
      });
    }
    if (balance && req.method === 'GET') {
      const found = check(req, fetchBalance, decodeURIComponent(balance[1]!));
      problems.push(found);
      if (found.length > 0) return json(res, 401, { code: 20003, message: 'Authenticate', more_info: '', status: 401 });
      return json(res, 200, { ...(fetchBalance.example as object), balance: '12.34' });
    }
    problems.push([`unexpected ${req.method} ${req.url}`]);
    json(res, 404, { code: 20404, message: 'The requested resource was not found', more_info: '', status: 404 });
  });
  Object.defineProperties(stub, {
    problems: { value: problems },
    nextCreate: {
      get: () => holder.nextCreate,
      set: (fn: ((res: ServerResponse) => void) | undefined) => {
        holder.nextCreate = fn;
      },
    },
  });
  return stub as TwilioStub;
}
