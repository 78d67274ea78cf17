/** GitHub-shaped JSON from sandbox records; pure functions, used by route handlers and webhook payloads alike. */
export { nodeId, derivedId, type JsonObject, type ShapeContext } from "./context.js";
export { userJson, organizationJson } from "./users.js";
export { repositoryJson, nestedRepositoryJson } from "./repos.js";
export { labelJson, milestoneJson } from "./labels.js";
export { issueJson, commentJson, reactionJson, issueEventJson } from "./issues.js";
export { pullJson, pullSimpleJson, type PullShapeInput, type PullStats } from "./pulls.js";
export { releaseJson } from "./releases.js";
export { checkRunJson } from "./checks.js";
export { repositoryAdvisoryJson, globalAdvisoryJson } from "./advisories.js";
export { appJson, installationJson, SANDBOX_APP_EVENTS, SANDBOX_APP_PERMISSIONS } from "./apps.js";
