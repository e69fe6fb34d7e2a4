export { detectPluginApps, type DetectPluginAppsOptions, type PluginAppStatus } from './detect-apps.js';
export type { DoctorCheck, DoctorReport, DoctorStatus } from './doctor-report.js';
export { probeHandshake, type HandshakeProbe, type ProbeHandshakeOptions } from './probe-handshake.js';
export { probeServerHealth, type HealthProbe, type ProbeHealthOptions } from './probe-health.js';
export { renderDoctorReport, type RenderDoctorReportOptions } from './render-doctor-report.js';
export { runDoctor, type DoctorOptions } from './run-doctor.js';
export { checkDesktopSession } from './checks/session-check.js';
