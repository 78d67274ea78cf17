/** The support-window engine: pure functions of policy, release history and a day. */
export * from "./types.js";
export { EngineError, describeEngineError, type EngineErrorDetail } from "./errors.js";
export { computeLines } from "./lines.js";
export { projectLines, type ProjectionOptions } from "./projection.js";
export { resolveTargets, validSelectors, GROUP_SELECTORS, type GroupSelector } from "./selectors.js";
export { assessAdvisory, parseVulnerableRange, type AdvisoryAssessment } from "./advisory.js";
export { projectSchedule, scheduleLines, type Schedule } from "./schedule.js";
export { renderTable } from "./render/table.js";
export { ganttBars, renderGantt, type GanttBar } from "./render/mermaid.js";
export { toReleaseCycles, type ReleaseCycle } from "./render/json.js";
export { Naming, parseLineName } from "./naming.js";
export { isIsoDate, parseDuration, toIsoDay } from "./dates.js";
