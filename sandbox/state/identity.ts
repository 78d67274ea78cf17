/** The git identity GitHub writes for an account: its login and its `id+login@users.noreply.github.com` address. */
import type { UserRecord } from "./types.js";

export interface GitIdentity {
  name: string;
  email: string;
  date: string;
}

export const gitIdentity = (user: UserRecord, date: string): GitIdentity => ({
  name: user.login,
  email: `${user.id}+${user.login}@users.noreply.github.com`,
  date,
});
