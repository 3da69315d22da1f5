import { describe, expect, it } from 'vitest';
import { DEFAULT_OTP_TEMPLATES, otpTemplateProblem, renderOtpTemplate } from './otp-template.js';

describe('OTP templates', () => {
  it('every built-in template is valid and has both purposes', () => {
    for (const [locale, templates] of Object.entries(DEFAULT_OTP_TEMPLATES)) {
      expect(otpTemplateProblem(templates.splash), locale).toBeNull();
      expect(otpTemplateProblem(templates.portal), locale).toBeNull();
    }
    expect(DEFAULT_OTP_TEMPLATES.en?.splash).toBe('Your WiFi code is {{ .code }}');
  });

  it('names what is wrong with a template', () => {
    expect(otpTemplateProblem('Hello')).toMatch(/must contain \{\{ \.code \}\}/);
    expect(otpTemplateProblem('{{ .code }} {{ .voucher.code }}')).toMatch(/unknown variable \{\{ \.voucher\.code \}\}/);
    expect(otpTemplateProblem('{{code}}')).toMatch(/malformed/);
    expect(otpTemplateProblem('{{ .code }} }}')).toMatch(/malformed/);
  });

  it('renders variables with or without spaces inside the braces', () => {
    expect(
      renderOtpTemplate('{{.location}}: {{ .code }} ({{ .minutes }} min)', {
        code: '0042',
        minutes: '5',
        location: 'Cafe',
      }),
    ).toBe('Cafe: 0042 (5 min)');
  });
});
