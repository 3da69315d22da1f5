import type { KitContext } from '../kit/kit-context.js';
import type { OtpService, SplashService } from '../kit/services.js';

// PLACEHOLDER: being implemented (issue 3).
export function createSplashService(_ctx: KitContext, _otp: OtpService): SplashService {
  throw new Error('createSplashService is not implemented yet');
}
