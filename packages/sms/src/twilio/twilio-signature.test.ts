import { describe, expect, it } from 'vitest';
import {
  canonicalTwilioParams,
  signatureUrlVariants,
  twilioSignature,
  verifyTwilioSignature,
} from './twilio-signature.js';

// Twilio's published request-validation vectors (twilio-php / twilio-csharp RequestValidator tests).
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS: [string, string][] = [
  ['Digits', '1234'],
  ['To', '+18005551212'],
  ['From', '+14158675309'],
  ['Caller', '+14158675309'],
  ['CallSid', 'CA1234567890ABCDE'],
];

describe('twilioSignature', () => {
  it("reproduces Twilio's documented vector", () => {
    expect(twilioSignature('12345', URL, PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('sorts repeated parameters by value, identical pairs once', () => {
    const repeated: [string, string][] = [
      ['Sid', 'CA123'],
      ['SidAccount', 'AC123'],
      ['Digits', '5678'],
      ['Digits', '1234'],
      ['Digits', '1234'],
    ];
    expect(twilioSignature('12345', URL, repeated)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('verifies against any of several tokens and URL forms, and refuses tampering', () => {
    const sig = twilioSignature('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS);
    const canonical = canonicalTwilioParams(PARAMS);
    expect(verifyTwilioSignature(sig, ['other', '12345'], signatureUrlVariants(URL), canonical)).toBe(true);
    expect(verifyTwilioSignature(sig, ['other'], signatureUrlVariants(URL), canonical)).toBe(false);
    const tampered = PARAMS.map(([k, v]): [string, string] => [k, k === 'Digits' ? '9999' : v]);
    expect(verifyTwilioSignature(sig, ['12345'], signatureUrlVariants(URL), canonicalTwilioParams(tampered))).toBe(
      false,
    );
    expect(verifyTwilioSignature(`${sig}x`, ['12345'], signatureUrlVariants(URL), canonical)).toBe(false);
  });
});
