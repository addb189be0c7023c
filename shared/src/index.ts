export * from './errors.js';
export * as fields from './schemas/common.js';
export * from './schemas/gym.js';
export * from './schemas/staff.js';
export * from './schemas/member.js';
export * from './schemas/plan.js';
export * from './schemas/membership.js';
export * from './schemas/payment.js';
export * from './schemas/checkin.js';
