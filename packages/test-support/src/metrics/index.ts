export { parsePrometheus, sampleOf, type PromFamily, type PromSample } from './prometheus-text.js';
