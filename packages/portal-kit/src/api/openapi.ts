/**
 * The OpenAPI 3.1 description of the portal's JSON API, served at `<base>/api/openapi.json`
 * with `servers` set to where the portal is mounted.
 */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const error = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
  const body = (schema: unknown) => ({ required: true, content: json(schema) });
  const voucherPath = {
    name: 'voucherId',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: 'A voucher of the signed-in customer.',
  };
  const macPath = {
    name: 'mac',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: 'The device MAC address, URL-encoded (e.g. `aa%3Abb%3Acc%3Add%3Aee%3Aff`).',
  };
  const voucherResult = {
    description: 'The voucher after the change.',
    content: json({
      type: 'object',
      required: ['voucher'],
      properties: { voucher: { $ref: '#/components/schemas/Voucher' } },
    }),
  };
  const nullable = (type: string) => ({ type: [type, 'null'] });
  return {
    openapi: '3.1.0',
    info: {
      title: 'hotspot-kit customer portal API',
      version: '1.0.0',
      description:
        'The operations of the customer portal pages, as JSON, for hosts that build their own UI. ' +
        'Sessions are the same signed, HttpOnly cookie the pages use (send requests with credentials). ' +
        'Against cross-site request forgery, every POST and PATCH must have `Content-Type: application/json` ' +
        '(send `{}` when there is nothing to say), and cross-site requests (`Sec-Fetch-Site: cross-site`, or an ' +
        '`Origin` of another host) are refused with 403. Errors are `{ "error": { "code", "message" } }`, ' +
        'the message in the language of `Accept-Language` (or `?lang=`).',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/api/session': {
        get: {
          operationId: 'getSession',
          summary: 'Where the visitor is in the login flow',
          description:
            'With `location`, a signed location link (`portal.locationLink`) or a location the portal lets visitors ' +
            'choose binds the session to that location: its SMS gateway and texts send the login code. Any other ' +
            'value is ignored.',
          parameters: [
            {
              name: 'location',
              in: 'query',
              required: false,
              description: 'The `location` parameter of a location link.',
              schema: { type: 'string', maxLength: 2048 },
            },
          ],
          responses: {
            '200': { description: 'The session.', content: json({ $ref: '#/components/schemas/Session' }) },
          },
        },
      },
      '/api/login': {
        post: {
          operationId: 'startLogin',
          summary: 'Start a login with a phone number',
          description:
            'With portal OTP on, an SMS code is sent and `next` is `code`; the answer is the same whether or not the ' +
            'number belongs to a customer. With portal OTP off, the phone alone signs in (read-only) and `next` is `status`.',
          requestBody: body({
            type: 'object',
            required: ['phone'],
            properties: { phone: { type: 'string', examples: ['+14155552671'] } },
          }),
          responses: {
            '200': { description: 'Login started.', content: json({ $ref: '#/components/schemas/LoginStep' }) },
            '400': error('`INVALID_PHONE`.'),
            '403': error('`CSRF`: a cross-site request.'),
            '415': error('`UNSUPPORTED_MEDIA_TYPE`: not JSON.'),
            '429': error('`RATE_LIMITED`, `PHONE_LOCKED`, `BUDGET_EXHAUSTED` (see `retryAfterSeconds`).'),
            '502': error('`SMS_FAILED`: the SMS could not be sent.'),
          },
        },
      },
      '/api/login/resend': {
        post: {
          operationId: 'resendCode',
          summary: 'Send the code again',
          requestBody: body({ type: 'object' }),
          responses: {
            '200': { description: 'Sent.', content: json({ $ref: '#/components/schemas/LoginStep' }) },
            '409': error('`CHALLENGE_CLOSED`: start again with `/api/login`.'),
            '429': error('`RESEND_TOO_SOON`, `MAX_SENDS`, `RATE_LIMITED`.'),
          },
        },
      },
      '/api/login/verify': {
        post: {
          operationId: 'verifyCode',
          summary: 'Check the SMS code and sign in',
          requestBody: body({ type: 'object', required: ['code'], properties: { code: { type: 'string' } } }),
          responses: {
            '200': {
              description: 'Signed in; the session cookie is replaced.',
              content: json({
                type: 'object',
                required: ['next', 'phone'],
                properties: { next: { const: 'status' }, phone: { type: 'string' } },
              }),
            },
            '400': error('`WRONG_CODE` (with `attemptsLeft`) or `MISSING_CODE`.'),
            '409': error('`EXPIRED`, `ALREADY_USED`, `NOT_FOUND`: start again (`restart: true`).'),
            '429': error('`TOO_MANY_ATTEMPTS`, `PHONE_LOCKED`, `RATE_LIMITED`: start again later.'),
          },
        },
      },
      '/api/logout': {
        post: {
          operationId: 'logout',
          summary: 'Sign out',
          requestBody: body({ type: 'object' }),
          responses: {
            '200': {
              description: 'Signed out.',
              content: json({ type: 'object', properties: { ok: { const: true } } }),
            },
          },
        },
      },
      '/api/status': {
        get: {
          operationId: 'getStatus',
          summary: "The signed-in customer's vouchers (a page at a time), usage and daily history",
          parameters: [
            {
              name: 'cursor',
              in: 'query',
              required: false,
              description:
                '`nextCursor` of the page before; leave it out for the first page (the current and newest vouchers).',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': { description: 'The status.', content: json({ $ref: '#/components/schemas/Status' }) },
            '400': error('`INVALID_INPUT`: a cursor this list did not hand out.'),
            '401': error('`UNAUTHENTICATED`.'),
          },
        },
      },
      '/api/vouchers/{voucherId}/devices': {
        post: {
          operationId: 'addDevice',
          summary: 'Add a device (MAC address) to a voucher',
          description: 'Needs portal OTP, the associated-devices option and a login with an SMS code.',
          parameters: [voucherPath],
          requestBody: body({
            type: 'object',
            required: ['mac'],
            properties: {
              mac: { type: 'string', examples: ['AA:BB:CC:DD:EE:FF'] },
              label: { type: 'string', maxLength: 64 },
            },
          }),
          responses: {
            '201': voucherResult,
            '400': error('`INVALID_MAC`.'),
            '401': error('`UNAUTHENTICATED`.'),
            '403': error('`FORBIDDEN` (devices off or phone-only login) or `CSRF`.'),
            '404': error('`NOT_FOUND`: no such voucher for this customer.'),
            '409': error('`DEVICE_LIMIT_REACHED`, `CONFLICT` (already bound) or `VOUCHER_NOT_USABLE`.'),
          },
        },
      },
      '/api/vouchers/{voucherId}/devices/{mac}': {
        patch: {
          operationId: 'renameDevice',
          summary: 'Rename a device',
          parameters: [voucherPath, macPath],
          requestBody: body({
            type: 'object',
            required: ['label'],
            properties: { label: { type: 'string', minLength: 1, maxLength: 64 } },
          }),
          responses: {
            '200': voucherResult,
            '400': error('`INVALID_INPUT` or `INVALID_MAC`.'),
            '401': error('`UNAUTHENTICATED`.'),
            '403': error('`FORBIDDEN` or `CSRF`.'),
            '404': error('`NOT_FOUND`.'),
          },
        },
        delete: {
          operationId: 'removeDevice',
          summary: 'Remove a device; the host is told to disconnect it (`device.removed`)',
          parameters: [voucherPath, macPath],
          responses: {
            '200': voucherResult,
            '401': error('`UNAUTHENTICATED`.'),
            '403': error('`FORBIDDEN` or `CSRF`.'),
            '404': error('`NOT_FOUND`.'),
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                retryAfterSeconds: { type: 'integer' },
                attemptsLeft: { type: 'integer' },
                restart: { type: 'boolean' },
                limit: { type: 'integer' },
                issues: {
                  type: 'array',
                  items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
                },
              },
            },
          },
        },
        Session: {
          type: 'object',
          required: ['stage', 'otp', 'devices', 'locale', 'locales'],
          properties: {
            stage: { enum: ['anonymous', 'code', 'signed-in'] },
            phone: nullable('string'),
            verified: { type: 'boolean' },
            otp: { type: 'boolean', description: 'Portal login needs an SMS code.' },
            devices: { type: 'boolean', description: 'Customers may manage devices (after an SMS login).' },
            locale: { type: 'string' },
            locales: { type: 'array', items: { type: 'string' } },
          },
        },
        LoginStep: {
          type: 'object',
          required: ['next', 'phone'],
          properties: {
            next: { enum: ['code', 'status'] },
            phone: { type: 'string' },
            codeLength: { type: 'integer' },
            expiresAt: { type: 'string', format: 'date-time' },
            resendAfter: { type: 'string', format: 'date-time' },
          },
        },
        Device: {
          type: 'object',
          required: ['mac', 'label', 'addedAt', 'addedBy'],
          properties: {
            mac: { type: 'string' },
            label: nullable('string'),
            addedAt: { type: 'string', format: 'date-time' },
            addedBy: { enum: ['customer', 'operator', 'login'] },
          },
        },
        Voucher: {
          type: 'object',
          required: ['id', 'code', 'planName', 'status', 'limits', 'usage', 'percent', 'createdAt', 'devices'],
          properties: {
            id: { type: 'string' },
            code: { type: 'string' },
            planName: { type: 'string' },
            status: { enum: ['online', 'active', 'new', 'used', 'expired'] },
            limits: {
              type: 'object',
              properties: {
                downloadKbps: nullable('number'),
                uploadKbps: nullable('number'),
                trafficLimit: {
                  oneOf: [
                    { type: 'null' },
                    { type: 'object', required: ['totalBytes'], properties: { totalBytes: { type: 'number' } } },
                    {
                      type: 'object',
                      required: ['downloadBytes', 'uploadBytes'],
                      properties: { downloadBytes: { type: 'number' }, uploadBytes: { type: 'number' } },
                    },
                  ],
                },
                onlineTimeSeconds: nullable('number'),
                simultaneousDevices: { type: 'integer' },
                expiry: { type: 'object' },
              },
            },
            usage: {
              type: 'object',
              properties: {
                downloadBytes: { type: 'number' },
                uploadBytes: { type: 'number' },
                totalBytes: { type: 'number' },
                onlineSeconds: { type: 'number' },
              },
            },
            remaining: {
              type: ['object', 'null'],
              description: 'Remaining allowance; `null` fields are unlimited.',
            },
            percent: {
              type: 'object',
              properties: { traffic: nullable('number'), onlineTime: nullable('number') },
            },
            createdAt: { type: 'string', format: 'date-time' },
            activatedAt: nullable('string'),
            expiresAt: nullable('string'),
            endedAt: nullable('string'),
            endReason: { enum: ['traffic', 'online-time', 'validity', null] },
            onlineSessions: { type: 'integer' },
            devices: {
              type: ['array', 'null'],
              items: { $ref: '#/components/schemas/Device' },
              description: '`null` when device management is off for this session.',
            },
            canManageDevices: { type: 'boolean' },
          },
        },
        Status: {
          type: 'object',
          required: [
            'phone',
            'customer',
            'verified',
            'devicesEnabled',
            'currentVoucherId',
            'vouchers',
            'vouchersTotal',
            'nextCursor',
            'history',
          ],
          properties: {
            phone: { type: 'string' },
            customer: { type: ['object', 'null'], properties: { name: nullable('string') } },
            verified: { type: 'boolean' },
            devicesEnabled: { type: 'boolean' },
            currentVoucherId: nullable('string'),
            vouchers: {
              type: 'array',
              items: { $ref: '#/components/schemas/Voucher' },
              description:
                'One page (10): online and active first, then new, then used and expired, newest first within each.',
            },
            vouchersTotal: { type: 'integer', description: 'How many vouchers the customer has in all.' },
            nextCursor: {
              ...nullable('string'),
              description: 'Pass as `?cursor=` for the next (older) page; `null` on the last.',
            },
            history: {
              type: 'array',
              items: {
                type: 'object',
                required: ['day', 'downloadBytes', 'uploadBytes', 'onlineSeconds'],
                properties: {
                  day: { type: 'string', format: 'date' },
                  downloadBytes: { type: 'number' },
                  uploadBytes: { type: 'number' },
                  onlineSeconds: { type: 'number' },
                },
              },
            },
            timeZone: { type: 'string' },
          },
        },
      },
    },
  };
}
