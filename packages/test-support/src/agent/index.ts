export { isAlive, jobsPlugin } from './job-plugins.js';
export { startUserManager, type UserManager } from './user-manager.js';
