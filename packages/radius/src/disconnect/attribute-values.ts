import { isIPv4 } from 'node:net';
import { RADIUS_ATTRIBUTES, type RadiusAttributeName } from '../attributes.js';
import { RadiusError } from '../radius-error.js';
import type { RawAttribute } from './packet.js';

/** A value for a named attribute: text, a whole number, an IPv4 address or octets. */
export type AttributeValue = string | number | Uint8Array;

function invalid(path: string, message: string): RadiusError {
  return new RadiusError('INVALID_INPUT', `Invalid ${path}: ${message}`, { issues: [{ path, message }] });
}

/** Encodes `value` as the attribute `name` of {@link RADIUS_ATTRIBUTES}; throws `INVALID_INPUT` naming `path`. */
export function encodeNamed(name: string, value: AttributeValue, path = `attributes.${name}`): RawAttribute {
  const definition = (RADIUS_ATTRIBUTES as Record<string, (typeof RADIUS_ATTRIBUTES)[RadiusAttributeName]>)[name];
  if (!definition) throw invalid(path, 'is not an attribute the kit knows; see RADIUS_ATTRIBUTES');
  const base =
    'vendorId' in definition ? { type: definition.type, vendorId: definition.vendorId } : { type: definition.type };
  switch (definition.kind) {
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        throw invalid(path, 'must be a whole number 0..4294967295');
      }
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, value);
      return { ...base, value: out };
    }
    case 'ipaddr': {
      if (typeof value !== 'string' || !isIPv4(value)) throw invalid(path, 'must be an IPv4 address');
      return { ...base, value: Uint8Array.from(value.split('.').map(Number)) };
    }
    case 'octets': {
      if (value instanceof Uint8Array) return { ...base, value };
      if (typeof value === 'string' && /^0x([0-9a-f]{2})*$/i.test(value)) {
        return { ...base, value: Uint8Array.from(Buffer.from(value.slice(2), 'hex')) };
      }
      throw invalid(path, 'must be bytes or a 0x-prefixed hex string');
    }
    default: {
      if (typeof value !== 'string' || value.length === 0) throw invalid(path, 'must be a non-empty string');
      const bytes = new TextEncoder().encode(value);
      if (bytes.length > 247) throw invalid(path, 'must be at most 247 bytes (UTF-8)');
      return { ...base, value: bytes };
    }
  }
}

/** Reads an integer attribute's value (e.g. Error-Cause), or `undefined` when it is not 4 octets. */
export function readInteger(value: Uint8Array): number | undefined {
  return value.length === 4 ? new DataView(value.buffer, value.byteOffset, 4).getUint32(0) : undefined;
}
