// Reading an account balance out of a provider's answer: by a JSON path when the operator gave
// one, else the first number in the body (what operators know from similar billing products).

/** Splits `$.data.accounts[0].balance`, `data.accounts.0.balance` or `['a b'].c` into keys. */
export function parseJsonPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const re = /\[(\d+)\]|\[['"]([^'"]*)['"]\]|\.?([^.[\]]+)/g;
  const body = path.trim().replace(/^\$\.?/, '');
  for (const m of body.matchAll(re)) {
    if (m[1] !== undefined) keys.push(Number(m[1]));
    else if (m[2] !== undefined) keys.push(m[2]);
    else if (m[3] !== undefined) keys.push(/^\d+$/.test(m[3]) ? Number(m[3]) : m[3]);
  }
  return keys;
}

/** The value at `path` in `value`, or `undefined`. */
export function getAtJsonPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of parseJsonPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function toAmount(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const n = Number(value.trim());
    if (value.trim() !== '' && Number.isFinite(n)) return n;
  }
  return undefined;
}

/** The first number written in `text` (`-12.5` in `balance: -12.5 EUR`), or `undefined`. */
export function firstNumber(text: string): number | undefined {
  const m = /-?\d+(?:\.\d+)?/.exec(text);
  return m ? Number(m[0]) : undefined;
}

/** The balance in `body`, by `jsonPath` or the first number; a reason when there is none. */
export function readAmount(body: string, jsonPath?: string): { amount: number } | { reason: string } {
  if (jsonPath !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { reason: `balance response is not JSON, so jsonPath "${jsonPath}" cannot be read` };
    }
    const amount = toAmount(getAtJsonPath(parsed, jsonPath));
    return amount === undefined
      ? { reason: `no number at jsonPath "${jsonPath}" in the balance response` }
      : { amount };
  }
  const amount = firstNumber(body);
  return amount === undefined ? { reason: 'no number in the balance response' } : { amount };
}
