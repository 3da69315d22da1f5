import { otpSuite } from '../../testing/suites/otp.js';
import type { HotspotStore } from '../hotspot-store.js';
import { createMemoryOtpRepository } from './otp.js';

// The OTP cases on their own (the full `runStoreConformance` over `createMemoryStore()`
// runs them too, with every other repository).
otpSuite(async () => ({ otp: createMemoryOtpRepository(), close: async () => {} }) as unknown as HotspotStore);
