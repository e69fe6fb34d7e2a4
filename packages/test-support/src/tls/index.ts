export { createTestCa, type TestCa, type TestCertificate } from './test-ca.js';
