export type * from './customer.js';
export type * from './location.js';
export type * from './notification.js';
export type * from './otp.js';
export type * from './plan.js';
export type * from './sms.js';
export type * from './usage.js';
export type * from './voucher.js';
