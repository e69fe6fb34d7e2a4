export {
  FakeShotgrid,
  type FailureRule,
  type FakeShotgridOptions,
  type RecordedRequest,
} from './fake-shotgrid.js';
