/**
 * The one logger shape the App passes around: pino's (Probot's `context.log` and `app.log` are pino loggers).
 * Bindings first, then the message. Functions that only write a few levels take `Pick<Log, …>`.
 */
export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: object): Log;
}
