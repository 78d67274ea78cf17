/** Every operation the sandbox serves, by operationId. */
import { actionHandlers } from "./actions.js";
import { advisoryHandlers } from "./advisories.js";
import { appHandlers } from "./apps.js";
import { checkHandlers } from "./checks.js";
import { collaborationHandlers } from "./collaboration.js";
import { commentHandlers } from "./comments.js";
import type { OperationHandler } from "./context.js";
import { gitHandlers } from "./git.js";
import { issueHandlers } from "./issues.js";
import { labelHandlers } from "./labels.js";
import { pullHandlers } from "./pulls.js";
import { releaseHandlers } from "./releases.js";
import { repoHandlers } from "./repos.js";

export const HANDLERS: Record<string, OperationHandler> = {
  ...appHandlers,
  ...repoHandlers,
  ...gitHandlers,
  ...pullHandlers,
  ...issueHandlers,
  ...commentHandlers,
  ...labelHandlers,
  ...releaseHandlers,
  ...checkHandlers,
  ...actionHandlers,
  ...advisoryHandlers,
  ...collaborationHandlers,
};
