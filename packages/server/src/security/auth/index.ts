export * from './auth-provider.js';
export * from './token-auth-provider.js';
export * from './bearer.js';
